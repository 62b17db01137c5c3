// The independent random streams of a run, all derived from the one --seed, so that each consumer (initial weights,
// shuffling, the reparameterization noise, binarization, evaluation noise) has its own generator and changing how
// much one of them draws never shifts the others. Derivation: RandomSource.ForStream with a fixed stream id per
// consumer (the seed XOR the id, scrambled through SplitMix64).
namespace VaeOnnx.Trainer.Training;

public static class SeedStreams
{
    public static RandomSource Initialization(ulong seed) => RandomSource.ForStream(seed, 0x1A17_0000_0000_0001UL);

    public static RandomSource Shuffle(ulong seed) => RandomSource.ForStream(seed, 0x50FF_1E00_0000_0002UL);

    public static RandomSource Noise(ulong seed) => RandomSource.ForStream(seed, 0x0015_E000_0000_0003UL);

    public static RandomSource Binarization(ulong seed) => RandomSource.ForStream(seed, 0xB10A_1200_0000_0004UL);

    /// <summary>A fresh generator for each evaluation pass, so test losses do not depend on when they are measured.</summary>
    public static RandomSource Evaluation(ulong seed) => RandomSource.ForStream(seed, 0xE7A1_0000_0000_0005UL);
}
