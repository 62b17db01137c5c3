// `bench epoch --arch conv|mlp`: the wall time of one training epoch on MNIST (batch 128, Adam, like the PyTorch
// reference ../shared/bench/torch_vae_ref.py), with images/s and the process's peak working set.
// `bench kernels`: GEMM and convolution throughput (Benchmarks/KernelBenchmark). Numbers are measurements, not tests.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Benchmarks: one training epoch (epoch) or the math kernels (kernels)");
        bench.Add(CreateEpoch(context));
        bench.Add(CreateKernels(context));
        return bench;
    }

    private static Option<int?> ThreadsOption() => new("--threads") { Description = "CPU threads for the math [default: all cores]" };

    private static int ApplyThreads(int? threads)
    {
        if (threads is int n)
        {
            EngineThreads.Count = n is >= 1 and <= EngineThreads.MaxCount ? n : throw new CliUsageException($"--threads {n} is not usable; give 1 to {EngineThreads.MaxCount}.");
        }
        return EngineThreads.Count;
    }

    private static Command CreateKernels(CliContext context)
    {
        var threads = ThreadsOption();
        var command = new Command("kernels", "GEMM GFLOP/s and convolution timings at the VAE's shapes") { threads };
        CommandAction.Set(command, context, result =>
        {
            KernelBenchmark.Run(context.Output, ApplyThreads(result.GetValue(threads)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateEpoch(CliContext context)
    {
        var arch = new Option<string>("--arch") { Description = "conv or mlp", DefaultValueFactory = _ => "conv" };
        arch.AcceptOnlyFromAmong(VaeArchitecture.ConvKind, VaeArchitecture.MlpKind);
        var threads = ThreadsOption();
        var batch = new Option<int>("--batch") { Description = "Images per mini-batch", DefaultValueFactory = _ => 128 };
        var data = new Option<string?>("--data") { Description = $"Folder with the MNIST IDX files [default: ${DatasetRequest.DataEnvironmentVariable}, else data/mnist]" };
        var limit = new Option<int?>("--train-limit") { Description = "Time only the first N training images (default: all 60000)" };
        var command = new Command("epoch", "Time one training epoch on MNIST (wall seconds, images/s, peak working set)") { arch, threads, batch, data, limit };
        CommandAction.Set(command, context, result =>
        {
            int threadCount = ApplyThreads(result.GetValue(threads));
            var config = new TrainingConfig
            {
                Architecture = result.GetValue(arch)!,
                BatchSize = result.GetValue(batch),
                Data = new DatasetRequest { DataFolder = result.GetValue(data), TrainLimit = result.GetValue(limit), TestLimit = 1 },
            };
            config.Validate();
            DatasetSplits splits = DatasetLoader.Load(config.Data, context.Downloader);
            ImageDataset train = splits.Train;
            VaeNetwork network = VaeNetwork.Create(config.ToArchitecture(train.Channels, train.Height, train.Width));
            network.ResetParameters(SeedStreams.Initialization(config.Seed));
            var adam = new Adam(network.Parameters, new AdamOptions(LearningRate: config.LearningRate));
            var loader = new BatchLoader(train, config.BatchSize, SeedStreams.Shuffle(config.Seed), null);
            RandomSource noise = SeedStreams.Noise(config.Seed);
            var images = new Tensor(1);
            context.Output.WriteLine($"bench epoch: {network.Architecture.Describe()}, {train.Count} images, batch {config.BatchSize}, {threadCount} threads");

            var sums = new LossBreakdown(0, 0, 0);
            var clock = Stopwatch.StartNew();
            loader.StartEpoch();
            for (int b = 0; b < loader.BatchCount; b++)
            {
                loader.FillBatch(b, images);
                sums += network.TrainStep(images, noise, 1f);
                adam.Step();
            }
            double seconds = clock.Elapsed.TotalSeconds;
            long peak = Process.GetCurrentProcess().PeakWorkingSet64;
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch wall time {seconds:F2} s, {train.Count / seconds:F0} images/s, peak working set {peak / (1024.0 * 1024.0):F0} MiB, mean loss {sums.TotalPerImage:F2} nats/image"));
            return ExitCodes.Success;
        });
        return command;
    }
}
