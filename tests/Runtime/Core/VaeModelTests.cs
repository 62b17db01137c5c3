// VaeModel on a toy encoder/decoder pair: each operation against plain C# references, concurrency, argument checks
// at the boundary, and models that break the contract (wrong inputs, missing or disagreeing metadata, not ONNX).
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Tests.Runtime.Core;

[TestFixture]
public sealed class VaeModelTests
{
    private const double Tolerance = 1e-5;
    private TemporaryFolder _folder = null!;
    private ToyVae _toy = null!;
    private string _modelFolder = null!;
    private VaeModel _model = null!;

    [OneTimeSetUp]
    public void WriteAndLoad()
    {
        _folder = new TemporaryFolder("vaeonnx-vae");
        _toy = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 3);
        _modelFolder = _toy.Write(_folder.File("model"));
        WriteBrokenModels();
        // Every model written here is valid ONNX: the broken ones break only the VaeOnnx contract.
        OnnxChecker.AssertValid(Directory.GetFiles(_folder.Path, "*.onnx", SearchOption.AllDirectories));
        // These two contradict themselves (a declared shape against the computed one): not valid ONNX, written after the check.
        WriteContradictingDecoder("declares-wrong-output", declared: (1, 6, 6), computed: null);
        WriteContradictingDecoder("computes-other-output", declared: null, computed: (1, 5, 6));
        _model = VaeModel.Load(_modelFolder);
    }

    private void WriteBrokenModels()
    {
        Write("half", encoder: true, decoder: false);
        Write("wrong-input", decoderInput: "latent");
        var noLikelihood = _toy.Metadata();
        noLikelihood.Remove(VaeContract.LikelihoodKey);
        Write("no-likelihood", decoderMetadata: noLikelihood);
        var gaussian = _toy.Metadata();
        gaussian[VaeContract.LikelihoodKey] = "gaussian";
        Write("disagreeing", encoderMetadata: gaussian);
        var wider = _toy.Metadata();
        wider[VaeContract.WidthKey] = "6";
        Write("wrong-size", encoderMetadata: wider, decoderMetadata: wider);
        var otherRange = _toy.Metadata();
        otherRange[VaeContract.InputRangeKey] = "-1,1";
        Write("other-range", encoderMetadata: otherRange, decoderMetadata: otherRange);
    }

    private void WriteContradictingDecoder(string name, (int, int, int)? declared, (int, int, int)? computed)
    {
        var folder = _folder.File(name);
        Directory.CreateDirectory(folder);
        _toy.WriteEncoder(Path.Combine(folder, VaeContract.EncoderFileName));
        _toy.WriteDecoder(Path.Combine(folder, VaeContract.DecoderFileName), withLogits: false, declaredImage: declared, computedImage: computed);
    }

    private string Write(string name, bool encoder = true, bool decoder = true, string decoderInput = "z",
        Dictionary<string, string>? encoderMetadata = null, Dictionary<string, string>? decoderMetadata = null)
    {
        var folder = _folder.File(name);
        Directory.CreateDirectory(folder);
        if (encoder)
        {
            _toy.WriteEncoder(Path.Combine(folder, VaeContract.EncoderFileName), metadata: encoderMetadata);
        }
        if (decoder)
        {
            _toy.WriteDecoder(Path.Combine(folder, VaeContract.DecoderFileName), inputName: decoderInput, metadata: decoderMetadata);
        }
        return folder;
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    [Test]
    public void Load_reads_the_metadata_of_both_graphs()
    {
        var metadata = _model.Metadata;

        Assert.That((metadata.Channels, metadata.Height, metadata.Width, metadata.LatentSize), Is.EqualTo((1, 6, 5, 4)));
        Assert.That(metadata.Likelihood, Is.EqualTo(Likelihood.Bernoulli));
        Assert.That(metadata.Properties["vaeonnx.dataset"], Is.EqualTo("toy"));
        Assert.That(_model.HasLogits, Is.True);
        Assert.That(_model.Folder, Is.EqualTo(Path.GetFullPath(_modelFolder)));
    }

    [Test]
    public void Decode_and_encode_match_reference_loops()
    {
        const int count = 5;
        var z = ToyVae.Values(new Random(1), count * 4, scale: 2);
        var images = ToyVae.Values(new Random(2), count * 30, scale: 1).Select(v => Math.Abs(v)).ToArray();

        var decoded = _model.Decode(z, count).Values;
        var encoded = _model.Encode(images, count);

        var (mu, logVar) = _toy.ReferenceEncode(images, count);
        double decodeDifference = ConvolutionReference.MaxAbsDifference(decoded, _toy.ReferenceDecode(z, count));
        double muDifference = ConvolutionReference.MaxAbsDifference(encoded.Mu, mu);
        double logVarDifference = ConvolutionReference.MaxAbsDifference(encoded.LogVar, logVar);
        TestContext.Out.WriteLine($"decode {decodeDifference:E2}, mu {muDifference:E2}, logvar {logVarDifference:E2} (tolerance {Tolerance:E0})");
        Assert.That(decodeDifference, Is.LessThanOrEqualTo(Tolerance));
        Assert.That(muDifference, Is.LessThanOrEqualTo(Tolerance));
        Assert.That(logVarDifference, Is.LessThanOrEqualTo(Tolerance));
        Assert.That((encoded.Count, encoded.LatentSize), Is.EqualTo((count, 4)));
    }

    [Test]
    public void Decode_into_a_destination_allocates_no_managed_memory()
    {
        var z = new float[16 * 4];
        var destination = new float[16 * 30];
        _model.Decode(z, 16, destination);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            _model.Decode(z, 16, destination);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"managed bytes allocated by 20 decodes: {allocated} ({allocated / 20} per call)");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Sample_is_decode_of_seeded_normal_latents()
    {
        var latents = _model.SampleLatents(6, seed: 42, temperature: 0.5f).Values;
        var expectedLatents = new float[6 * 4];
        LatentMath.FillNormal(expectedLatents, 42, 0.5f);

        Assert.That(latents, Is.EqualTo(expectedLatents));
        Assert.That(_model.Sample(6, seed: 42, temperature: 0.5f).Values, Is.EqualTo(_model.Decode(latents, 6).Values));
        Assert.That(_model.Sample(6, seed: 43).Values, Is.Not.EqualTo(_model.Sample(6, seed: 42).Values));
        Assert.That(_model.SampleLatents(3, seed: 9, temperature: 0f).Values, Is.All.EqualTo(0f));
    }

    [Test]
    public void Reconstruct_decodes_the_mean_or_a_seeded_posterior_draw()
    {
        var images = ToyVae.Values(new Random(5), 2 * 30, scale: 1).Select(Math.Abs).ToArray();
        var (mu, logVar) = _toy.ReferenceEncode(images, 2);

        double meanDifference = ConvolutionReference.MaxAbsDifference(_model.Reconstruct(images, 2).Values, _toy.ReferenceDecode(mu, 2));
        var eps = new float[mu.Length];
        LatentMath.FillNormal(eps, 77);
        var drawn = mu.Select((m, i) => m + MathF.Exp(0.5f * logVar[i]) * eps[i]).ToArray();
        double sampledDifference = ConvolutionReference.MaxAbsDifference(
            _model.Reconstruct(images, 2, ReconstructionMode.Sampled, seed: 77).Values, _toy.ReferenceDecode(drawn, 2));

        TestContext.Out.WriteLine($"mean {meanDifference:E2}, sampled {sampledDifference:E2} (tolerance {Tolerance:E0})");
        Assert.That(meanDifference, Is.LessThanOrEqualTo(Tolerance));
        Assert.That(sampledDifference, Is.LessThanOrEqualTo(Tolerance));
    }

    [TestCase(InterpolationKind.Linear)]
    [TestCase(InterpolationKind.Spherical)]
    public void Interpolate_decodes_a_path_whose_ends_are_the_given_latents(InterpolationKind kind)
    {
        float[] from = [1, -0.5f, 0.25f, 2], to = [-1, 0.5f, 1.5f, 0];

        var path = _model.InterpolateLatents(from, to, 7, kind).Values;
        var images = _model.Interpolate(from, to, 7, kind).Values;

        Assert.That(path.AsSpan(0, 4).ToArray(), Is.EqualTo(from));
        Assert.That(path.AsSpan(6 * 4, 4).ToArray(), Is.EqualTo(to));
        Assert.That(images, Is.EqualTo(_model.Decode(path, 7).Values));
        Assert.That(images.AsSpan(0, 30).ToArray(), Is.EqualTo(_model.Decode(from, 1).Values));
    }

    [Test]
    public void Concurrent_decodes_equal_serial_results_bit_for_bit()
    {
        const int rounds = 4;
        var batches = Enumerable.Range(0, 24).Select(i => ToyVae.Values(new Random(100 + i), (1 + i % 5) * 4, scale: 2)).ToArray();
        var serial = batches.Select(z => _model.Decode(z, z.Length / 4).Values).ToArray();

        var concurrent = new float[batches.Length * rounds][];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            var z = batches[k % batches.Length];
            concurrent[k] = _model.Decode(z, z.Length / 4).Values;
        });

        for (int k = 0; k < concurrent.Length; k++)
        {
            Assert.That(concurrent[k], Is.EqualTo(serial[k % batches.Length]), $"batch {k % batches.Length}, round {k / batches.Length}");
        }
    }

    [Test]
    public void Counts_and_lengths_are_checked_at_the_boundary()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _model.Decode([], 0))!.Message, Does.Contain("1 to 4096"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _model.Sample(VaeModel.MaxCount + 1, 1))!.Message, Does.Contain("4097"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.Decode(new float[7], 2))!.Message,
            Does.Contain("z has 7 values; expected 8"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.Encode(new float[30], 2))!.Message,
            Does.Contain("images has 30 values; expected 60"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.Decode(new float[8], 2, new float[59]))!.Message,
            Does.Contain("destination has 59 values; expected 60"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _model.InterpolateLatents(new float[4], new float[4], 1))!.Message,
            Does.Contain("2 to 4096"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.InterpolateLatents(new float[4], new float[3], 3))!.Message,
            Does.Contain("zTo has 3 values; expected 4"));
    }

    [Test]
    public void Non_finite_values_are_rejected_with_their_position()
    {
        var z = new float[8];
        z[6] = float.NaN;
        var images = new float[60];
        images[37] = float.PositiveInfinity;

        Assert.That(Assert.Throws<ArgumentException>(() => _model.Decode(z, 2))!.Message,
            Does.Contain("z[6] (sample 1, dimension 2) is NaN"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.Encode(images, 2))!.Message,
            Does.Contain("images[37] (image 1, value 7) is ∞").Or.Contain("images[37] (image 1, value 7) is Infinity"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _model.Sample(2, 1, float.NaN))!.Message,
            Does.Contain("temperature is NaN"));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.Interpolate(new float[4], [0, 0, float.NegativeInfinity, 0], 3))!.Message,
            Does.Contain("zTo[2]"));
    }

    [Test]
    public void A_missing_folder_or_file_names_what_a_model_folder_holds()
    {
        var missingFolder = Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("nowhere")));
        Assert.That(missingFolder!.Message, Does.Contain("does not exist").And.Contain("encoder.onnx and decoder.onnx"));

        var missingDecoder = Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("half")));
        Assert.That(missingDecoder!.Message, Does.Contain("has no decoder.onnx"));
    }

    [Test]
    public void A_decoder_with_the_wrong_input_name_is_rejected_naming_the_file()
    {
        var error = Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("wrong-input")));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain("decoder.onnx").And.Contain("one input 'z' float [N, 4]").And.Contain("'latent: float [N, 4]'"));
    }

    [Test]
    public void Missing_or_disagreeing_metadata_is_rejected()
    {
        Assert.That(Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("no-likelihood")))!.Message,
            Does.Contain("lacks the metadata_props vaeonnx.likelihood"));
        Assert.That(Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("disagreeing")))!.Message,
            Does.Contain("disagree on vaeonnx.likelihood"));
        Assert.That(Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("wrong-size")))!.Message,
            Does.Contain("should be float [N, 1, 6, 6]").And.Contain("found float [N, 1, 6, 5]"));
        Assert.That(Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File("other-range")))!.Message,
            Does.Contain("vaeonnx.input_range is '-1,1'").And.Contain("[0, 1]"));
    }

    // The regression of issue 23: ONNX Runtime's lenient shape merge turned the contradicting dimension of a declared
    // [N, 1, 6, 6] into an unknown ("[N, 1, 6, N]"), which the contract check accepts, and the model loaded with exit 0.
    // Loading with strict shape inference refuses it, as it refuses a graph that computes another shape than it declares.
    [TestCase("declares-wrong-output", "declares dimension 3 (counting from 0) of 'image' as 6, but its graph computes 5")]
    [TestCase("computes-other-output", "declares dimension 2 (counting from 0) of 'image' as 6, but its graph computes 5")]
    public void A_decoder_whose_declared_output_contradicts_its_graph_is_refused_at_load(string name, string expected)
    {
        string decoder = Path.Combine(_folder.File(name), VaeContract.DecoderFileName);
        Assert.That(OnnxChecker.Check(decoder), Has.Count.EqualTo(1), "onnx.checker's strict shape inference also rejects the file");

        var error = Assert.Throws<InvalidModelException>(() => VaeModel.Load(_folder.File(name)));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.StartWith(decoder).And.Contain(expected).And.Contain("export the model again"));
        Assert.That(error.Message, Does.Not.Contain("onnxruntime").And.Not.Contain("ShapeInferenceError"));
    }

    [Test]
    public void A_decoder_that_is_not_onnx_is_reported_with_its_path()
    {
        var folder = _folder.File("garbage");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(_modelFolder, VaeContract.EncoderFileName), Path.Combine(folder, VaeContract.EncoderFileName));
        File.WriteAllBytes(Path.Combine(folder, VaeContract.DecoderFileName), [1, 2, 3, 4, 5]);

        var error = Assert.Throws<InferenceException>(() => VaeModel.Load(folder));

        Assert.That(error!.Message, Does.Contain(Path.Combine(folder, VaeContract.DecoderFileName)));
    }

    [Test]
    public void Cuda_request_on_this_machine_throws_a_clear_exception()
    {
        var error = Assert.Throws<InferenceException>(() =>
            VaeModel.Load(_modelFolder, new InferenceOptions { Provider = ExecutionProvider.Cuda }));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain("CUDA").And.Contain("OnnxRuntimeFlavor=Gpu"));
    }
}
