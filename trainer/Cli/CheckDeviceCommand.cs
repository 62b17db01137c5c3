// `check-device --device D [--arch conv|mlp|all]`: one training step on the device against the CPU engine from the
// same weights, batch and noise (Benchmarks/BackendParity.CompareStep), for the conv VAE at 28x28 grey, 64x64
// RGB and 45x30 and for the MLP (Benchmarks/StepParity.Cases); prints the loss's and every parameter gradient's
// relative difference and a verdict line per network, and exits 5 when any is beyond --tolerance (default 1e-4). It
// is how a GPU machine checks the GPU kernels; it trains nothing.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Cli;

public static class CheckDeviceCommand
{
    public static Command Create(CliContext context)
    {
        var device = DeviceOption.Create(DeviceRequest.CudaName);
        var arch = new Option<string>("--arch") { Description = "conv (28x28 grey, 64x64 RGB, 45x30), mlp, or all", DefaultValueFactory = _ => "all" };
        arch.AcceptOnlyFromAmong([.. VaeKindNames.All, "all"]);
        var batch = new Option<int>("--batch") { Description = "Images in the step", DefaultValueFactory = _ => 16 };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest relative difference accepted", DefaultValueFactory = _ => 1e-4 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, the images and the noise", DefaultValueFactory = _ => 1UL };
        var command = new Command("check-device", "Check a device's training step against the CPU engine (same weights, batch and noise): loss and every gradient")
        {
            device, arch, batch, tolerance, seed,
        };
        CommandAction.Set(command, context, result =>
        {
            int images = result.GetValue(batch) is int b and >= 1 and <= 4096 ? b : throw new CliUsageException($"--batch {result.GetValue(batch)} is not usable; give 1 to 4096.");
            double limit = result.GetValue(tolerance) is double t && double.IsFinite(t) && t > 0 ? t : throw new CliUsageException($"--tolerance {result.GetValue(tolerance)} is not usable; give a positive number such as 1e-4.");
            using ComputeDevice opened = DeviceOption.Open(result, device);
            bool allPassed = true;
            VaeKind? kinds = VaeKindNames.TryParse(result.GetValue(arch), out VaeKind kind) ? kind : null;
            foreach (VaeArchitecture architecture in StepParity.Cases(kinds))
            {
                var clock = Stopwatch.StartNew();
                double worst = BackendParity.CompareStep(architecture, images, opened.Backend, context.Output, result.GetValue(seed));
                bool passed = worst <= limit;
                allPassed &= passed;
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"check-device {architecture.Describe()} (batch {images}) on {opened.Label} against the CPU engine: worst relative difference {worst:0.00E+0} " +
                    $"(tolerance {limit:0.#E+0}): {(passed ? "ok" : "FAILED")}, {clock.Elapsed.TotalSeconds:F1} s"));
                context.Output.Flush();
            }
            if (!allPassed)
            {
                context.Error.WriteLine($"error: {opened.Label} does not match the CPU engine within {limit.ToString("0.#E+0", CultureInfo.InvariantCulture)} (lines marked FAILED above).");
                return ExitCodes.DeviceMismatch;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
