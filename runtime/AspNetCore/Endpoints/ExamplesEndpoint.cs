// GET /v1/examples/{name}: one of the model folder's example images (ModelExamples: examples/*.png, listed under
// "examples" in GET /v1/model), answered as stored (image/png) with an ETag, for a client to show and to send back to
// /v1/encode, /v1/reconstruct or /v1/score like any upload. Only listed names are served (404 otherwise), so no path
// outside the folder can be reached. The bytes are read once per loaded model and kept.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Examples;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

/// <summary>GET /v1/examples/{name}.</summary>
internal static class ExamplesEndpoint
{
    private static readonly ConditionalWeakTable<IReadOnlyList<ModelExample>, ConcurrentDictionary<string, PrecompressedBody>> Bodies = [];

    /// <summary>Maps GET /examples/{name}.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapGet("/examples/{name}", HandleAsync);

    private static Task HandleAsync(HttpContext context, ModelHost host, string name)
    {
        var examples = host.Examples;
        var example = examples.FirstOrDefault(e => e.Name == name) ?? throw RequestProblem.NotFound(
            examples.Count == 0
                ? $"This model folder has no {VaeContract.ExamplesFolderName}/ folder of example images (the trainer's export writes one)."
                : $"There is no example named '{(name.Length > 70 ? name[..70] + "..." : name)}'; GET /v1/model lists the {examples.Count} there are.");
        var body = Bodies.GetOrCreateValue(examples).GetOrAdd(example.Name, _ => new PrecompressedBody(File.ReadAllBytes(example.Path), "image/png"));
        context.Response.Headers.CacheControl = "no-cache";
        return body.WriteAsync(context);
    }
}
