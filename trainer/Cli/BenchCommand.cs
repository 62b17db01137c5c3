// `bench epoch --arch conv|mlp [--device D]`: the wall time of training epochs on MNIST, or on random images
// (--synthetic --size S --channels C, like the PyTorch reference's flags), batch 128, Adam (Benchmarks/EpochBenchmark).
// `bench kernels [--device D]`: GEMM and convolution throughput (Benchmarks/KernelBenchmark on the CPU engine,
// Benchmarks/DeviceKernelBenchmark on an ILGPU accelerator). Both run on the CPU unless --device says otherwise.
// `bench step-model`: Benchmarks/StepTimeModel, a labelled model of a GPU step's time from its recorded launches.
// Numbers are measurements, not tests.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Cli;

public static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Benchmarks: training epochs (epoch) or the math kernels (kernels), on the CPU or a GPU (--device)");
        bench.Add(CreateEpoch(context));
        bench.Add(CreateKernels(context));
        bench.Add(CreateStepModel(context));
        return bench;
    }

    private static Option<int?> ThreadsOption() => new("--threads") { Description = "CPU threads for the math [default: all cores]" };

    private static Command CreateKernels(CliContext context)
    {
        var threads = ThreadsOption();
        var device = DeviceOption.Create(DeviceRequest.CpuName);
        var quick = new Option<bool>("--quick") { Description = "A smoke run on an accelerator: shapes 8 times smaller, one repetition (the numbers mean nothing)" };
        var command = new Command("kernels", "GEMM GFLOP/s and convolution timings at the VAE's shapes") { threads, device, quick };
        CommandAction.Set(command, context, result =>
        {
            int threadCount = ThreadOption.ApplyToEngine(result.GetValue(threads));
            using ComputeDevice opened = DeviceOption.Open(result, device);
            if (opened.Accelerator is null)
            {
                KernelBenchmark.Run(context.Output, threadCount);
            }
            else
            {
                DeviceKernelBenchmark.Run(context.Output, opened, result.GetValue(quick));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateStepModel(CliContext context)
    {
        var command = new Command("step-model",
            "A MODEL, not a measurement: one conv-VAE training step's GPU launches (MNIST and 64x64 RGB, batch 128), each priced for an H100");
        CommandAction.Set(command, context, _ =>
        {
            using ComputeDevice device = ComputeDevice.Open(DeviceRequest.IlgpuCpu);
            StepTimeModel.PrintVaeSteps(context.Output, (GpuBackend)device.Backend);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateEpoch(CliContext context)
    {
        var arch = new Option<string>("--arch") { Description = "conv or mlp", DefaultValueFactory = _ => TrainingConfig.Defaults.Architecture.ToName() };
        arch.AcceptOnlyFromAmong([.. VaeKindNames.All]);
        var threads = ThreadsOption();
        var device = DeviceOption.Create(DeviceRequest.CpuName);
        var batch = new Option<int>("--batch") { Description = "Images per mini-batch", DefaultValueFactory = _ => TrainingConfig.Defaults.BatchSize };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to time (the first includes compiling GPU kernels; later ones are averaged)", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = $"Folder with the MNIST IDX files [default: ${DatasetRequest.DataEnvironmentVariable}, else data/mnist]" };
        var limit = new Option<int?>("--train-limit") { Description = "Time only the first N training images [default: all 60000]; with --synthetic, the number of images" };
        var synthetic = new Option<bool>("--synthetic") { Description = "Random images instead of MNIST (timing only; the losses mean nothing)" };
        var size = new Option<int>("--size") { Description = "Image side for --synthetic", DefaultValueFactory = _ => 28 };
        var channels = new Option<int>("--channels") { Description = "Image channels for --synthetic (1 or 3)", DefaultValueFactory = _ => 1 };
        var deviceData = DeviceDataOption.Create();
        var command = new Command("epoch", "Time training epochs on MNIST or random images (wall seconds, images/s, peak working set)")
        {
            arch, threads, device, deviceData, batch, epochs, data, limit, synthetic, size, channels,
        };
        CommandAction.Set(command, context, result =>
        {
            ThreadOption.ApplyToEngine(result.GetValue(threads));
            int epochCount = result.GetValue(epochs) is int e and >= 1 and <= 1000 ? e : throw new CliUsageException($"--epochs {result.GetValue(epochs)} is not usable; give 1 to 1000.");
            using ComputeDevice opened = DeviceOption.Open(result, device);
            var config = new TrainingConfig
            {
                Architecture = VaeKindNames.Parse(result.GetValue(arch)!),
                BatchSize = result.GetValue(batch),
                Data = new DatasetRequest { DataFolder = result.GetValue(data), TrainLimit = result.GetValue(limit), TestLimit = 1 },
            };
            config.Validate();
            ImageDataset images;
            if (result.GetValue(synthetic))
            {
                int side = result.GetValue(size), planes = result.GetValue(channels), count = result.GetValue(limit) ?? 60000;
                if (side is < 8 or > 1024 || planes is not (1 or 3))
                {
                    throw new CliUsageException($"--size {side} --channels {planes} is not usable; give a side of 8 to 1024 and 1 or 3 channels.");
                }
                images = EpochBenchmark.SyntheticImages(count, planes, side, config.Seed);
            }
            else
            {
                images = DatasetLoader.Load(config.Data, context.Downloader).Train;
            }
            VaeArchitecture architecture = config.ToArchitecture(images.Channels, images.Height, images.Width);
            string where = opened.Accelerator is null ? opened.Backend.DeviceName : opened.Describe();
            DeviceDataPlan plan = DeviceDataOption.Plan(result, deviceData, images, config.BatchSize, dynamicBinarization: false, opened.Backend);
            EpochBenchmark.Run(context.Output, architecture, images, config.BatchSize, epochCount, config.Seed, opened.Backend, where, plan);
            return ExitCodes.Success;
        });
        return command;
    }
}
