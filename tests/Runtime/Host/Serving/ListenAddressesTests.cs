// ListenAddresses on configurations built in memory (no environment variables touched): every address form Kestrel
// binds passes, each malformed one is refused naming its source, only the winning value is checked (--urls over
// "urls", "urls" over the port lists), and the result says whether any address was configured (else the loopback default).
using Microsoft.Extensions.Configuration;
using VaeOnnx.Runtime.AspNetCore;

using VaeOnnx.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

[TestFixture]
public sealed class ListenAddressesTests
{
    private static IConfigurationRoot Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [TestCase("http://127.0.0.1:5080")]
    [TestCase("https://localhost")]
    [TestCase("http://*:0")]
    [TestCase("http://+:80/")]
    [TestCase("http://[::1]:65535")]
    [TestCase("http://unix:/run/vae/serve.sock")]
    [TestCase(" http://a.example:1 ; https://b_c:443 ")]
    public void Every_form_kestrel_binds_passes(string urls)
    {
        Assert.That(ListenAddresses.Check(Settings(("urls", urls)), urlsFlag: null), Is.True);
        Assert.That(ListenAddresses.Check(Settings(), urls), Is.True);
    }

    [TestCase("http://127.0.0.1:65536", "port 65536 is out of range")]
    [TestCase("http://127.0.0.1:99999999999", "port 99999999999 is out of range")]
    [TestCase("127.0.0.1:5080", "is not an address")]
    [TestCase("http://127.0.0.1:5080/base", "is not an address")]
    [TestCase("http://unix:", "is not an address")]
    [TestCase(";;", "holds no address")]
    public void A_malformed_urls_setting_is_refused_naming_the_setting(string urls, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => ListenAddresses.Check(Settings(("urls", urls)), urlsFlag: null));
        Assert.That(e!.Message, Does.StartWith($"the setting urls = '{urls}'").And.Contain(rule));
    }

    [Test]
    public void A_json_file_source_is_named_by_its_full_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeonnx-urls-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"urls": "http://*:70000"}""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
            var e = Assert.Throws<ArgumentException>(() => ListenAddresses.Check(configuration, urlsFlag: null));
            Assert.That(e!.Message, Is.EqualTo(
                $"\"urls\": \"http://*:70000\" in {path}: port 70000 is out of range; the port must be 1-65535 (or 0 for any free port)."));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Only_the_winning_value_is_checked()
    {
        // --urls replaces "urls", and "urls" makes Kestrel ignore the port lists: neither bad value is ever bound.
        Assert.That(ListenAddresses.Check(Settings(("urls", "bad")), "http://127.0.0.1:1"), Is.True);
        Assert.That(ListenAddresses.Check(Settings(("urls", "http://127.0.0.1:1"), ("http_ports", "bad")), urlsFlag: null), Is.True);
        // A later provider's value wins over an earlier one's, as in the configuration's own lookup.
        var layered = new ConfigurationBuilder()
            .AddInMemoryCollection([new("urls", "bad")])
            .AddInMemoryCollection([new("urls", "http://127.0.0.1:2")]).Build();
        Assert.That(ListenAddresses.Check(layered, urlsFlag: null), Is.True);
    }

    [Test]
    public void Port_lists_are_checked_when_no_urls_is_set()
    {
        Assert.That(ListenAddresses.Check(Settings(("http_ports", "8080;8081"), ("https_ports", "8443")), urlsFlag: null), Is.True);
        var e = Assert.Throws<ArgumentException>(() => ListenAddresses.Check(Settings(("https_ports", "443;-1")), urlsFlag: null));
        Assert.That(e!.Message, Does.Contain("'-1' is not a port"));
    }

    [Test]
    public void Kestrel_endpoints_are_checked_and_count_as_configured()
    {
        Assert.That(ListenAddresses.Check(Settings(("Kestrel:Endpoints:Api:Url", "http://127.0.0.1:9000")), urlsFlag: null), Is.True);
        var e = Assert.Throws<ArgumentException>(() => ListenAddresses.Check(Settings(("Kestrel:Endpoints:Api:Url", "http://x:77777")), urlsFlag: null));
        Assert.That(e!.Message, Does.StartWith("the setting Kestrel:Endpoints:Api:Url = 'http://x:77777'"));
    }

    [Test]
    public void No_source_and_empty_values_mean_unconfigured()
    {
        Assert.That(ListenAddresses.Check(Settings(), urlsFlag: null), Is.False);
        Assert.That(ListenAddresses.Check(Settings(("urls", ""), ("http_ports", "")), urlsFlag: null), Is.False);
    }
}
