// One ONNX graph of a model loaded into ONNX Runtime (the official managed package): its declared inputs and
// outputs, its metadata, and float runs from and into the caller's memory. A run goes through a RunContext made once
// per set of names and shapes (native buffers, OrtValues and an OrtIoBinding over them, reused from RunContextPool),
// so the hot path allocates no managed memory; the price is one copy of the input and of the outputs per run.
// Run is thread-safe (ORT allows concurrent runs on one session; each run holds its own context); Dispose waits for
// runs in flight, disposes the contexts and the session, and a run after Dispose throws ObjectDisposedException.
// Internal: callers go through VaeModel, never to the session itself.
using Microsoft.ML.OnnxRuntime;

namespace VaeOnnx.Runtime.Core.Inference;

internal sealed class OnnxGraph : IDisposable
{
    /// <summary>Idle RunContexts kept per graph (each holds native buffers for one set of shapes).</summary>
    public static readonly int IdleContexts = Math.Clamp(Environment.ProcessorCount, 4, 16);

    private readonly InferenceSession _session;
    private readonly RunContextPool _contexts;
    private readonly ReaderWriterLockSlim _lifetime = new(LockRecursionPolicy.NoRecursion);
    private bool _disposed;

    public OnnxGraph(string modelPath, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        options ??= new InferenceOptions();
        SessionFactory.Validate(options);
        ModelPath = Path.GetFullPath(modelPath);
        if (Directory.Exists(ModelPath))
        {
            throw new FileNotFoundException($"'{modelPath}' is a folder; a graph is one .onnx file (a model folder is loaded with VaeModel.Load).", ModelPath);
        }
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist; check the path.", ModelPath);
        }
        _session = SessionFactory.Open(ModelPath, options, out var provider, out var fallbackReason);
        _contexts = new RunContextPool(_session, rebindInput: provider != ExecutionProvider.Cpu, IdleContexts);
        Provider = provider;
        ProviderFallbackReason = fallbackReason;
        Inputs = _session.InputNames.Select(n => Describe(n, _session.InputMetadata[n])).ToArray();
        Outputs = _session.OutputNames.Select(n => Describe(n, _session.OutputMetadata[n])).ToArray();
        var metadata = _session.ModelMetadata;
        CustomMetadata = new Dictionary<string, string>(metadata.CustomMetadataMap, StringComparer.Ordinal);
        ProducerName = metadata.ProducerName;
    }

    public string ModelPath { get; }

    public string FileName => Path.GetFileName(ModelPath);

    /// <summary>The provider the session actually runs on (Cpu after a permitted fallback).</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why the requested provider was given up for the CPU, when AllowCpuFallback let it; otherwise null.</summary>
    public string? ProviderFallbackReason { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    public string ProducerName { get; }

    /// <summary>
    /// Runs one float input into one or two float outputs written into the caller's buffers (shapes known). A run with
    /// the names and shapes of an earlier one reuses that run's RunContext and allocates no managed memory; a
    /// cancellable token costs one small registration.
    /// </summary>
    public void Run(string inputName, ReadOnlySpan<float> input, ReadOnlySpan<long> inputShape,
        string outputName, Span<float> output, ReadOnlySpan<long> outputShape,
        string? secondName = null, Span<float> second = default, ReadOnlySpan<long> secondShape = default,
        CancellationToken cancellationToken = default)
    {
        CheckLength("input", inputName, inputShape, input.Length);
        CheckLength("output", outputName, outputShape, output.Length);
        if (secondName is not null)
        {
            CheckLength("output", secondName, secondShape, second.Length);
        }
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            RunContext context;
            try
            {
                context = _contexts.Take(inputName, inputShape, outputName, outputShape, secondName, secondShape);
            }
            catch (OnnxRuntimeException e)
            {
                throw RunFailed(e);
            }
            bool reusable = false;
            var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, context.RunOptions)
                : default;
            try
            {
                context.Run(_session, input, output, second);
                reusable = true;
            }
            catch (OnnxRuntimeException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw RunFailed(e);
            }
            finally
            {
                // Dispose waits for a callback in progress, so Terminate is settled before it is cleared for reuse.
                registration.Dispose();
                if (reusable)
                {
                    context.RunOptions.Terminate = false;
                    _contexts.Return(context);
                }
                else
                {
                    context.Dispose(); // a failed or cancelled run's context is not kept
                }
            }
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _lifetime.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _contexts.Dispose();
            _session.Dispose();
        }
        finally
        {
            _lifetime.ExitWriteLock();
        }
    }

    private InferenceException RunFailed(OnnxRuntimeException e) =>
        new($"{FileName}: ONNX Runtime failed to run the graph: {InferenceException.Clean(e.Message)}.", e);

    /// <summary>The graph's declared file, inputs, outputs and producer, for callers outside the runtime.</summary>
    public GraphInfo Info => new(ModelPath, Inputs, Outputs, ProducerName);

    public override string ToString() => Info.ToString();

    // Builds the message only on failure, so the check costs no allocation.
    private void CheckLength(string role, string name, ReadOnlySpan<long> shape, int length)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }
        if (count != length)
        {
            throw new ArgumentException(
                $"{role} '{name}' of {FileName}: shape {TensorInfo.FormatShape(shape.ToArray())} holds {count} values, but the buffer has {length}.");
        }
    }

    private static TensorInfo Describe(string name, NodeMetadata metadata) =>
        metadata.IsTensor
            ? new TensorInfo(name, metadata.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float,
                metadata.Dimensions.Select(d => (long)d).ToArray())
            : new TensorInfo(name, false, []);
}
