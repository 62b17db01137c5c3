// `health`: asks a running service whether it is alive (GET /healthz), for container health checks and scripts:
// exit 0 when it answers 2xx, otherwise one error line and exit 1. It starts no service and loads no model.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Host.Serving;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class HealthCommand : CliCommand
{
    private readonly Option<string?> _url = new("--url")
    {
        Description = $"The liveness URL to GET (default: {HealthProbe.LivenessPath} at the first http:// address of ASPNETCORE_URLS, else on 127.0.0.1 at the first port of ASPNETCORE_HTTP_PORTS, else at {ServeHost.DefaultUrl}).",
        HelpName = "URL",
    };

    public override string Name => "health";

    public override string Description => $"Check that a running service answers {HealthProbe.LivenessPath} (exit 0) or say why not (exit 1); the container image's health check.";

    protected override void AddOptions(Command command) => command.Add(_url);

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        Uri url = parseResult.GetValue(_url) is string text
            ? Uri.TryCreate(text, UriKind.Absolute, out var given) && (given.Scheme == Uri.UriSchemeHttp || given.Scheme == Uri.UriSchemeHttps)
                ? given
                : throw new CliUsageException($"--url '{UserText.Echo(text)}' is not an http:// or https:// URL; give one such as http://127.0.0.1:8080{HealthProbe.LivenessPath}.")
            : HealthProbe.DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        if (HealthProbe.ProblemAsync(url).GetAwaiter().GetResult() is string problem)
        {
            throw new CliUsageException(problem);
        }
        output.WriteLine($"alive: GET {url} answered 2xx");
        return Success;
    }
}
