// Bad input never reaches the model and never yields a 500: each malformed, hostile or oversized request gets the
// precise 4xx with an RFC 9457 problem+json body whose detail names the problem, and no stack trace or exception
// text. The service runs with small limits so oversized bodies are cheap to send.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

using VaeOnnx.Tests.Runtime.AspNetCore.Endpoints;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Http;

[TestFixture]
public sealed class ServingErrorTests
{
    private const int MaxBodyBytes = 16 * 1024;
    private string _folder = "";
    private ServingApp _app = null!;

    public sealed record BadRequest(string Name, HttpMethod Method, string Path, string? ContentType, byte[]? Body, string? Accept, int Status, string DetailMentions)
    {
        public override string ToString() => Name;
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-errors"));
        OnnxChecker.AssertValid(Path.Combine(_folder, "encoder.onnx"), Path.Combine(_folder, "decoder.onnx"));
        _app = await ServingApp.StartAsync(_folder, o => { o.MaxBatch = 8; o.MaxCount = 16; o.MaxBodyBytes = MaxBodyBytes; });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static BadRequest Json(string name, string path, string body, int status, string mentions, string contentType = "application/json", string? accept = null) =>
        new(name, HttpMethod.Post, path, contentType, Encoding.UTF8.GetBytes(body), accept, status, mentions);

    private static BadRequest Bytes(string name, string path, byte[]? body, string? contentType, int status, string mentions, string? accept = null) =>
        new(name, HttpMethod.Post, path, contentType, body, accept, status, mentions);

    public static IEnumerable<BadRequest> Cases()
    {
        // Malformed JSON and non-finite numbers.
        yield return Json("decode: truncated JSON", "/v1/decode", """{"z": [[1, 2""", 400, "not valid JSON");
        yield return Json("decode: NaN literal", "/v1/decode", """{"z": [[0, NaN, 1, 2]]}""", 400, "NaN and Infinity are not JSON numbers");
        yield return Json("decode: Infinity literal", "/v1/decode", """{"z": [[0, -Infinity, 1, 2]]}""", 400, "NaN and Infinity are not JSON numbers");
        yield return Json("decode: NaN as a string", "/v1/decode", """{"z": [[0, "NaN", 1, 2]]}""", 400, "z[0][1] is a JSON string");
        yield return Json("decode: overflowing literal", "/v1/decode", """{"z": [[0, 1, 2, 1e39]]}""", 400, "z[0][3] = 1e39 is outside the float32 range");
        yield return Bytes("decode: not UTF-8", "/v1/decode", [.. "{\"z\": \""u8, 0xFF, 0xFE, .. "\"}"u8], "application/json", 400, "not valid UTF-8");
        yield return Json("decode: too deep", "/v1/decode", new string('[', 100) + new string(']', 100), 400, "not valid JSON");
        // Wrong shapes.
        yield return Json("decode: wrong z length", "/v1/decode", """{"z": [[1, 2, 3]]}""", 400, "z[0] has 3 values; this model's latent size is 4");
        yield return Json("decode: ragged rows", "/v1/decode", """{"z": [[1, 2, 3, 4], [1, 2, 3, 4, 5]]}""", 400, "z[1] has 5 values");
        yield return Json("decode: flat vector", "/v1/decode", """{"z": [1, 2, 3, 4]}""", 400, "z[0] is a JSON number");
        yield return Json("decode: empty batch", "/v1/decode", """{"z": []}""", 400, "z has 0 rows");
        yield return Json("decode: batch over MaxBatch", "/v1/decode", JsonSerializer.Serialize(new { z = Enumerable.Repeat(new[] { 0f, 0f, 0f, 0f }, 9) }), 400, "send 1 to 8 rows");
        yield return Json("decode: missing z", "/v1/decode", """{}""", 400, "'z' is missing");
        yield return Json("decode: unknown field", "/v1/decode", """{"z": [[1, 2, 3, 4]], "zz": 1}""", 400, "Unknown field 'zz'");
        yield return Json("decode: duplicate field", "/v1/decode", """{"z": [[1, 2, 3, 4]], "z": [[1, 2, 3, 4]]}""", 400, "more than once");
        yield return Json("decode: array body", "/v1/decode", """[[1, 2, 3, 4]]""", 400, "The body is a JSON array");
        // Sample parameters.
        yield return Json("sample: count 0", "/v1/sample", """{"count": 0}""", 400, "count is 0; it must be from 1 to 16");
        yield return Json("sample: count over MaxCount", "/v1/sample", """{"count": 17}""", 400, "count is 17");
        yield return Json("sample: fractional count", "/v1/sample", """{"count": 1.5}""", 400, "count is 1.5");
        yield return Json("sample: negative seed", "/v1/sample", """{"seed": -1}""", 400, "seed is -1");
        yield return Json("sample: zero temperature", "/v1/sample", """{"temperature": 0}""", 400, "temperature is 0");
        yield return Json("sample: string temperature", "/v1/sample", """{"temperature": "hot"}""", 400, "temperature is a JSON string");
        // Bodies and content types.
        yield return Bytes("decode: missing body", "/v1/decode", null, "application/json", 400, "body is missing");
        yield return Bytes("decode: text/plain", "/v1/decode", Encoding.UTF8.GetBytes("""{"z": [[1, 2, 3, 4]]}"""), "text/plain", 415, "takes application/json");
        yield return Bytes("decode: no content type", "/v1/decode", Encoding.UTF8.GetBytes("""{"z": [[1, 2, 3, 4]]}"""), null, 415, "Content-Type header is missing");
        yield return Bytes("decode: over MaxBodyBytes", "/v1/decode", new byte[MaxBodyBytes + 1], "application/json", 413, $"limit of {MaxBodyBytes} bytes");
        yield return Json("sample: over its 4 KiB limit", "/v1/sample", "{\"count\": 1" + new string(' ', 5000) + "}", 413, "limit of 4096 bytes");
        yield return Json("decode: Accept text/html only", "/v1/decode", """{"z": [[1, 2, 3, 4]]}""", 406, "answers image/png or application/json", accept: "text/html");
        // Images.
        var (good, _) = ServingEndpointTests.RandomPng(seed: 31);
        yield return Bytes("reconstruct: not a PNG", "/v1/reconstruct", Encoding.UTF8.GetBytes("this is not an image, honestly"), "image/png", 400, "not a valid image");
        yield return Bytes("reconstruct: corrupt CRC", "/v1/reconstruct", FlipByte(good, good.AsSpan().IndexOf("IDAT"u8) + 6), "image/png", 400, "not a valid image");
        yield return Bytes("reconstruct: truncated PNG", "/v1/reconstruct", good[..(good.Length - 20)], "image/png", 400, "not a valid image");
        yield return Bytes("reconstruct: huge claimed size", "/v1/reconstruct", WithDimensions(good, 100000, 100000), "image/png", 400, "100000×100000");
        yield return Bytes("reconstruct: wrong size", "/v1/reconstruct", ServingEndpointTests.RandomPng(seed: 32, width: 8, height: 8).Png, "image/png", 400, "takes 8×6 (H×W)");
        yield return Bytes("reconstruct: colour into a grey model", "/v1/reconstruct", ServingEndpointTests.RandomPng(seed: 33, channels: 3).Png, "image/png", 400, "the uploaded image");
        yield return Bytes("reconstruct: JSON content type", "/v1/reconstruct", good, "application/json", 415, "takes image/png");
        yield return Bytes("reconstruct: bad mode", "/v1/reconstruct?mode=median", good, "image/png", 400, "mode=mean or mode=sample");
        yield return Bytes("reconstruct: bad seed", "/v1/reconstruct?mode=sample&seed=-3", good, "image/png", 400, "seed must be an integer");
        yield return Bytes("encode: missing body", "/v1/encode", null, "image/png", 400, "body is missing");
        yield return Bytes("encode: Accept image/png only", "/v1/encode", good, "image/png", 406, "answers application/json", accept: "image/png");
        // Routing.
        yield return new("unknown path", HttpMethod.Get, "/v1/nope", null, null, null, 404, "no endpoint at /v1/nope");
        yield return new("wrong method", HttpMethod.Get, "/v1/decode", null, null, null, 405, "GET is not allowed");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BadRequest_GetsAPreciseProblem(BadRequest bad)
    {
        using var request = new HttpRequestMessage(bad.Method, bad.Path);
        if (bad.Body is not null || bad.ContentType is not null)
        {
            request.Content = new ByteArrayContent(bad.Body ?? []);
            request.Content.Headers.ContentType = bad.ContentType is null ? null : MediaTypeHeaderValue.Parse(bad.ContentType);
        }
        if (bad.Accept is not null) request.Headers.TryAddWithoutValidation("Accept", bad.Accept);

        using var response = await _app.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        TestContext.Out.WriteLine($"{(int)response.StatusCode} {body}");

        Assert.That((int)response.StatusCode, Is.EqualTo(bad.Status));
        ProblemAssert.IsProblem(response, body, bad.Status, bad.DetailMentions);
    }

    private static byte[] FlipByte(byte[] png, int index)
    {
        byte[] copy = (byte[])png.Clone();
        copy[index] ^= 0x5A;
        return copy;
    }

    private static byte[] WithDimensions(byte[] png, uint width, uint height)
    {
        byte[] copy = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Core.Imaging.PngFileBuilder.Crc(copy[12..29]));
        return copy;
    }
}
