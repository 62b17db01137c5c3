// The one policy for the addresses the service listens on, run on every source Kestrel takes them from before the
// host is built (so before any model is loaded or any socket is bound): serve's --urls, the "urls" setting
// (ASPNETCORE_URLS, DOTNET_URLS, URLS, "urls" in appsettings.json or the --config file), the port lists
// (ASPNETCORE_HTTP_PORTS / ASPNETCORE_HTTPS_PORTS and their DOTNET_ forms, used only when no "urls" is set) and
// Kestrel:Endpoints:NAME:Url, which replace all the others (so the others are then neither bound nor checked, and
// --urls beside them is refused rather than silently ignored). Only the value that wins is checked, as only it is
// bound. The rules:
//   - the form: http(s)://HOST[:PORT] (HOST a name, an IP, [IPv6], *, +) or http://unix:/PATH, ports 1-65535 or 0;
//   - all interfaces only when asked for: *, +, 0.0.0.0 or [::]. Kestrel binds any other host name but localhost to
//     every interface ("http://typo-host:5080" listened on [::]); here a name is resolved and bound only to the
//     addresses of this machine it resolves to, and refused when it resolves to none (an IP literal must be one of
//     this machine's too: binding another failed with a bare "Cannot assign requested address");
//   - https needs a certificate (Kestrel:Certificates:Default, the endpoint's Certificate, or the ASP.NET Core
//     development certificate), which Kestrel otherwise reports with a stack trace when it starts;
//   - a Unix socket's folder must exist.
// A bad value is an ArgumentException whose one line names where it came from, the address and the rule. The result
// (ListenPlan) is what to bind. It does not check that a port is free (binding does; `runtime serve` words that too).
using System.Collections;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Serving;

/// <summary>What to bind: whether any source configured addresses (else the caller's loopback default), the
/// addresses for UseUrls (host names replaced by their local addresses), and Kestrel endpoint URLs to replace.</summary>
/// <param name="Configured">Whether any source gave an address.</param>
public sealed record ListenPlan(bool Configured)
{
    /// <summary>The --urls flag's or the "urls" setting's addresses, host names resolved; null to leave Kestrel's own reading.</summary>
    public string? Urls { get; init; }

    /// <summary>Configuration keys (Kestrel:Endpoints:NAME:Url) whose host name is replaced by the address it resolves to.</summary>
    public IReadOnlyDictionary<string, string> EndpointUrls { get; init; } = new Dictionary<string, string>();
}

/// <summary>How host names resolve and which addresses and certificates this machine has (replaceable in tests).</summary>
/// <param name="Resolve">The addresses a host name resolves to (none when it does not).</param>
/// <param name="IsLocal">Whether an address belongs to this machine.</param>
/// <param name="HasDevelopmentCertificate">Whether the ASP.NET Core development certificate is installed.</param>
internal sealed record ListenEnvironment(Func<string, IReadOnlyList<IPAddress>> Resolve, Func<IPAddress, bool> IsLocal, Func<bool> HasDevelopmentCertificate)
{
    /// <summary>DNS (5 s at most), this machine's interfaces, and the current user's certificate store.</summary>
    public static ListenEnvironment System { get; } = new(ResolveByDns, IsLocalAddress, FindDevelopmentCertificate);

    private static IReadOnlyList<IPAddress> ResolveByDns(string host)
    {
        try
        {
            var lookup = Dns.GetHostAddressesAsync(host);
            return lookup.Wait(TimeSpan.FromSeconds(5)) ? lookup.Result : [];
        }
        catch (AggregateException e) when (e.InnerException is SocketException or ArgumentException)
        {
            return [];
        }
    }

    private static bool IsLocalAddress(IPAddress address) =>
        IPAddress.IsLoopback(address)
        || NetworkInterface.GetAllNetworkInterfaces().Any(n => n.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(address)));

    // The certificate `dotnet dev-certs https` makes carries this extension (ASP.NET Core's CertificateManager).
    private static bool FindDevelopmentCertificate()
    {
        try
        {
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            return store.Certificates.Any(c => c.Extensions["1.3.6.1.4.1.311.84.1.1"] is not null && c.HasPrivateKey && c.NotAfter > DateTime.Now);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

public static partial class ListenAddresses
{
    private const string AddressForms =
        "write http://HOST:PORT or https://HOST:PORT (HOST a name, an IP, [IPv6], * or +) or http://unix:/PATH, ';'-separated";

    private const string PortRule = "the port must be 1-65535 (or 0 for any free port)";

    private const string CertificateAdvice =
        "set Kestrel:Certificates:Default:Path (with :Password or :KeyPath) in appsettings.json or --config, or Kestrel__Certificates__Default__Path, " +
        "or serve plain http behind a proxy that ends TLS";

    /// <summary>
    /// Checks every listen address <paramref name="configuration"/> gives Kestrel, or <paramref name="urlsFlag"/> (serve's
    /// --urls) instead of the "urls" setting when given, and returns what to bind. Throws an ArgumentException naming
    /// the source at the first bad value.
    /// </summary>
    public static ListenPlan Check(IConfiguration configuration, string? urlsFlag) => Check(configuration, urlsFlag, ListenEnvironment.System);

    /// <summary>As <see cref="Check(IConfiguration, string?)"/> with <paramref name="environment"/>'s name resolution and certificates.</summary>
    internal static ListenPlan Check(IConfiguration configuration, string? urlsFlag, ListenEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var endpoints = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? endpointSource = null;
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            string key = $"Kestrel:Endpoints:{endpoint.Key}:Url";
            if (Setting(configuration, key) is not { } url)
            {
                continue;
            }
            string bound = CheckUrls(url.Value, url.Where, environment, configuration, endpoint.Key, single: true);
            if (bound != url.Value)
            {
                endpoints[key] = bound;
            }
            endpointSource ??= url.Where(url.Value);
        }
        if (endpointSource is not null)
        {
            // Kestrel binds its endpoints and ignores every "urls" and port setting: those are not checked, and a --urls
            // that would be silently ignored is refused.
            if (urlsFlag is not null)
            {
                throw new ArgumentException($"--urls '{UserText.Echo(urlsFlag)}' would be ignored: {endpointSource} defines the addresses (Kestrel:Endpoints replaces --urls); remove one of them.");
            }
            return new ListenPlan(true) { EndpointUrls = endpoints };
        }
        if (urlsFlag is not null)
        {
            return new ListenPlan(true) { Urls = CheckUrls(urlsFlag, value => $"--urls '{UserText.Echo(value)}'", environment, configuration, null, single: false) };
        }
        if (Setting(configuration, WebHostDefaults.ServerUrlsKey) is { } urls)
        {
            return new ListenPlan(true) { Urls = CheckUrls(urls.Value, urls.Where, environment, configuration, null, single: false) };
        }
        bool configured = false;
        foreach (string key in new[] { WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey })
        {
            if (Setting(configuration, key) is { } ports)
            {
                CheckPorts(ports.Value, ports.Where);
                if (key == WebHostDefaults.HttpsPortsKey && !HasCertificate(configuration, null, environment))
                {
                    throw new ArgumentException($"{ports.Where(ports.Value)} asks for https, which needs a server certificate, and none is configured; {CertificateAdvice}.");
                }
                configured = true;
            }
        }
        return new ListenPlan(configured);
    }

    // Checks ';'-separated addresses; returns them with host names replaced by the local addresses they resolve to.
    private static string CheckUrls(string urls, Func<string, string> where, ListenEnvironment environment, IConfiguration configuration,
        string? endpoint, bool single)
    {
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            throw new ArgumentException($"{where(urls)} holds no address; give addresses such as http://127.0.0.1:5080, ';'-separated.");
        }
        var bound = new List<string>();
        foreach (string address in addresses)
        {
            // Which address is at fault is said only when the value holds several.
            string subject = addresses.Length == 1 ? where(urls) : $"{where(urls)}: '{UserText.Echo(address)}'";
            var socket = UnixSocket().Match(address);
            if (socket.Success)
            {
                string? folder = Path.GetDirectoryName(socket.Groups["path"].Value);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                {
                    throw new ArgumentException($"{subject}: the socket's folder {UserText.Path(folder)} does not exist; create it or choose another path.");
                }
                bound.Add(address);
                continue;
            }
            var match = Address().Match(address);
            if (!match.Success)
            {
                throw new ArgumentException($"{subject} is not an address; {AddressForms}.");
            }
            if (match.Groups["port"].Success && !IsPort(match.Groups["port"].Value))
            {
                throw new ArgumentException($"{subject}: port {UserText.Echo(match.Groups["port"].Value)} is out of range; {PortRule}.");
            }
            if (match.Groups["scheme"].Value == "https" && !HasCertificate(configuration, endpoint, environment))
            {
                throw new ArgumentException($"{subject}: https needs a server certificate, and none is configured; {CertificateAdvice}.");
            }
            bound.AddRange(Bind(match, subject, environment, single));
        }
        return string.Join(';', bound);
    }

    // The address as Kestrel should bind it: IPs, localhost and the all-interfaces forms as written; any other host
    // name replaced by each address of this machine it resolves to.
    private static IEnumerable<string> Bind(Match match, string subject, ListenEnvironment environment, bool single)
    {
        string host = match.Groups["host"].Value;
        if (host is "*" or "+" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [match.Value];
        }
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || environment.IsLocal(ip))
            {
                return [match.Value];
            }
            throw new ArgumentException($"{subject}: {ip} is not an address of this machine; give one of its addresses, localhost, or *, + or 0.0.0.0 to listen on every interface.");
        }
        var resolved = environment.Resolve(host);
        var local = resolved.Where(environment.IsLocal).Distinct().ToList();
        if (local.Count == 0)
        {
            string found = resolved.Count == 0 ? "does not resolve to any address" : $"resolves to {string.Join(", ", resolved.Take(4))}, none of them an address of this machine";
            throw new ArgumentException(
                $"{subject}: the host name '{UserText.Echo(host)}' {found}; give an IP address of this machine, localhost, or *, + or 0.0.0.0 to listen on every interface.");
        }
        if (single && local.Count > 1)
        {
            throw new ArgumentException(
                $"{subject}: the host name '{UserText.Echo(host)}' resolves to {string.Join(", ", local)} on this machine, and an endpoint binds one address; write the one you mean.");
        }
        string port = match.Groups["port"].Success ? ":" + match.Groups["port"].Value : "";
        return local.Select(a => $"{match.Groups["scheme"].Value}://{(a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString())}{port}");
    }

    private static bool HasCertificate(IConfiguration configuration, string? endpoint, ListenEnvironment environment)
    {
        static bool Named(IConfigurationSection section) => !string.IsNullOrEmpty(section["Path"]) || !string.IsNullOrEmpty(section["Subject"]);
        return Named(configuration.GetSection("Kestrel:Certificates:Default"))
            || (endpoint is not null && Named(configuration.GetSection($"Kestrel:Endpoints:{endpoint}:Certificate")))
            || environment.HasDevelopmentCertificate();
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

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_*+]+)(:(?<port>[0-9]+))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    [GeneratedRegex(@"^https?://unix:(?<path>/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnixSocket();
}
