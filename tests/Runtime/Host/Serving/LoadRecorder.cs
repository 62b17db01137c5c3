// Test helper: collects the outcome of every request a load scenario sends (status or transport error, latency,
// whether the request was meant to be bad) and summarises it: throughput, p50/p99 latency, counts by status. It
// sends nothing itself and judges nothing; the scenarios assert on its numbers.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

using VaeOnnx.Tests.Runtime.AspNetCore;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

public sealed class LoadRecorder
{
    /// <summary>Status 0 means no answer: a transport failure (refused, reset, client timeout) or a deliberate abort.</summary>
    public readonly record struct Outcome(string Kind, int Status, double Milliseconds, bool IntendedBad);

    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly ConcurrentDictionary<string, string> _firstTransportError = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Stop() => _clock.Stop();

    /// <summary>Sends one request through <paramref name="send"/> and records its status and latency.</summary>
    public async Task RecordAsync(string kind, bool intendedBad, Func<Task<int>> send)
    {
        long start = Stopwatch.GetTimestamp();
        int status;
        try
        {
            status = await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            status = 0;
            _firstTransportError.TryAdd(kind, $"{e.GetType().Name}: {e.Message}{(e.InnerException is { } inner ? " <- " + inner.Message : "")}");
        }
        _outcomes.Add(new Outcome(kind, status, Stopwatch.GetElapsedTime(start).TotalMilliseconds, intendedBad));
    }

    public int Count(Func<Outcome, bool> predicate) => _outcomes.Count(predicate);

    public double Percentile(double p, Func<Outcome, bool>? filter = null)
    {
        var sorted = _outcomes.Where(filter ?? (_ => true)).Select(o => o.Milliseconds).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public string Summary(string title)
    {
        var text = new StringBuilder();
        int total = _outcomes.Count;
        double seconds = _clock.Elapsed.TotalSeconds;
        text.AppendLine(CultureInfo.InvariantCulture, $"== {title}: {total} requests in {seconds:0.0} s = {total / seconds:0} req/s; latency p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms");
        foreach (var kind in _outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string statuses = string.Join(", ", kind.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"   {kind.Key,-40} {kind.Count(),6}  p50 {Percentile(50, o => o.Kind == kind.Key),7:0.0} ms  p99 {Percentile(99, o => o.Kind == kind.Key),7:0.0} ms  [{statuses}]");
            if (_firstTransportError.TryGetValue(kind.Key, out var error))
                text.AppendLine(CultureInfo.InvariantCulture, $"      first transport error: {error}");
        }
        return text.ToString();
    }
}
