// The service classifies failures the way the CLIs do (Core.Errors.UserErrors): a model fault (here ONNX Runtime's
// failure as InferenceException, with ORT's error-code prefix and C++ source location in the raw text) is the
// model-fault 500 whose detail carries the cleaned one line and no source location; a user error that reached the
// mapping (an ArgumentException) is a 400 with its one line; anything else is the anonymous 500 of a bug. Each is
// injected through GatedInference's Fault, so the classification is tested apart from any real model failure.
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Http;

[TestFixture]
public sealed class ProblemMappingTests
{
    private const string RawOrtMessage =
        "[ErrorCode:RuntimeException] Non-zero status code returned while running Gemm node. Name:'fc' Status Message: " +
        "/onnxruntime_src/onnxruntime/core/providers/cpu/math/gemm_helper.h:14 onnxruntime::GemmHelper::GemmHelper(const TensorShape&, bool, const TensorShape&, bool, const TensorShape&) " +
        "left.NumDimensions() == 2 || left.NumDimensions() == 1 was false.";

    public static IEnumerable<TestCaseData> Faults()
    {
        yield return new TestCaseData(new InferenceException($"decoder.onnx: ONNX Runtime failed to run the graph: {InferenceException.Clean(RawOrtMessage)}."),
            500, ProblemMiddleware.ModelFaultTitle, "Non-zero status code returned while running Gemm node").SetName("ONNX Runtime's failure is the model's fault, cleaned");
        yield return new TestCaseData(new ArgumentException("z[0] is too odd; send another z.", "z"), 400, "Bad Request", "z[0] is too odd; send another z.")
            .SetName("A user error reaching the mapping is a 400 with its one line");
        yield return new TestCaseData(new InvalidOperationException("internal state broken"), 500, "An unexpected error occurred.", "logged with trace id")
            .SetName("Anything else is a bug: an anonymous 500");
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Failures_are_classified_like_the_CLIs(Exception fault, int status, string title, string detailMentions)
    {
        string folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-mapping"));
        GatedInference? gated = null;
        await using var app = await ServingApp.StartAsync(folder, wrap: inner => gated = new GatedInference(inner) { Fault = fault });
        gated!.Open();
        try
        {
            var content = new StringContent("""{"z": [[0.1, 0.2, 0.3, 0.4]]}""", Encoding.UTF8, "application/json");
            using var response = await app.Client.PostAsync("/v1/decode", content);
            string body = await response.Content.ReadAsStringAsync();
            TestContext.Out.WriteLine($"{(int)response.StatusCode} {body}");
            ProblemAssert.IsProblem(response, body, status, detailMentions);
            using var json = JsonDocument.Parse(body);
            Assert.That(json.RootElement.GetProperty("title").GetString(), Is.EqualTo(title));
            Assert.That(body, Does.Not.Contain("onnxruntime_src").And.Not.Contain(".h:14").And.Not.Contain("[ErrorCode"), "no ONNX Runtime source location");
            if (fault is not InvalidOperationException)
                Assert.That(body, Does.Not.Contain("internal state"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
