// The device check behind `trainer check-device`: one training step (forward, losses, backward) of the same network
// on a backend and on the CPU engine, from the same weights, the same batch and the same reparameterization noise,
// then the largest difference of the loss and of every parameter's gradient, relative to the largest CPU value of
// that tensor. Run on a real GPU it checks the GPU kernels where CI cannot (CI runs them on ILGPU's CPU accelerator).
// It does not step the optimizer and does not judge speed.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Benchmarks;

/// <summary>One parameter's gradient: the largest |device - cpu| and that divided by the largest |cpu|.</summary>
public sealed record GradientDifference(string Parameter, double MaxAbsolute, double MaxRelative);

public sealed record StepParityReport(VaeArchitecture Architecture, int Batch, double CpuLoss, double DeviceLoss, IReadOnlyList<GradientDifference> Gradients)
{
    public double LossRelative => Math.Abs(DeviceLoss - CpuLoss) / Math.Max(Math.Abs(CpuLoss), double.Epsilon);

    public double WorstGradient => Gradients.Count == 0 ? 0 : Gradients.Max(g => g.MaxRelative);

    /// <summary>The worse of the loss's and the gradients' relative differences.</summary>
    public double Worst => Math.Max(LossRelative, WorstGradient);
}

public static class StepParity
{
    /// <summary>The networks a check covers: conv on 28x28 grey, 64x64 RGB (three stages) and 45x30, and the MLP.</summary>
    public static IReadOnlyList<VaeArchitecture> Cases(string which) => which switch
    {
        VaeArchitecture.ConvKind => [VaeArchitecture.Conv(1, 28, 28, 16), VaeArchitecture.Conv(3, 64, 64, 16), VaeArchitecture.Conv(1, 45, 30, 8)],
        VaeArchitecture.MlpKind => [VaeArchitecture.Mlp(1, 28, 28, 2, 400)],
        _ => [.. Cases(VaeArchitecture.ConvKind), .. Cases(VaeArchitecture.MlpKind)],
    };

    public static StepParityReport Compare(VaeArchitecture architecture, ComputeBackend backend, int batch, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        VaeNetwork cpu = VaeNetwork.Create(architecture);
        VaeNetwork device = VaeNetwork.Create(architecture, backend);
        cpu.ResetParameters(new RandomSource(seed));
        device.ResetParameters(new RandomSource(seed));

        var data = new RandomSource(seed + 1);
        float[] pixels = new float[batch * architecture.ImageSize];
        data.FillUniform(pixels, 0f, 1f);
        float[] noise = new float[batch * architecture.LatentSize];
        data.FillGaussian(noise);

        LossBreakdown cpuLoss = cpu.TrainStep(Filled(pixels, batch, architecture.Channels, architecture.Height, architecture.Width),
            Filled(noise, batch, architecture.LatentSize), 1f);
        LossBreakdown deviceLoss = device.TrainStep(Filled(pixels, batch, architecture.Channels, architecture.Height, architecture.Width),
            Filled(noise, batch, architecture.LatentSize), 1f);
        backend.Synchronize();

        var gradients = new List<GradientDifference>();
        for (int i = 0; i < cpu.Parameters.Count; i++)
        {
            ReadOnlySpan<float> expected = cpu.Parameters[i].Grad.Span, actual = device.Parameters[i].Grad.Span;
            double largest = 0, difference = 0;
            for (int j = 0; j < expected.Length; j++)
            {
                largest = Math.Max(largest, Math.Abs(expected[j]));
                difference = Math.Max(difference, Math.Abs((double)actual[j] - expected[j]));
            }
            gradients.Add(new GradientDifference(cpu.Parameters[i].Name, difference, difference / Math.Max(largest, double.Epsilon)));
        }
        return new StepParityReport(architecture, batch, cpuLoss.TotalPerImage, deviceLoss.TotalPerImage, gradients);
    }

    private static Tensor Filled(float[] values, params int[] shape)
    {
        var tensor = new Tensor(shape);
        values.CopyTo(tensor.Span);
        return tensor;
    }
}
