// The downloader: offline it fails fast with a message saying where to put the files; against a local server it
// accepts a file whose sha256 matches (the shared MNIST labels) and refuses, leaving nothing behind, one that does not;
// a refused or cut-off download leaves a file already in the folder byte for byte and no temporary file.
// No test talks to a real external host.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class DatasetDownloaderTests
{
    [Test]
    public void OfflineFailsFastAndSaysWhereToPutTheFiles()
    {
        using var folder = new TemporaryFolder();
        string data = Path.Combine(folder.Path, "mnist");
        // Loopback ports with nothing listening refuse at once: no traffic leaves the machine.
        var downloader = new DatasetDownloader(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TestContext.Out, ["http://127.0.0.1:9/", "http://127.0.0.1:1/"]);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<DatasetException>(() => IdxDatasetSource.Mnist.Load(data, downloader));
        TestContext.Out.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {e!.Message}");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        Assert.That(e.Message, Does.Contain($"mnist is not in {Path.GetFullPath(data)}"));
        Assert.That(e.Message, Does.Contain("could not be downloaded"));
        Assert.That(e.Message, Does.Contain("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"));
        Assert.That(e.Message, Does.Contain("--data").And.Contain("VAEONNX_DATA"));
        Assert.That(Directory.Exists(data), Is.False, "a failed download leaves no file and no folder of its own");
    }

    [Test]
    public void WithoutDownloaderMissingFilesAreListed()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(RepositoryPaths.MnistFolder, IdxDatasetSource.TestLabels), folder.File(IdxDatasetSource.TestLabels));
        var e = Assert.Throws<DatasetException>(() => IdxDatasetSource.Mnist.Load(folder.Path, downloader: null));
        Assert.That(e!.Message, Does.Contain("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz").And.Not.Contain("t10k-labels"));
    }

    [Test]
    public void DownloadsAndVerifiesAgainstALocalServer()
    {
        byte[] genuine = File.ReadAllBytes(Path.Combine(RepositoryPaths.MnistFolder, IdxDatasetSource.TestLabels));
        using var server = new LocalServer(new Dictionary<string, byte[]> { ["/good/" + IdxDatasetSource.TestLabels] = genuine });
        using var folder = new TemporaryFolder();
        RemoteFile labels = IdxDatasetSource.Mnist.Files.Single(f => f.Name == IdxDatasetSource.TestLabels);
        // The first mirror answers 404; the second has the file.
        var downloader = new DatasetDownloader(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TestContext.Out, [server.Url + "missing/", server.Url + "good/"]);

        downloader.Download(IdxDatasetSource.Mnist, folder.Path, [labels]);

        string saved = folder.File(IdxDatasetSource.TestLabels);
        Assert.That(File.ReadAllBytes(saved), Is.EqualTo(genuine));
        Assert.That(IdxReader.ReadLabels(saved), Has.Length.EqualTo(10000));
        Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1));
    }

    // A download that fails its digest (one flipped bit) or is cut off midway, into a folder that is empty or already
    // holds the file: whatever was there stays byte for byte, and no temporary file is left.
    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void AFailedDownloadKeepsWhatWasThereAndLeavesNoTemporary(bool cutOff, bool fileAlreadyThere)
    {
        byte[] genuine = File.ReadAllBytes(Path.Combine(RepositoryPaths.MnistFolder, IdxDatasetSource.TestLabels));
        byte[] served = (byte[])genuine.Clone();
        if (!cutOff)
        {
            served[^20] ^= 1;
        }
        using var server = new LocalServer(new Dictionary<string, byte[]> { ["/" + IdxDatasetSource.TestLabels] = served }, cutOffAfter: cutOff ? genuine.Length / 2 : null);
        using var folder = new TemporaryFolder();
        string destination = folder.File(IdxDatasetSource.TestLabels);
        byte[] older = [1, 2, 3];
        if (fileAlreadyThere)
        {
            File.WriteAllBytes(destination, older);
        }
        RemoteFile labels = IdxDatasetSource.Mnist.Files.Single(f => f.Name == IdxDatasetSource.TestLabels);
        var downloader = new DatasetDownloader(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TestContext.Out, [server.Url]);

        var e = Assert.Throws<DatasetException>(() => downloader.Download(IdxDatasetSource.Mnist, folder.Path, [labels]));

        TestContext.Out.WriteLine(e!.Message);
        const string Mismatch = "is not the expected f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6";
        Assert.That(e.Message, cutOff ? Does.Contain("could not be downloaded").And.Not.Contain(Mismatch) : Does.Contain(Mismatch));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(fileAlreadyThere ? new[] { destination } : Array.Empty<string>()), "no temporary file may be left behind");
        if (fileAlreadyThere)
        {
            Assert.That(File.ReadAllBytes(destination), Is.EqualTo(older));
        }
    }

    /// <summary>
    /// An HTTP server on a free loopback port serving fixed bytes by path (404 otherwise); with
    /// <c>cutOffAfter</c> it announces the whole length, sends only that many bytes and drops the connection.
    /// </summary>
    private sealed class LocalServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public LocalServer(Dictionary<string, byte[]> files, int? cutOffAfter = null)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    if (files.TryGetValue(context.Request.Url!.AbsolutePath, out byte[]? body))
                    {
                        context.Response.ContentLength64 = body.Length;
                        if (cutOffAfter is int sent)
                        {
                            await context.Response.OutputStream.WriteAsync(body.AsMemory(0, sent));
                            await context.Response.OutputStream.FlushAsync();
                            context.Response.Abort();
                            continue;
                        }
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
