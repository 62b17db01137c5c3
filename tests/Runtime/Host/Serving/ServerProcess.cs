// Test helper: runs `dotnet vaeonnx-runtime.dll serve` (or another web program: the package examples) as a real child
// process on 127.0.0.1 (a free port, never any other interface), waits for /readyz, reads its RSS from
// /proc/<pid>/status, keeps the tail of its log, and stops it with SIGTERM like a process manager would. It sends no
// load itself.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using VaeOnnx.Tests.Runtime.AspNetCore;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

public sealed partial class ServerProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private int _logLines;
    private bool _disposed;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last log lines (at most 2000) the server wrote.</summary>
    public IReadOnlyList<string> LogTail => [.. _log];

    /// <summary>Starts the server on a free loopback port with the given extra flags, and waits until /readyz answers 200.</summary>
    public static Task<ServerProcess> StartAsync(string modelFolder, params string[] extraArguments) =>
        StartAsync(modelFolder, port => ([.. extraArguments, "--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>()));

    /// <summary>Starts the server on 127.0.0.1:<paramref name="port"/> (e.g. again on the port of one that was stopped) and waits until /readyz answers 200.</summary>
    public static Task<ServerProcess> StartOnPortAsync(string modelFolder, int port, params string[] extraArguments) =>
        StartAsync(modelFolder, _ => ([.. extraArguments, "--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>()), port);

    /// <summary>
    /// Starts the server with the arguments and environment variables <paramref name="listenOn"/> gives for a free loopback
    /// port (they must make it listen there, on 127.0.0.1 only), and waits until /readyz answers 200 on that port.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string modelFolder,
        Func<int, (string[] Arguments, IReadOnlyDictionary<string, string> Environment)> listenOn) =>
        StartAsync(modelFolder, listenOn, FreeLoopbackPort());

    private static async Task<ServerProcess> StartAsync(string modelFolder,
        Func<int, (string[] Arguments, IReadOnlyDictionary<string, string> Environment)> listenOn, int port)
    {
        string runtimeDll = Path.Combine(AppContext.BaseDirectory, "vaeonnx-runtime.dll");
        if (!File.Exists(runtimeDll))
            Assert.Fail($"{runtimeDll} is missing; build the tests project (it copies the runtime next to itself).");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var (arguments, environment) = listenOn(port);
        foreach (string argument in (string[])[runtimeDll, "serve", "--model", modelFolder, .. arguments])
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        return await StartAsync(start, port);
    }

    /// <summary>
    /// Starts any web program <paramref name="start"/> describes, which must listen on 127.0.0.1:<paramref name="port"/>
    /// only, and waits until <paramref name="readyPath"/> answers 200 there (60 s at most).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo start, int port, string readyPath = "/readyz")
    {
        ArgumentNullException.ThrowIfNull(start);
        var server = new ServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited)
                Assert.Fail($"The server exited with code {server._process.ExitCode} before it was ready:\n{string.Join("\n", server.LogTail)}");
            try
            {
                using var ready = await client.GetAsync(readyPath);
                if (ready.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        server.Dispose();
        Assert.Fail($"The server did not answer {readyPath} with 200 within 60 s:\n{string.Join("\n", server.LogTail)}");
        return null!;
    }

    /// <summary>Resident set size from /proc/&lt;pid&gt;/status (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        throw new InvalidOperationException($"/proc/{Pid}/status has no VmRSS line.");
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (Kill(Pid, SigTerm) != 0)
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        if (Interlocked.Increment(ref _logLines) > 2000) _log.TryDequeue(out _);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
