// `bench`: decode throughput of a model at a few batch sizes — images per second (median of timed rounds after a
// warm-up) and managed bytes allocated per Decode(z, count, destination) call. A benchmark to report, not a test:
// numbers depend on the machine and on what else runs on it.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class BenchCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string> _batches = new("--batches") { Description = "Comma-separated batch sizes.", DefaultValueFactory = _ => "1,64,256" };

    private readonly Option<int> _rounds = new("--rounds") { Description = "Timed rounds per batch size (the median is reported).", DefaultValueFactory = _ => 7 };

    private readonly Option<double> _roundSeconds = new("--round-seconds") { Description = "Target length of one timed round.", DefaultValueFactory = _ => 0.25 };

    public override string Name => "bench";

    public override string Description => "Measure decode throughput (images/s) and managed allocation per call at several batch sizes.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_batches);
        command.Add(_rounds);
        command.Add(_roundSeconds);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var batches = ParseBatches(parseResult.GetValue(_batches)!);
        int rounds = parseResult.GetValue(_rounds);
        double roundSeconds = parseResult.GetValue(_roundSeconds);
        if (rounds is < 1 or > 100)
        {
            throw new CliUsageException($"--rounds {rounds} is not usable; give 1 to 100 timed rounds.");
        }
        if (!(roundSeconds is > 0 and <= 60))
        {
            throw new CliUsageException($"--round-seconds {UserText.Number(roundSeconds)} is not usable; give more than 0 and at most 60 seconds.");
        }
        using var model = _model.Load(parseResult);
        var options = _model.InferenceOptions(parseResult);
        output.WriteLine($"model {model.Folder}: {model.Metadata}");
        output.WriteLine($"onnxruntime {OnnxRuntimeInfo.Version}, provider {model.Provider.ToString().ToLowerInvariant()}, " +
            $"intra-op threads {(options.IntraOpThreads == 0 ? "default" : options.IntraOpThreads.ToString(CultureInfo.InvariantCulture))}, " +
            $"{Environment.ProcessorCount} logical CPUs, {rounds} rounds of ~{roundSeconds:0.##} s per batch size");
        output.WriteLine($"{"batch",6} {"images/s (median)",18} {"min",10} {"max",10} {"ms/call",9} {"bytes/call",11}");
        foreach (int batch in batches)
        {
            var z = model.SampleLatents(batch, seed: 1).Values;
            var destination = new float[batch * model.Metadata.ImageSize];

            // Warm-up, then size each round from the warm-up's speed.
            var watch = Stopwatch.StartNew();
            int warmups = 0;
            while (warmups < 3 || watch.Elapsed.TotalSeconds < Math.Min(0.5, roundSeconds))
            {
                model.Decode(z, batch, destination);
                warmups++;
            }
            double secondsPerCall = watch.Elapsed.TotalSeconds / warmups;
            int callsPerRound = Math.Max(1, (int)(roundSeconds / secondsPerCall));

            var rates = new double[rounds];
            long allocated = 0;
            for (int r = 0; r < rounds; r++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRound; i++)
                {
                    model.Decode(z, batch, destination);
                }
                double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                rates[r] = batch * callsPerRound / elapsed;
            }
            Array.Sort(rates);
            double median = rates[rounds / 2];
            double bytesPerCall = (double)allocated / (rounds * callsPerRound);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batch,6} {median,18:0} {rates[0],10:0} {rates[^1],10:0} {1000.0 * batch / median,9:0.000} {bytesPerCall,11:0.#}"));
        }
        return Success;
    }

    private static int[] ParseBatches(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var batches = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out batches[i]) || batches[i] < 1 || batches[i] > VaeModel.MaxCount)
            {
                throw new CliUsageException($"--batches '{UserText.Echo(text)}': '{UserText.Echo(parts[i])}' is not a batch size from 1 to {VaeModel.MaxCount}.");
            }
        }
        return batches.Length > 0 ? batches : throw new CliUsageException("--batches is empty; give sizes such as 1,64,256.");
    }
}
