// The address `vaeonnx-runtime health` probes by default follows the one `serve` listens on: the first http:// address
// of ASPNETCORE_URLS (a wildcard host probed on 127.0.0.1), else the first port of ASPNETCORE_HTTP_PORTS (as in the
// container image), else ServeHost's loopback default; always the liveness path the service maps.
using VaeOnnx.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

[TestFixture]
public sealed class HealthProbeTests
{
    [TestCase(null, null, "http://127.0.0.1:5080/healthz")]
    [TestCase(null, "8080", "http://127.0.0.1:8080/healthz")]
    [TestCase(null, " 8080 ; 9090", "http://127.0.0.1:8080/healthz")]
    [TestCase(null, "not-a-port", "http://127.0.0.1:5080/healthz")]
    [TestCase("http://127.0.0.1:6000", "8080", "http://127.0.0.1:6000/healthz")]
    [TestCase("http://*:7000", null, "http://127.0.0.1:7000/healthz")]
    [TestCase("http://+:7001;https://*:7443", null, "http://127.0.0.1:7001/healthz")]
    [TestCase("http://0.0.0.0:7002", null, "http://127.0.0.1:7002/healthz")]
    [TestCase("http://[::]:7003", null, "http://127.0.0.1:7003/healthz")]
    [TestCase("https://*:7443;http://localhost:7004", null, "http://localhost:7004/healthz")]
    [TestCase("https://*:7443", "8080", "http://127.0.0.1:8080/healthz")]
    public void The_default_url_follows_where_serve_listens(string? urls, string? httpPorts, string expected)
    {
        Assert.That(HealthProbe.DefaultUrl(urls, httpPorts).ToString(), Is.EqualTo(expected));
        Assert.That(ServeHost.DefaultUrl + HealthProbe.LivenessPath, Is.EqualTo("http://127.0.0.1:5080/healthz"));
    }
}
