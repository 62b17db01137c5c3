// One ONNX graph of a model loaded into ONNX Runtime (the official managed package): its declared inputs and
// outputs, its metadata, and float runs over the caller's memory. Inputs and outputs are pinned and wrapped as
// OrtValues (CreateTensorValueWithData), never copied, so outputs land straight in the caller's buffer.
// Run is thread-safe (ORT allows concurrent runs on one session); Dispose waits for runs in flight and a run after
// Dispose throws ObjectDisposedException. Internal: callers go through VaeModel, never to the session itself.
using Microsoft.ML.OnnxRuntime;

namespace VaeOnnx.Runtime.Core.Inference;

internal sealed unsafe class OnnxGraph : IDisposable
{
    /// <summary>Upper bound on the managed bytes one Run allocates (OrtValue wrappers and name/value lists; measured in tests).</summary>
    public const int MaxBytesPerRun = 1024;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
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
        _runOptions = new RunOptions();
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

    /// <summary>Runs one float input into one or two float outputs written into the caller's buffers (shapes known).</summary>
    public void Run(string inputName, ReadOnlySpan<float> input, long[] inputShape,
        string outputName, Span<float> output, long[] outputShape,
        string? secondName = null, Span<float> second = default, long[]? secondShape = null,
        CancellationToken cancellationToken = default)
    {
        CheckLength("input", inputName, inputShape, input.Length);
        CheckLength("output", outputName, outputShape, output.Length);
        if (secondName is not null)
        {
            CheckLength("output", secondName, secondShape!, second.Length);
        }
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            fixed (float* pInput = input)
            fixed (float* pOutput = output)
            fixed (float* pSecond = second)
            {
                using var inputValue = Wrap(pInput, input.Length, inputShape);
                using var outputValue = Wrap(pOutput, output.Length, outputShape);
                using var secondValue = secondName is null ? null : Wrap(pSecond, second.Length, secondShape!);
                var runOptions = _runOptions;
                RunOptions? cancellable = null;
                CancellationTokenRegistration registration = default;
                if (cancellationToken.CanBeCanceled)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    cancellable = new RunOptions();
                    runOptions = cancellable;
                    registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, cancellable);
                }
                try
                {
                    if (secondValue is null)
                    {
                        _session.Run(runOptions, [inputName], [inputValue], [outputName], [outputValue]);
                    }
                    else
                    {
                        _session.Run(runOptions, [inputName], [inputValue], [outputName, secondName!], [outputValue, secondValue]);
                    }
                }
                catch (OnnxRuntimeException e)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new InferenceException($"{FileName}: ONNX Runtime failed to run the graph: {InferenceException.Clean(e.Message)}.", e);
                }
                finally
                {
                    registration.Dispose();
                    cancellable?.Dispose();
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
            _session.Dispose();
            _runOptions.Dispose();
        }
        finally
        {
            _lifetime.ExitWriteLock();
        }
    }

    public override string ToString() =>
        $"{FileName}: inputs {string.Join(", ", Inputs)}; outputs {string.Join(", ", Outputs)}";

    // Builds the message only on failure, so the check costs no allocation.
    private void CheckLength(string role, string name, long[] shape, int length)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }
        if (count != length)
        {
            throw new ArgumentException(
                $"{role} '{name}' of {FileName}: shape {TensorInfo.FormatShape(shape)} holds {count} values, but the buffer has {length}.");
        }
    }

    private static OrtValue Wrap(float* data, int length, long[] shape) =>
        OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float,
            shape, (nint)data, (long)length * sizeof(float));

    private static TensorInfo Describe(string name, NodeMetadata metadata) =>
        metadata.IsTensor
            ? new TensorInfo(name, metadata.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float,
                metadata.Dimensions.Select(d => (long)d).ToArray())
            : new TensorInfo(name, false, []);
}
