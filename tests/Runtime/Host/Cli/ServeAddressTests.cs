// Where `runtime serve` listens, from every source Kestrel reads: a bad address in ASPNETCORE_URLS, DOTNET_URLS,
// ASPNETCORE_HTTP_PORTS, ASPNETCORE_HTTPS_PORTS, Kestrel__Endpoints__NAME__Url or "urls" in the --config file is one
// line naming that source, exit 1, before the model is loaded; a good one is where the server then answers; a port
// already in use is one line too. The policy's refusals (a host name that does not resolve here, https without a
// certificate, a socket in a missing folder, --urls beside Kestrel endpoints) and a malformed appsettings.json in the
// working directory are one line, never exit 70; a Kestrel endpoint replaces a bad ASPNETCORE_URLS, which is then not
// refused. Environment variables are set only on child processes, never on the test process.
using System.Net;
using System.Net.Sockets;
using VaeOnnx.Tests.Runtime.AspNetCore;

using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ServeAddressTests : ToyModelFixture
{
    [TestCase("ASPNETCORE_URLS", "http://*:99999", "ASPNETCORE_URLS=http://*:99999: port 99999 is out of range; the port must be 1-65535")]
    [TestCase("DOTNET_URLS", "localhost:5000", "DOTNET_URLS=localhost:5000 is not an address; write http://HOST:PORT")]
    [TestCase("ASPNETCORE_URLS", "http://127.0.0.1:5080;ftp://x", "ASPNETCORE_URLS=http://127.0.0.1:5080;ftp://x: 'ftp://x' is not an address")]
    [TestCase("ASPNETCORE_URLS", ";", "ASPNETCORE_URLS=; holds no address")]
    [TestCase("ASPNETCORE_HTTP_PORTS", "80x", "ASPNETCORE_HTTP_PORTS=80x: '80x' is not a port")]
    [TestCase("ASPNETCORE_HTTPS_PORTS", "443;70000", "ASPNETCORE_HTTPS_PORTS=443;70000: '70000' is not a port")]
    [TestCase("Kestrel__Endpoints__Api__Url", "http://[::1]:65536", "Kestrel__Endpoints__Api__Url=http://[::1]:65536: port 65536 is out of range")]
    public void A_bad_address_from_the_environment_is_one_line_naming_the_variable(string variable, string value, string expected)
    {
        var result = CliRunner.RunProcess(new Dictionary<string, string?> { [variable] = value }, null, "serve", "--model", Model);
        result.AssertOneLineError(expected);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Not.Contain("Loading the model"), "refused before the model loads");
    }

    [TestCase("http://typo-host.invalid:5080", "the host name 'typo-host.invalid' does not resolve to any address")]
    [TestCase("http://192.0.2.7:5080", "192.0.2.7 is not an address of this machine")]
    [TestCase("https://127.0.0.1:5443", "https needs a server certificate, and none is configured; set Kestrel:Certificates:Default:Path")]
    [TestCase("http://unix:/nonexistent-dir/x.sock", "the socket's folder /nonexistent-dir does not exist")]
    public void An_address_the_policy_refuses_is_one_line_before_the_model_loads(string urls, string expected)
    {
        var result = CliRunner.RunProcess(new Dictionary<string, string?>(), null, "serve", "--model", Model, "--urls", urls);

        result.AssertOneLineError($"--urls '{urls}'", expected);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Not.Contain("Loading the model"));
    }

    [Test]
    public void Https_ports_without_a_certificate_are_one_line()
    {
        var result = CliRunner.RunProcess(new Dictionary<string, string?> { ["ASPNETCORE_HTTPS_PORTS"] = "5443" }, null, "serve", "--model", Model);

        result.AssertOneLineError("ASPNETCORE_HTTPS_PORTS=5443 asks for https, which needs a server certificate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_malformed_appsettings_json_in_the_working_directory_is_one_line_naming_it()
    {
        string folder = Folder.File("bad-appsettings");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), "{ \"Logging\": \n");

        var result = CliRunner.RunProcessIn(folder, new Dictionary<string, string?>(), "serve", "--model", Model);

        result.AssertOneLineError($"{Path.Combine(folder, "appsettings.json")} is not valid JSON: line 2, column 1:", "fix it, or remove it");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Not.Contain("BytePositionInLine").And.Not.Contain("InvalidDataException"));
    }

    [Test]
    public void The_urls_flag_beside_kestrel_endpoints_is_refused_rather_than_ignored()
    {
        var result = CliRunner.RunProcess(new Dictionary<string, string?> { ["Kestrel__Endpoints__Api__Url"] = "http://127.0.0.1:5099" }, null,
            "serve", "--model", Model, "--urls", "http://127.0.0.1:5098");

        result.AssertOneLineError("--urls 'http://127.0.0.1:5098' would be ignored: Kestrel__Endpoints__Api__Url=http://127.0.0.1:5099 defines the addresses");
    }

    [Test]
    public async Task A_kestrel_endpoint_replaces_a_bad_aspnetcore_urls_which_is_then_not_refused()
    {
        using var server = await ServerProcess.StartAsync(Model, port => ([], new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Api__Url"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_URLS"] = "http://bad:99999",
        }));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var ready = await client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await server.TerminateAsync(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    [Test]
    public void A_bad_urls_setting_in_the_config_file_is_one_line_naming_the_file()
    {
        string config = Folder.File("bad-urls.json");
        File.WriteAllText(config, """{"urls": "http://127.0.0.1:123456"}""");
        var result = CliRunner.Run("serve", "--model", Model, "--config", config);
        result.AssertOneLineError($"\"urls\": \"http://127.0.0.1:123456\" in {config}: port 123456 is out of range");
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void The_urls_flag_wins_so_a_bad_environment_value_it_replaces_is_not_bound_or_refused()
    {
        // Only the value that wins is bound, so only it is checked: the flag's own bad port is what gets reported.
        var result = CliRunner.RunProcess(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "not an address" }, null,
            "serve", "--model", Model, "--urls", "http://127.0.0.1:70000");
        result.AssertOneLineError("--urls 'http://127.0.0.1:70000': port 70000 is out of range");
    }

    [TestCase("ASPNETCORE_URLS")]
    [TestCase("DOTNET_URLS")]
    [TestCase("config")]
    public async Task A_good_address_from_each_source_is_where_the_server_answers(string source)
    {
        string config = Folder.File($"urls-{Guid.NewGuid():N}.json");
        using var server = await ServerProcess.StartAsync(Model, port =>
        {
            string url = $"http://127.0.0.1:{port}";
            if (source != "config") return ([], new Dictionary<string, string> { [source] = url });
            File.WriteAllText(config, $$"""{"urls": "{{url}}"}""");
            return (["--config", config], new Dictionary<string, string>());
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var ready = await client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await server.TerminateAsync(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    [Test]
    public void A_port_in_use_is_one_line_saying_what_to_do_and_loads_no_model()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var result = CliRunner.RunProcess(new Dictionary<string, string?>(), null, "serve", "--model", Model, "--urls", $"http://127.0.0.1:{port}");
        result.AssertOneLineError($"Failed to bind to address http://127.0.0.1:{port}: address already in use", "choose another address with --urls");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Not.Contain("Loading the model").And.Not.Contain("   at "), "no model load, no stack trace");
    }
}
