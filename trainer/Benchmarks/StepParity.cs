// The networks `trainer check-device` runs its step comparison on (BackendParity.CompareStep, beside it, holds the
// comparison itself): the conv VAE on 28x28 grey, 64x64 RGB (three stages) and 45x30, and the MLP, the shapes the
// engine's parity tests cover on ILGPU's CPU accelerator. It runs nothing itself.
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Benchmarks;

public static class StepParity
{
    /// <summary>conv: the three conv shapes; mlp: the MLP; null (all): both.</summary>
    public static IReadOnlyList<VaeArchitecture> Cases(VaeKind? which) => which switch
    {
        VaeKind.Conv => [VaeArchitecture.Conv(1, 28, 28, 16), VaeArchitecture.Conv(3, 64, 64, 16), VaeArchitecture.Conv(1, 45, 30, 8)],
        VaeKind.Mlp => [VaeArchitecture.Mlp(1, 28, 28, 2, 400)],
        _ => [.. Cases(VaeKind.Conv), .. Cases(VaeKind.Mlp)],
    };
}
