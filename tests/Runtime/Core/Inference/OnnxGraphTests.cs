// OnnxGraph (our wrapper of ORT's InferenceSession) against plain C# references: a Gemm+Sigmoid decoder and a
// Conv -> Relu -> ConvTranspose pair (strides, pads, dilations, output_padding) built with random weights through
// VaeOnnx.OnnxBuilder, plus the description of graphs, argument checks, reused run contexts (no managed allocation, concurrency,
// cancellation) and provider errors.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.Inference;

[TestFixture]
public sealed class OnnxGraphTests
{
    private const double Tolerance = 1e-5;

    // Conv: x (N, 2, 7, 6), w (3, 2, 3, 3), strides [2, 1], pads [1, 0, 1, 1], dilations [1, 2] -> (N, 3, 4, 3)
    // ConvTranspose: w (3, 2, 4, 3), strides [2, 3], pads [1, 1, 0, 1], output_padding [1, 2] -> (N, 2, 10, 9)
    private static readonly int[] ConvStrides = [2, 1], ConvPads = [1, 0, 1, 1], ConvDilations = [1, 2];
    private static readonly int[] DeconvStrides = [2, 3], DeconvPads = [1, 1, 0, 1], DeconvOutputPadding = [1, 2];
    private readonly float[] _convWeight = ToyVae.Values(new Random(11), 3 * 2 * 3 * 3);
    private readonly float[] _convBias = ToyVae.Values(new Random(12), 3);
    private readonly float[] _deconvWeight = ToyVae.Values(new Random(13), 3 * 2 * 4 * 3);
    private readonly float[] _deconvBias = ToyVae.Values(new Random(14), 2);

    private TemporaryFolder _folder = null!;
    private ToyVae _toy = null!;
    private string _decoderPath = null!;
    private string _convPath = null!;

    [OneTimeSetUp]
    public void WriteModels()
    {
        _folder = new TemporaryFolder("vaeonnx-session");
        _toy = ToyVae.Create(latentSize: 5, channels: 2, height: 4, width: 3, seed: 7);
        _decoderPath = _folder.File(VaeContract.DecoderFileName);
        _toy.WriteDecoder(_decoderPath);
        _convPath = _folder.File("conv.onnx");
        WriteConvPair(_convPath);
        OnnxChecker.AssertValid(_decoderPath, _convPath);
    }

    [OneTimeTearDown]
    public void DeleteModels() => _folder.Dispose();

    [Test]
    public void Describes_inputs_outputs_and_metadata()
    {
        using var session = new OnnxGraph(_decoderPath);

        Assert.That(session.Inputs.Select(i => i.ToString()), Is.EqualTo(new[] { "z: float [N, 5]" }));
        Assert.That(session.Outputs.Select(o => o.ToString()), Is.EqualTo(new[] { "image: float [N, 2, 4, 3]", "logits: float [N, 2, 4, 3]" }));
        Assert.That(session.Inputs[0].Shape, Is.EqualTo(new long[] { -1, 5 }));
        Assert.That(session.CustomMetadata[VaeContract.LatentSizeKey], Is.EqualTo("5"));
        Assert.That(session.CustomMetadata["vaeonnx.dataset"], Is.EqualTo("toy"));
        Assert.That(session.ProducerName, Is.EqualTo("VaeOnnx"));
        Assert.That(session.Provider, Is.EqualTo(ExecutionProvider.Cpu));
    }

    [Test]
    public void Gemm_sigmoid_decoder_matches_reference_loops()
    {
        using var session = new OnnxGraph(_decoderPath);
        const int count = 3;
        var z = ToyVae.Values(new Random(21), count * _toy.LatentSize, scale: 2);
        var image = new float[count * _toy.ImageSize];

        session.Run(VaeContract.LatentTensor, z, [count, _toy.LatentSize], VaeContract.ImageTensor, image, [count, _toy.Channels, _toy.Height, _toy.Width]);

        double difference = ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, count));
        TestContext.Out.WriteLine($"Gemm+Sigmoid: max |ORT - reference| = {difference:E2} (tolerance {Tolerance:E0})");
        Assert.That(difference, Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void Conv_and_conv_transpose_match_reference_loops()
    {
        using var session = new OnnxGraph(_convPath, new InferenceOptions { IntraOpThreads = 1 });
        const int n = 2;
        var x = ToyVae.Values(new Random(31), n * 2 * 7 * 6, scale: 1);

        var result = new float[n * 2 * 10 * 9];
        session.Run("x", x, [n, 2, 7, 6], "y", result, [n, 2, 10, 9]);

        var (hidden, h1, w1) = ConvolutionReference.Conv(x, n, 2, 7, 6, _convWeight, _convBias, 3, 3, 3, ConvStrides, ConvPads, ConvDilations);
        var relu = hidden.Select(v => Math.Max(v, 0f)).ToArray();
        var (expected, h2, w2) = ConvolutionReference.ConvTranspose(relu, n, 3, h1, w1, _deconvWeight, _deconvBias, 2, 4, 3,
            DeconvStrides, DeconvPads, DeconvOutputPadding);
        Assert.That((h2, w2), Is.EqualTo((10, 9)), "the reference's own output size");
        double difference = ConvolutionReference.MaxAbsDifference(result, expected);
        TestContext.Out.WriteLine($"Conv+ConvTranspose: max |ORT - reference| = {difference:E2} (tolerance {Tolerance:E0})");
        Assert.That(difference, Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void Two_outputs_are_written_into_caller_memory()
    {
        using var session = new OnnxGraph(_decoderPath);
        const int count = 4;
        var z = ToyVae.Values(new Random(41), count * _toy.LatentSize, scale: 2);
        long[] imageShape = [count, _toy.Channels, _toy.Height, _toy.Width];
        var image = new float[count * _toy.ImageSize];
        var logits = new float[count * _toy.ImageSize];

        session.Run(VaeContract.LatentTensor, z, [count, _toy.LatentSize], VaeContract.LogitsTensor, logits, imageShape,
            VaeContract.ImageTensor, image, imageShape);

        double logitDifference = ConvolutionReference.MaxAbsDifference(logits, _toy.ReferenceDecode(z, count, logits: true));
        double imageDifference = ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, count));
        TestContext.Out.WriteLine($"logits: max |ORT - reference| = {logitDifference:E2}, image: {imageDifference:E2} (tolerance {Tolerance:E0})");
        Assert.That(logitDifference, Is.LessThanOrEqualTo(Tolerance));
        Assert.That(imageDifference, Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void A_repeated_run_allocates_no_managed_memory()
    {
        using var session = new OnnxGraph(_decoderPath);
        var z = new float[8 * _toy.LatentSize];
        var image = new float[8 * _toy.ImageSize];
        var logits = new float[8 * _toy.ImageSize];
        long[] zShape = [8, _toy.LatentSize], imageShape = [8, _toy.Channels, _toy.Height, _toy.Width];
        session.Run(VaeContract.LatentTensor, z, zShape, VaeContract.ImageTensor, image, imageShape);
        session.Run(VaeContract.LatentTensor, z, zShape, VaeContract.ImageTensor, image, imageShape, VaeContract.LogitsTensor, logits, imageShape);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            session.Run(VaeContract.LatentTensor, z, zShape, VaeContract.ImageTensor, image, imageShape);
            session.Run(VaeContract.LatentTensor, z, zShape, VaeContract.ImageTensor, image, imageShape, VaeContract.LogitsTensor, logits, imageShape);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"managed bytes allocated by 40 runs: {allocated}");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Reused_run_contexts_give_each_call_its_own_result()
    {
        using var session = new OnnxGraph(_decoderPath);
        int batches = 3 * OnnxGraph.IdleContexts; // more shapes than stay idle: contexts are made, reused and evicted
        for (int round = 0; round < 2; round++)
        {
            for (int count = 1; count <= batches; count++)
            {
                var z = ToyVae.Values(new Random(100 * round + count), count * _toy.LatentSize, scale: 2);
                var image = new float[count * _toy.ImageSize];

                session.Run(VaeContract.LatentTensor, z, [count, _toy.LatentSize], VaeContract.ImageTensor, image, [count, _toy.Channels, _toy.Height, _toy.Width]);

                Assert.That(ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, count)), Is.LessThanOrEqualTo(Tolerance), $"round {round}, batch {count}");
            }
        }
    }

    [Test]
    public void Concurrent_runs_of_one_shape_do_not_mix_their_buffers()
    {
        using var session = new OnnxGraph(_decoderPath);
        const int count = 5, threads = 8, runs = 40;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var image = new float[count * _toy.ImageSize];
            for (int r = 0; r < runs; r++)
            {
                var z = ToyVae.Values(new Random(1000 * t + r), count * _toy.LatentSize, scale: 2);
                session.Run(VaeContract.LatentTensor, z, [count, _toy.LatentSize], VaeContract.ImageTensor, image, [count, _toy.Channels, _toy.Height, _toy.Width]);
                double difference = ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, count));
                if (difference > Tolerance)
                {
                    failures.Add($"thread {t}, run {r}: {difference:E2}");
                }
            }
        });

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void A_cancelled_run_throws_and_the_next_run_of_that_shape_still_works()
    {
        using var session = new OnnxGraph(_decoderPath);
        var z = ToyVae.Values(new Random(61), 2 * _toy.LatentSize, scale: 2);
        var image = new float[2 * _toy.ImageSize];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            session.Run(VaeContract.LatentTensor, z, [2, _toy.LatentSize], VaeContract.ImageTensor, image, [2, _toy.Channels, _toy.Height, _toy.Width],
                cancellationToken: cancelled.Token));
        using var live = new CancellationTokenSource();
        session.Run(VaeContract.LatentTensor, z, [2, _toy.LatentSize], VaeContract.ImageTensor, image, [2, _toy.Channels, _toy.Height, _toy.Width],
            cancellationToken: live.Token);

        Assert.That(ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, 2)), Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void Bad_arguments_are_rejected_with_the_graph_expectation()
    {
        using var session = new OnnxGraph(_decoderPath);
        var image = new float[2 * _toy.ImageSize];
        long[] imageShape = [2, _toy.Channels, _toy.Height, _toy.Width];

        var wrongName = Assert.Throws<InferenceException>(() => session.Run("latent", new float[10], [2, 5], VaeContract.ImageTensor, image, imageShape));
        TestContext.Out.WriteLine(wrongName!.Message);
        Assert.That(wrongName.Message, Does.Contain("latent").And.Contain("decoder.onnx").And.Not.Contain(".cc:"));
        var wrongDim = Assert.Throws<InferenceException>(() => session.Run(VaeContract.LatentTensor, new float[8], [2, 4], VaeContract.ImageTensor, image, imageShape));
        TestContext.Out.WriteLine(wrongDim!.Message);
        Assert.That(wrongDim.Message, Does.Contain("decoder.onnx").And.Not.Contain(".cc:"));
        var wrongLength = Assert.Throws<ArgumentException>(() => session.Run(VaeContract.LatentTensor, new float[9], [2, 5], VaeContract.ImageTensor, image, imageShape));
        Assert.That(wrongLength!.Message, Does.Contain("holds 10 values, but the buffer has 9"));
        var wrongOutput = Assert.Throws<ArgumentException>(() => session.Run(VaeContract.LatentTensor, new float[10], [2, 5], VaeContract.ImageTensor, new float[3], imageShape));
        Assert.That(wrongOutput!.Message, Does.Contain("output 'image'"));
    }

    [Test]
    public void A_disposed_session_refuses_to_run()
    {
        var session = new OnnxGraph(_decoderPath);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() =>
            session.Run(VaeContract.LatentTensor, new float[5], [1, 5], VaeContract.ImageTensor, new float[_toy.ImageSize], [1, _toy.Channels, _toy.Height, _toy.Width]));
    }

    [Test]
    public void A_file_that_is_not_onnx_fails_with_the_native_reason_and_the_path()
    {
        var path = _folder.File("not-a-model.onnx");
        File.WriteAllText(path, "this is not a protobuf");

        var error = Assert.Throws<InferenceException>(() => new OnnxGraph(path));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain(path).And.Contain("as an ONNX model").And.Not.Contain("[ErrorCode"));
        Assert.That(error.InnerException, Is.InstanceOf<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>());
    }

    [Test]
    public void A_missing_file_is_reported_before_onnx_runtime_is_asked()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new OnnxGraph(_folder.File("absent.onnx")));
        Assert.That(error!.Message, Does.Contain("absent.onnx").And.Contain("does not exist"));
    }

    [Test]
    public void Cuda_on_a_machine_without_it_fails_clearly_unless_fallback_is_allowed()
    {
        var error = Assert.Throws<InferenceException>(() =>
            new OnnxGraph(_decoderPath, new InferenceOptions { Provider = ExecutionProvider.Cuda, DeviceId = 0 }));
        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain("CUDA").And.Contain("OnnxRuntimeFlavor=Gpu").And.Contain("cpu"));

        using var fallback = new OnnxGraph(_decoderPath,
            new InferenceOptions { Provider = ExecutionProvider.Cuda, AllowCpuFallback = true });
        Assert.That(fallback.Provider, Is.EqualTo(ExecutionProvider.Cpu));
        Assert.That(fallback.ProviderFallbackReason, Does.Contain("CUDA"));
    }

    [Test]
    public void Options_out_of_range_are_rejected()
    {
        var threads = Assert.Throws<ArgumentException>(() => new OnnxGraph(_decoderPath, new InferenceOptions { IntraOpThreads = -1 }));
        Assert.That(threads!.Message, Does.Contain("IntraOpThreads is -1"));
        var device = Assert.Throws<ArgumentException>(() => new OnnxGraph(_decoderPath, new InferenceOptions { DeviceId = -2 }));
        Assert.That(device!.Message, Does.Contain("DeviceId is -2"));
    }

    [TestCase(GraphOptimization.Disabled)]
    [TestCase(GraphOptimization.Basic)]
    [TestCase(GraphOptimization.Extended)]
    public void Every_optimization_level_computes_the_same_decoder(GraphOptimization level)
    {
        using var session = new OnnxGraph(_decoderPath, new InferenceOptions { Optimization = level, IntraOpThreads = 2 });
        var z = ToyVae.Values(new Random(51), 2 * _toy.LatentSize, scale: 2);
        var image = new float[2 * _toy.ImageSize];

        session.Run(VaeContract.LatentTensor, z, [2, _toy.LatentSize], VaeContract.ImageTensor, image, [2, _toy.Channels, _toy.Height, _toy.Width]);

        Assert.That(ConvolutionReference.MaxAbsDifference(image, _toy.ReferenceDecode(z, 2)), Is.LessThanOrEqualTo(Tolerance));
    }

    private void WriteConvPair(string path)
    {
        var g = new GraphBuilder("conv_pair");
        string x = g.Input("x", ElementType.Float, "N", 2, 7, 6);
        string w1 = g.Initializer("conv.weight", _convWeight, 3, 2, 3, 3);
        string b1 = g.Initializer("conv.bias", _convBias, 3);
        string w2 = g.Initializer("deconv.weight", _deconvWeight, 3, 2, 4, 3);
        string b2 = g.Initializer("deconv.bias", _deconvBias, 2);
        string h = g.Relu(g.Conv(x, w1, b1, strides: Longs(ConvStrides), pads: Longs(ConvPads), dilations: Longs(ConvDilations)));
        string y = g.ConvTranspose(h, w2, b2, strides: Longs(DeconvStrides), pads: Longs(DeconvPads),
            outputPadding: Longs(DeconvOutputPadding), output: "y");
        g.Output(y, ElementType.Float, "N", 2, 10, 9);
        AtomicFile.Write(path, new ModelBuilder(g).Save);
    }

    private static long[] Longs(int[] values) => values.Select(v => (long)v).ToArray();
}
