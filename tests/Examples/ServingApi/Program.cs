// The VaeOnnx service inside your own ASP.NET Core app. The "VaeServing" configuration section (appsettings.json,
// VaeServing__* environment variables) sets the model folder and the limits.
using VaeOnnx.Runtime.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddVaeServing(options => builder.Configuration.GetSection(VaeServingOptions.SectionName).Bind(options));
var app = builder.Build();
app.UseVaeServing();   // request log, metrics and problem+json errors: before other middleware
app.MapVae();          // /v1/model, /v1/sample, /v1/decode, /v1/encode, /v1/reconstruct, /v1/score, /healthz, /readyz, /metrics
app.Run();
