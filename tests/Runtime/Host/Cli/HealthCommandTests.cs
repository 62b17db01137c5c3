// `health` (the container image's HEALTHCHECK): exit 0 and one line when the service answers /healthz; one error
// line and exit 1 when nothing listens, when the answer is not 2xx, or when --url is not an http(s) URL. It starts no
// service and loads no model.
using VaeOnnx.Tests.Runtime.Host.Serving;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class HealthCommandTests
{
    [Test]
    public async Task A_running_service_is_alive()
    {
        using var server = await ServerProcess.StartAsync(Path.Combine(RepositoryPaths.Root, "models", "mnist-conv"));
        var result = CliRunner.Run("health", "--url", new Uri(server.BaseAddress, "/healthz").ToString());
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.StartWith("alive: GET http://127.0.0.1:"));

        var missing = CliRunner.Run("health", "--url", new Uri(server.BaseAddress, "/no-such-path").ToString());
        missing.AssertOneLineError("answered 404");
    }

    [Test]
    public void Nothing_listening_is_one_line()
    {
        int port = ServerProcess.FreeLoopbackPort(); // free now: nothing listens there
        var result = CliRunner.Run("health", "--url", $"http://127.0.0.1:{port}/healthz");
        result.AssertOneLineError($"GET http://127.0.0.1:{port}/healthz failed", "is the service running");
    }

    [TestCase("ftp://127.0.0.1/healthz")]
    [TestCase("127.0.0.1:8080")]
    [TestCase("")]
    public void A_url_that_is_not_http_is_one_line(string url)
    {
        var result = CliRunner.Run("health", "--url", url);
        result.AssertOneLineError("--url", "is not an http:// or https:// URL");
    }
}
