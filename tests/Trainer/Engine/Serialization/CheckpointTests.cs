// Checkpoint files: a save/load round trip restores everything exactly and resumed training is bit-identical to
// uninterrupted training; damaged files (wrong magic, unknown version, truncated, flipped byte) and mismatched networks
// fail with messages naming the file and the problem; saving is atomic.
using System.Buffers.Binary;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Engine.Serialization;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Serialization;

public class CheckpointTests
{
    private static readonly VaeArchitecture Architecture = VaeArchitecture.Conv(1, 12, 10, 3);

    private sealed class Run
    {
        public Run(ulong seed)
        {
            Network = VaeNetwork.Create(Architecture);
            Network.ResetParameters(new RandomSource(seed));
            Adam = new Adam(Network.Parameters, new AdamOptions(LearningRate: 3e-3, WeightDecay: 1e-4));
            Noise = new RandomSource(seed + 1);
            Images = new Tensor(6, 1, 12, 10);
            new RandomSource(seed + 2).FillUniform(Images.Span, 0, 1);
        }

        public VaeNetwork Network { get; }

        public Adam Adam { get; }

        public RandomSource Noise { get; }

        public Tensor Images { get; }

        public List<double> Losses { get; } = [];

        public void Train(int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                Losses.Add(Network.TrainStep(Images, Noise, 1f).Total);
                Adam.Step();
            }
        }

        public Checkpoint Capture() => Checkpoint.Capture(Network.Parameters, Adam,
            new Dictionary<string, RandomSource> { ["noise"] = Noise },
            new Dictionary<string, string> { ["epoch"] = "2", ["config"] = "{\"latent\": 3, \"note\": \"ünïcödé ✓\"}" });
    }

    [Test]
    public void ResumingFromAFileIsBitIdenticalToNotStopping()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "checkpoint.bin");

        var uninterrupted = new Run(5);
        uninterrupted.Train(4);

        var first = new Run(5);
        first.Train(2);
        CheckpointFile.Save(path, first.Capture());

        var resumed = new Run(999); // different initial weights and noise: everything must come from the file
        Checkpoint loaded = CheckpointFile.Load(path);
        loaded.RestoreParameters(resumed.Network.Parameters);
        loaded.RestoreOptimizer(resumed.Adam);
        loaded.RestoreRandom("noise", resumed.Noise);
        first.Images.Span.CopyTo(resumed.Images.Span);
        resumed.Losses.AddRange(first.Losses);
        resumed.Train(2);

        Assert.That(loaded.Metadata["epoch"], Is.EqualTo("2"));
        Assert.That(loaded.Metadata["config"], Is.EqualTo("{\"latent\": 3, \"note\": \"ünïcödé ✓\"}"));
        Assert.That(resumed.Adam.StepCount, Is.EqualTo(4));
        Assert.That(resumed.Adam.Options, Is.EqualTo(uninterrupted.Adam.Options));
        Assert.That(resumed.Losses, Is.EqualTo(uninterrupted.Losses), "losses, bit for bit");
        for (int i = 0; i < uninterrupted.Network.Parameters.Count; i++)
        {
            Assert.That(resumed.Network.Parameters[i].Value.Span.ToArray(), Is.EqualTo(uninterrupted.Network.Parameters[i].Value.Span.ToArray()),
                uninterrupted.Network.Parameters[i].Name);
        }
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }), "no temporary files left behind");
    }

    [Test]
    public void ACheckpointWithoutOptimizerStateStillRestoresParameters()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "weights.bin");
        var run = new Run(7);
        CheckpointFile.Save(path, Checkpoint.Capture(run.Network.Parameters));

        Checkpoint loaded = CheckpointFile.Load(path);
        var other = new Run(8);
        loaded.RestoreParameters(other.Network.Parameters);
        Assert.That(other.Network.Parameters[0].Value.Span.ToArray(), Is.EqualTo(run.Network.Parameters[0].Value.Span.ToArray()));
        Assert.That(Assert.Throws<InvalidDataException>(() => loaded.RestoreOptimizer(other.Adam))!.Message, Does.Contain("no optimizer state"));
        Assert.That(Assert.Throws<InvalidDataException>(() => loaded.RestoreRandom("shuffle", other.Noise))!.Message,
            Does.Contain("'shuffle'").And.Contain("none"));
    }

    private static (string Path, byte[] Bytes) SavedBytes(TemporaryFolder folder)
    {
        string path = Path.Combine(folder.Path, "checkpoint.bin");
        CheckpointFile.Save(path, new Run(3).Capture());
        return (path, File.ReadAllBytes(path));
    }

    [Test]
    public void AFlippedByteIsReportedAsAChecksumMismatch()
    {
        using var folder = new TemporaryFolder();
        (string path, byte[] bytes) = SavedBytes(folder);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path));
        Assert.That(ex!.Message, Does.Contain($"Checkpoint {path} is corrupt: checksum mismatch"));
    }

    [Test]
    public void ATruncatedFileIsReportedAsTruncated()
    {
        using var folder = new TemporaryFolder();
        (string path, byte[] bytes) = SavedBytes(folder);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.That(Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path))!.Message,
            Does.Contain($"Checkpoint {path} is truncated").And.Contain($"announces {bytes.Length - 56} payload bytes but only {bytes.Length - 156} follow"));
        File.WriteAllBytes(path, bytes[..20]);
        Assert.That(Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path))!.Message, Does.Contain("is truncated"));
        File.WriteAllBytes(path, []);
        Assert.That(Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path))!.Message, Does.Contain("is empty"));
    }

    [Test]
    public void WrongMagicAndUnknownVersionAreNamed()
    {
        using var folder = new TemporaryFolder();
        (string path, byte[] bytes) = SavedBytes(folder);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        File.WriteAllBytes(path, png);
        Assert.That(Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path))!.Message,
            Does.Contain("is not a VaeOnnx checkpoint").And.Contain("0x89504E470D0A1A0A").And.Contain("VAEOCKPT"));

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 7);
        File.WriteAllBytes(path, bytes);
        Assert.That(Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path))!.Message,
            Does.Contain("format version 7").And.Contain("reads version 1"));

        Assert.Throws<FileNotFoundException>(() => CheckpointFile.Load(Path.Combine(folder.Path, "missing.bin")));
    }

    [Test]
    public void ACheckpointForAnotherArchitectureIsRejectedWithoutChangingTheNetwork()
    {
        using var folder = new TemporaryFolder();
        (string path, _) = SavedBytes(folder);
        Checkpoint loaded = CheckpointFile.Load(path);

        var other = VaeNetwork.Create(VaeArchitecture.Conv(1, 12, 10, 5));
        other.ResetParameters(new RandomSource(1));
        float[] before = other.Parameters[0].Value.Span.ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => loaded.RestoreParameters(other.Parameters));
        Assert.That(ex!.Message, Does.Contain($"Checkpoint {path} does not fit this network")
            .And.Contain("parameter 'encoder.mu.weight' is (3, 960) in the checkpoint but (5, 960) in the network"));
        Assert.That(other.Parameters[0].Value.Span.ToArray(), Is.EqualTo(before), "nothing restored on failure");

        var mlp = VaeNetwork.Create(VaeArchitecture.Mlp(1, 12, 10, 3, hidden: 8));
        ex = Assert.Throws<InvalidDataException>(() => loaded.RestoreParameters(mlp.Parameters));
        Assert.That(ex!.Message, Does.Contain("'encoder.fc1.weight' (8, 120) is not in the checkpoint").And.Contain("and 9 more"));

        var adam = new Adam(other.Parameters);
        Assert.That(Assert.Throws<InvalidDataException>(() => loaded.RestoreOptimizer(adam))!.Message,
            Does.Contain($"Checkpoint {path}").And.Contain("encoder.mu.weight.exp_avg"));
    }

    [Test]
    public void AFailedSaveKeepsThePreviousCheckpointAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryFolder();
        (string path, byte[] bytes) = SavedBytes(folder);

        // The target is now a non-empty folder, so the final rename fails after the temporary file was written.
        string blocked = Path.Combine(folder.Path, "blocked");
        Directory.CreateDirectory(Path.Combine(blocked, "inside"));
        Assert.Catch<IOException>(() => CheckpointFile.Save(blocked, new Run(4).Capture()));
        Assert.Catch<IOException>(() => CheckpointFile.Save(Path.Combine(folder.Path, "no-such-folder", "c.bin"), new Run(4).Capture()));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }));
    }
}
