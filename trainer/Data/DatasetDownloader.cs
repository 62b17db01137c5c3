// Downloads missing dataset files from the dataset's mirrors, in order, verifying each file's digest.
// A file is written through AtomicFile with its digest checked on the temporary file before the rename, so an
// interrupted or corrupt download never leaves a file that looks complete and never replaces one already there.
// With no network it fails within the connect timeout with a message that says where to put the files by hand.
// It does not resume partial downloads.
using System.Net.Sockets;
using System.Security.Cryptography;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Trainer.Data;

public sealed class DatasetDownloader
{
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _transferTimeout;
    private readonly TextWriter? _log;

    public DatasetDownloader(TimeSpan connectTimeout, TimeSpan transferTimeout, TextWriter? log = null, IReadOnlyList<string>? mirrorsOverride = null)
    {
        _connectTimeout = connectTimeout;
        _transferTimeout = transferTimeout;
        _log = log;
        MirrorsOverride = mirrorsOverride;
    }

    /// <summary>Mirrors tried instead of the dataset's own (tests point this at an address that cannot answer).</summary>
    public IReadOnlyList<string>? MirrorsOverride { get; }

    public static DatasetDownloader Default(TextWriter? log) => new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), log);

    public void Download(IdxDatasetSource source, string folder, IReadOnlyList<RemoteFile> files)
    {
        bool created = !Directory.Exists(folder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"Cannot create the data folder {Path.GetFullPath(folder)} ({e.Message}); choose another with --data.", e);
        }
        IReadOnlyList<string> mirrors = MirrorsOverride ?? source.Mirrors;
        using var client = CreateClient();
        foreach (RemoteFile file in files)
        {
            var failures = new List<string>();
            bool done = false;
            foreach (string mirror in mirrors)
            {
                string url = mirror + file.Name;
                _log?.WriteLine($"downloading {url}");
                try
                {
                    DownloadOne(client, url, file, Path.Combine(folder, file.Name));
                    done = true;
                    break;
                }
                catch (DownloadFailedException e)
                {
                    failures.Add($"{url}: {e.Message}");
                    _log?.WriteLine($"  failed: {e.Message}");
                }
            }
            if (!done)
            {
                RemoveIfCreatedAndEmpty(folder, created);
                string[] missing = files.Select(f => f.Name).Where(n => IdxDatasetSource.FindLocal(folder, n) is null).ToArray();
                throw new DatasetException(source.MissingFilesMessage(folder, missing, string.Join("; ", failures)));
            }
        }
    }

    // A failed download leaves no empty folder of its own behind (it would hide the folder's absence, e.g. from
    // scripts/setup.sh, which links data/mnist only where nothing is).
    private static void RemoveIfCreatedAndEmpty(string folder, bool created)
    {
        if (created && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = _connectTimeout };
        return new HttpClient(handler) { Timeout = _transferTimeout };
    }

    private static void DownloadOne(HttpClient client, string url, RemoteFile file, string destination)
    {
        try
        {
            using var response = Send(client, url);
            if (!response.IsSuccessStatusCode)
            {
                throw new DownloadFailedException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            using Stream body = response.Content.ReadAsStream();
            AtomicFile.Write(destination, body.CopyTo, temporary => CheckDigest(temporary, file));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or SocketException or InvalidOperationException or UriFormatException)
        {
            throw new DownloadFailedException(e is TaskCanceledException ? "timed out" : e.Message);
        }
    }

    private static void CheckDigest(string path, RemoteFile file)
    {
        string digest = ComputeDigest(path, file.Digest);
        if (!file.AcceptedDigests.Contains(digest, StringComparer.OrdinalIgnoreCase))
        {
            throw new DownloadFailedException(
                $"{file.Digest.ToString().ToLowerInvariant()} {digest} is not the expected {string.Join(" or ", file.AcceptedDigests)}");
        }
    }

    private static HttpResponseMessage Send(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        return client.Send(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static string ComputeDigest(string path, DigestKind kind)
    {
        using var stream = File.OpenRead(path);
        byte[] hash = kind == DigestKind.Sha256 ? SHA256.HashData(stream) : MD5.HashData(stream);
        return Convert.ToHexStringLower(hash);
    }

    private sealed class DownloadFailedException(string message) : Exception(message);
}
