// ListenAddresses on configurations built in memory (no environment variables touched), with a made-up machine
// (ListenEnvironment: which names resolve where, which addresses are local, whether a development certificate exists):
// every address form Kestrel binds passes, each malformed one is refused naming its source, only the winning value is
// checked (Kestrel endpoints over everything, --urls over "urls", "urls" over the port lists), host names are bound only
// to the local addresses they resolve to and never widened to every interface, https needs a certificate, and the
// plan says whether any address was configured (else the loopback default).
using System.Net;
using Microsoft.Extensions.Configuration;
using VaeOnnx.Runtime.AspNetCore;

using VaeOnnx.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

[TestFixture]
public sealed class ListenAddressesTests
{
    private static IConfigurationRoot Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    // This made-up machine has 127.0.0.1, ::1 and 10.1.2.3; "here" resolves to 10.1.2.3, "twice" to 10.1.2.3 and
    // 127.0.0.1, "remote" to 203.0.113.9, and every other name to nothing.
    private static ListenEnvironment Machine(bool developmentCertificate = false) => new(
        host => host switch
        {
            "here" or "a.example" or "b_c" => [IPAddress.Parse("10.1.2.3")],
            "twice" => [IPAddress.Parse("10.1.2.3"), IPAddress.Loopback],
            "remote" => [IPAddress.Parse("203.0.113.9")],
            _ => [],
        },
        address => IPAddress.IsLoopback(address) || address.Equals(IPAddress.Parse("10.1.2.3")),
        () => developmentCertificate);

    private static ListenPlan Check(IConfiguration configuration, string? urlsFlag, bool developmentCertificate = true) =>
        ListenAddresses.Check(configuration, urlsFlag, Machine(developmentCertificate));

    [TestCase("http://127.0.0.1:5080")]
    [TestCase("https://localhost")]
    [TestCase("http://*:0")]
    [TestCase("http://+:80/")]
    [TestCase("http://[::1]:65535")]
    [TestCase("http://unix:/tmp/serve.sock")]
    [TestCase(" http://a.example:1 ; https://b_c:443 ")]
    [TestCase("http://0.0.0.0:80")]
    [TestCase("http://[::]:80")]
    public void Every_form_kestrel_binds_passes(string urls)
    {
        Assert.That(Check(Settings(("urls", urls)), urlsFlag: null).Configured, Is.True);
        Assert.That(Check(Settings(), urls).Configured, Is.True);
    }

    [TestCase("http://here:5080", "http://10.1.2.3:5080")]
    [TestCase("http://twice:5080/", "http://10.1.2.3:5080;http://127.0.0.1:5080")]
    [TestCase("http://localhost:5080", "http://localhost:5080")]
    [TestCase("http://*:5080;http://+:5081;http://0.0.0.0:5082", "http://*:5080;http://+:5081;http://0.0.0.0:5082")]
    public void A_host_name_is_bound_only_to_the_addresses_of_this_machine_it_resolves_to(string urls, string bound)
    {
        Assert.That(Check(Settings(), urls).Urls, Is.EqualTo(bound));
        Assert.That(Check(Settings(("urls", urls)), urlsFlag: null).Urls, Is.EqualTo(bound));
    }

    [TestCase("http://typo-host:5080", "the host name 'typo-host' does not resolve to any address; give an IP address of this machine, localhost, or *, + or 0.0.0.0")]
    [TestCase("http://remote:5080", "the host name 'remote' resolves to 203.0.113.9, none of them an address of this machine")]
    [TestCase("http://203.0.113.9:5080", "203.0.113.9 is not an address of this machine")]
    public void A_host_that_is_not_this_machine_is_refused_never_widened_to_every_interface(string urls, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(), urls));
        Assert.That(e!.Message, Does.StartWith($"--urls '{urls}': {rule}").And.EndWith("or *, + or 0.0.0.0 to listen on every interface."));
    }

    [Test]
    public void Https_needs_a_configured_or_development_certificate()
    {
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(), "https://127.0.0.1:5443", developmentCertificate: false));
        Assert.That(e!.Message, Does.StartWith("--urls 'https://127.0.0.1:5443': https needs a server certificate").And.Contain("Kestrel:Certificates:Default:Path"));
        var ports = Assert.Throws<ArgumentException>(() => Check(Settings(("https_ports", "5443")), urlsFlag: null, developmentCertificate: false));
        Assert.That(ports!.Message, Does.StartWith("the setting https_ports = '5443' asks for https"));

        Assert.That(Check(Settings(("Kestrel:Certificates:Default:Path", "/etc/vae/cert.pfx")), "https://127.0.0.1:5443", developmentCertificate: false).Configured, Is.True);
        Assert.That(Check(Settings(), "https://127.0.0.1:5443", developmentCertificate: true).Configured, Is.True);
        Assert.That(Check(Settings(("Kestrel:Endpoints:Tls:Url", "https://127.0.0.1:5443"), ("Kestrel:Endpoints:Tls:Certificate:Path", "/x.pfx")), null,
            developmentCertificate: false).Configured, Is.True);
    }

    [Test]
    public void A_unix_socket_needs_an_existing_folder()
    {
        Assert.That(Check(Settings(), $"http://unix:{Path.Combine(Path.GetTempPath(), "x.sock")}").Configured, Is.True);
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(), "http://unix:/nonexistent-dir/x.sock"));
        Assert.That(e!.Message, Is.EqualTo("--urls 'http://unix:/nonexistent-dir/x.sock': the socket's folder /nonexistent-dir does not exist; create it or choose another path."));
    }

    [TestCase("http://127.0.0.1:65536", "port 65536 is out of range")]
    [TestCase("http://127.0.0.1:99999999999", "port 99999999999 is out of range")]
    [TestCase("127.0.0.1:5080", "is not an address")]
    [TestCase("http://127.0.0.1:5080/base", "is not an address")]
    [TestCase("http://unix:", "is not an address")]
    [TestCase(";;", "holds no address")]
    public void A_malformed_urls_setting_is_refused_naming_the_setting(string urls, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(("urls", urls)), urlsFlag: null));
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
            var e = Assert.Throws<ArgumentException>(() => Check(configuration, urlsFlag: null));
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
        Assert.That(Check(Settings(("urls", "bad")), "http://127.0.0.1:1").Urls, Is.EqualTo("http://127.0.0.1:1"));
        Assert.That(Check(Settings(("urls", "http://127.0.0.1:1"), ("http_ports", "bad")), urlsFlag: null).Configured, Is.True);
        // A later provider's value wins over an earlier one's, as in the configuration's own lookup.
        var layered = new ConfigurationBuilder()
            .AddInMemoryCollection([new("urls", "bad")])
            .AddInMemoryCollection([new("urls", "http://127.0.0.1:2")]).Build();
        Assert.That(Check(layered, urlsFlag: null).Urls, Is.EqualTo("http://127.0.0.1:2"));
    }

    [Test]
    public void Port_lists_are_checked_when_no_urls_is_set()
    {
        Assert.That(Check(Settings(("http_ports", "8080;8081"), ("https_ports", "8443")), urlsFlag: null).Configured, Is.True);
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(("https_ports", "443;-1")), urlsFlag: null));
        Assert.That(e!.Message, Does.Contain("'-1' is not a port"));
    }

    [Test]
    public void Kestrel_endpoints_are_checked_and_count_as_configured()
    {
        Assert.That(Check(Settings(("Kestrel:Endpoints:Api:Url", "http://127.0.0.1:9000")), urlsFlag: null).Configured, Is.True);
        var e = Assert.Throws<ArgumentException>(() => Check(Settings(("Kestrel:Endpoints:Api:Url", "http://x:77777")), urlsFlag: null));
        Assert.That(e!.Message, Does.StartWith("the setting Kestrel:Endpoints:Api:Url = 'http://x:77777'"));
    }

    [Test]
    public void Kestrel_endpoints_replace_urls_and_ports_which_are_then_not_checked()
    {
        // As the README says: Kestrel binds its endpoints and ignores "urls" and the port lists, so their bad values are never bound.
        var plan = Check(Settings(("urls", "http://bad:99999"), ("https_ports", "x"), ("Kestrel:Endpoints:Api:Url", "http://127.0.0.1:9000")), urlsFlag: null);
        Assert.That((plan.Configured, plan.Urls, plan.EndpointUrls.Count), Is.EqualTo((true, (string?)null, 0)));

        var e = Assert.Throws<ArgumentException>(() => Check(Settings(("Kestrel:Endpoints:Api:Url", "http://127.0.0.1:9000")), "http://127.0.0.1:9001"));
        Assert.That(e!.Message, Is.EqualTo("--urls 'http://127.0.0.1:9001' would be ignored: the setting Kestrel:Endpoints:Api:Url = 'http://127.0.0.1:9000' defines the addresses (Kestrel:Endpoints replaces --urls); remove one of them."));
    }

    [Test]
    public void A_kestrel_endpoint_host_name_is_replaced_by_its_one_local_address()
    {
        var plan = Check(Settings(("Kestrel:Endpoints:Api:Url", "http://here:9000")), urlsFlag: null);
        Assert.That(plan.EndpointUrls, Is.EquivalentTo(new Dictionary<string, string> { ["Kestrel:Endpoints:Api:Url"] = "http://10.1.2.3:9000" }));

        var e = Assert.Throws<ArgumentException>(() => Check(Settings(("Kestrel:Endpoints:Api:Url", "http://twice:9000")), urlsFlag: null));
        Assert.That(e!.Message, Does.Contain("resolves to 10.1.2.3, 127.0.0.1 on this machine, and an endpoint binds one address"));
    }

    [Test]
    public void No_source_and_empty_values_mean_unconfigured()
    {
        Assert.That(Check(Settings(), urlsFlag: null).Configured, Is.False);
        Assert.That(Check(Settings(("urls", ""), ("http_ports", "")), urlsFlag: null).Configured, Is.False);
    }
}
