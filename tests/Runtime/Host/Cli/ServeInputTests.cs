// serve's own inputs checked before the service starts, each refused in one line with exit 1: a --config file that is
// not JSON (named with line and column; it was 25 lines of stack trace and exit 70) or holds values of the wrong
// type, --urls with an out-of-range port or a malformed address (the other sources of addresses: ServeAddressTests),
// and --threads beyond ThreadCount.MaxCount (which made the service never become ready and ignore SIGTERM).
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

[TestFixture]
public sealed class ServeInputTests : ToyModelFixture
{
    private CliResult Serve(params string[] extra) => CliRunner.Run(["serve", "--model", Model, .. extra]);

    private string Config(string name, string text)
    {
        string path = Folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Malformed_json_config_is_one_line_naming_the_file_and_position()
    {
        var result = Serve("--config", Config("broken.json", "{\n  \"VaeServing\": {\n    \"MaxCount\": 12,,\n  }\n}"), "--urls", "http://127.0.0.1:0");
        result.AssertOneLineError("--config", "broken.json is not valid JSON", "line 3");
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_config_that_is_not_an_object_is_one_line()
    {
        Serve("--config", Config("array.json", "[1, 2]"), "--urls", "http://127.0.0.1:0").AssertOneLineError("array.json holds a JSON array");
    }

    [TestCase("{\"VaeServing\": {\"MaxCount\": \"many\"}}", "VaeServing:MaxCount is 'many' in ", "it must be a whole number")]
    [TestCase("{\"VaeServing\": {\"MaxCount\": -5}}", "MaxCount is -5", "at least 1")]
    [TestCase("{\"VaeServing\": {\"RequestTimeout\": \"soon\"}}", "VaeServing:RequestTimeout is 'soon'", "a time span")]
    [TestCase("{\"VaeServing\": {\"MaxConcurrentInference\": 100000}}", "MaxConcurrentInference is 100000", "from 1 to 256")]
    public void A_config_value_of_the_wrong_type_or_range_is_one_line(string json, string what, string expected)
    {
        var result = Serve("--config", Config($"typed-{Guid.NewGuid():N}.json", json), "--urls", "http://127.0.0.1:0");
        result.AssertOneLineError(what, expected);
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [TestCase("http://127.0.0.1:99999", "port must be 1-65535")]
    [TestCase("http://127.0.0.1:-1", "is not an address")]
    [TestCase("127.0.0.1:5080", "is not an address")]
    [TestCase("ftp://127.0.0.1:21", "is not an address")]
    [TestCase("http://127.0.0.1:5080;http://[::1]:70000", "port must be 1-65535")]
    [TestCase(";", "--urls ';' holds no address")]
    public void Bad_urls_are_one_line_saying_the_rule(string urls, string fragment)
    {
        var result = Serve("--urls", urls);
        result.AssertOneLineError("--urls", fragment);
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [TestCase("100000")]
    [TestCase("257")]
    [TestCase("-1")]
    public void Threads_beyond_the_bound_are_refused_before_serving(string threads)
    {
        var result = Serve("--threads", threads, "--urls", "http://127.0.0.1:0");
        result.AssertOneLineError("--threads", $"give 1 to {ThreadCount.MaxCount}");
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }
}
