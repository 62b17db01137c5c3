// The one check of the addresses the service will listen on, run on every source Kestrel takes them from before the
// host is built (so before any model is loaded or any socket is bound): serve's --urls, the "urls" setting
// (ASPNETCORE_URLS, DOTNET_URLS, URLS, "urls" in appsettings.json or the --config file), the port lists
// (ASPNETCORE_HTTP_PORTS / ASPNETCORE_HTTPS_PORTS and their DOTNET_ forms, used only when no "urls" is set) and
// Kestrel:Endpoints:NAME:Url. Only the value that wins is checked, as only it is bound. A bad one is an ArgumentException
// whose one line names where the value came from, the address and the rule; Kestrel itself answered with "Specified
// argument was out of the range of valid values." or "Invalid url" and a stack trace, after loading the model. It does
// not resolve host names or check that a port is free (binding does; `runtime serve` words that failure too).
using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Serving;

public static partial class ListenAddresses
{
    private const string AddressForms =
        "write http://HOST:PORT or https://HOST:PORT (HOST a name, an IP, [IPv6], * or +) or http://unix:/PATH, ';'-separated";

    private const string PortRule = "the port must be 1-65535 (or 0 for any free port)";

    /// <summary>
    /// Checks every listen address <paramref name="configuration"/> gives Kestrel, or <paramref name="urlsFlag"/> (serve's
    /// --urls) instead of the "urls" setting when given. Returns whether any address was configured at all (when none
    /// was, the caller picks its default). Throws an ArgumentException naming the source at the first bad value.
    /// </summary>
    public static bool Check(IConfiguration configuration, string? urlsFlag)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        bool configured = false;
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            string key = $"Kestrel:Endpoints:{endpoint.Key}:Url";
            if (Setting(configuration, key) is { } url)
            {
                CheckUrls(url.Value, url.Where);
                configured = true;
            }
        }
        if (urlsFlag is not null)
        {
            CheckUrls(urlsFlag, value => $"--urls '{UserText.Echo(value)}'");
            return true;
        }
        if (Setting(configuration, WebHostDefaults.ServerUrlsKey) is { } urls)
        {
            CheckUrls(urls.Value, urls.Where);
            return true;
        }
        foreach (string key in new[] { WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey })
        {
            if (Setting(configuration, key) is { } ports)
            {
                CheckPorts(ports.Value, ports.Where);
                configured = true;
            }
        }
        return configured;
    }

    /// <summary>Checks ';'-separated addresses; <paramref name="where"/> words the value with its source.</summary>
    public static void CheckUrls(string urls, Func<string, string> where)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(where);
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            throw new ArgumentException($"{where(urls)} holds no address; give addresses such as http://127.0.0.1:5080, ';'-separated.");
        }
        foreach (string address in addresses)
        {
            if (UnixSocket().IsMatch(address)) continue;
            // Which address is at fault is said only when the value holds several.
            string subject = addresses.Length == 1 ? where(urls) : $"{where(urls)}: '{UserText.Echo(address)}'";
            var match = Address().Match(address);
            if (!match.Success)
            {
                throw new ArgumentException($"{subject} is not an address; {AddressForms}.");
            }
            if (match.Groups["port"].Success && !IsPort(match.Groups["port"].Value))
            {
                throw new ArgumentException($"{subject}: port {UserText.Echo(match.Groups["port"].Value)} is out of range; {PortRule}.");
            }
        }
    }

    /// <summary>Checks a ';'-separated port list (ASPNETCORE_HTTP_PORTS, ASPNETCORE_HTTPS_PORTS).</summary>
    public static void CheckPorts(string ports, Func<string, string> where)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(where);
        foreach (string port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsPort(port))
            {
                throw new ArgumentException($"{where(ports)}: '{UserText.Echo(port)}' is not a port; {PortRule}, ';'-separated.");
            }
        }
    }

    private static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535;

    /// <summary>The winning, non-empty value of <paramref name="key"/> and how to name where it came from, or null when unset.</summary>
    private static (string Value, Func<string, string> Where)? Setting(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return configuration[key] is { Length: > 0 } plain ? (plain, value => $"the setting {key} = '{UserText.Echo(value)}'") : null;
        }
        // Later providers win, as in IConfiguration's own lookup; an empty value counts as unset, as Kestrel reads it.
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out string? found)) continue;
            if (string.IsNullOrEmpty(found)) return null;
            return (found, Describe(provider, key, found));
        }
        return null;
    }

    private static Func<string, string> Describe(IConfigurationProvider provider, string key, string found) => provider switch
    {
        FileConfigurationProvider file =>
            value => $"\"{key}\": \"{UserText.Echo(value)}\" in {UserText.Path(FilePath(file.Source))}",
        EnvironmentVariablesConfigurationProvider when EnvironmentName(key, found) is { } name =>
            value => $"{name}={UserText.Echo(value)}",
        _ => value => $"the setting {key} = '{UserText.Echo(value)}'",
    };

    private static string FilePath(FileConfigurationSource source) =>
        source.Path is null ? "a configuration file" : source.FileProvider?.GetFileInfo(source.Path).PhysicalPath ?? source.Path;

    // The environment variable that supplied key: DOTNET_URLS, ASPNETCORE_URLS, URLS, Kestrel__Endpoints__Api__Url...
    // (the providers match names without regard to case and read "__" as ':').
    private static string? EnvironmentName(string key, string value)
    {
        string suffix = key.Replace(":", "__", StringComparison.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if ((string?)variable.Value == value && (name.Equals(suffix, StringComparison.OrdinalIgnoreCase)
                || name.Equals("ASPNETCORE_" + suffix, StringComparison.OrdinalIgnoreCase)
                || name.Equals("DOTNET_" + suffix, StringComparison.OrdinalIgnoreCase)))
            {
                return name;
            }
        }
        return null;
    }

    [GeneratedRegex(@"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_*+]+)(:(?<port>[0-9]+))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    [GeneratedRegex(@"^https?://unix:/.+$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSocket();
}
