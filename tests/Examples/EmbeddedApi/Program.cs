// One VaeModel, loaded once and shared by every request (it is thread-safe), behind two endpoints of a minimal API.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(_ => VaeModel.Load(builder.Configuration["Model"] ?? "models/mnist-conv"));
var app = builder.Build();

// GET /sample?count=16&seed=7 -> a PNG grid of decoded samples.
app.MapGet("/sample", IResult (VaeModel model, int? count, ulong? seed, CancellationToken cancellationToken) =>
{
    if (count is < 1 or > 256) return Results.BadRequest($"count is {count}; ask for 1 to 256 images.");
    ImageBatch images = model.Sample(count ?? 16, seed ?? 1, cancellationToken: cancellationToken);
    return Results.File(ImageFile.EncodePng(images.ToGrid()), "image/png");
});

// POST /decode with JSON [[z0, z1, ...], ...] -> the first decoded image as PNG.
app.MapPost("/decode", IResult (VaeModel model, float[][] z, CancellationToken cancellationToken) =>
{
    if (z.Length == 0 || z.Any(row => row.Length != model.Metadata.LatentSize))
        return Results.BadRequest($"send rows of {model.Metadata.LatentSize} numbers.");
    var latents = new LatentBatch(z.SelectMany(row => row).ToArray(), z.Length, model.Metadata.LatentSize);
    return Results.File(model.Decode(latents, cancellationToken).ToPng(0), "image/png");
});

app.Run();
