// Checks serve's --urls before Kestrel sees them: ';'-separated http:// or https:// addresses with a host and an
// optional port from 0 (any free port) to 65535. Kestrel reported an out-of-range port as "Specified argument was out
// of the range of valid values." with no hint of which address or what range; this names the address and the rule.
// It does not resolve host names or check that the port is free (binding does, and says so).
using System.Globalization;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public static partial class ServeUrls
{
    /// <summary>Throws a CliUsageException naming <paramref name="option"/> and the address at the first malformed one.</summary>
    public static void Check(string urls, string option)
    {
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            throw new CliUsageException($"{option} is empty; give addresses such as http://127.0.0.1:5080, ';'-separated.");
        }
        foreach (string address in addresses)
        {
            var match = Address().Match(address);
            if (!match.Success)
            {
                throw new CliUsageException(
                    $"{option} '{UserText.Echo(address)}' is not an address; write http://HOST:PORT or https://HOST:PORT (HOST a name, an IP, [IPv6], * or +), ';'-separated.");
            }
            if (match.Groups["port"].Success
                && (!int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535))
            {
                throw new CliUsageException(
                    $"{option} '{UserText.Echo(address)}': port {UserText.Echo(match.Groups["port"].Value)} is out of range; the port must be 1-65535 (or 0 for any free port).");
            }
        }
    }

    [GeneratedRegex(@"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_*+]+)(:(?<port>[0-9]+))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
