// Everything one run of a graph needs for one set of shapes, made once and reused: native buffers for the input and
// the one or two outputs, OrtValues over them, an OrtIoBinding that binds those OrtValues to the graph's names, and
// its own RunOptions (so cancelling one run never touches another). A run copies the caller's input in, runs the
// binding and copies the outputs out, so a steady-state run allocates no managed memory at all.
// One context serves one run at a time (RunContextPool hands them out); it deliberately knows nothing about pooling,
// cancellation tokens or error messages (OnnxGraph's).
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace VaeOnnx.Runtime.Core.Inference;

internal sealed unsafe class RunContext : IDisposable
{
    private readonly Tensor _input;
    private readonly Tensor _output;
    private readonly Tensor? _second;
    private readonly OrtIoBinding _binding;
    private readonly bool _rebindInput;
    private bool _disposed;

    /// <summary>
    /// Binds buffers of the given shapes to the graph's names. <paramref name="rebindInput"/>: bind the input again
    /// before every run, which providers that copy bound inputs to their device at bind time (CUDA) need.
    /// Throws OnnxRuntimeException when ORT refuses a name.
    /// </summary>
    public RunContext(InferenceSession session, bool rebindInput, string inputName, ReadOnlySpan<long> inputShape,
        string outputName, ReadOnlySpan<long> outputShape, string? secondName, ReadOnlySpan<long> secondShape)
    {
        _rebindInput = rebindInput;
        RunOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        _binding = session.CreateIoBinding();
        try
        {
            _input = new Tensor(inputName, inputShape);
            _output = new Tensor(outputName, outputShape);
            _second = secondName is null ? null : new Tensor(secondName, secondShape);
            _binding.BindInput(_input.Name, _input.Value);
            _binding.BindOutput(_output.Name, _output.Value);
            if (_second is not null)
            {
                _binding.BindOutput(_second.Name, _second.Value);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>This context's own options; OnnxGraph sets Terminate to cancel and clears it afterwards.</summary>
    public RunOptions RunOptions { get; }

    /// <summary>Whether this context was made for exactly these names and shapes (no allocation).</summary>
    public bool Fits(string inputName, ReadOnlySpan<long> inputShape, string outputName, ReadOnlySpan<long> outputShape,
        string? secondName, ReadOnlySpan<long> secondShape) =>
        _input.Is(inputName, inputShape) && _output.Is(outputName, outputShape)
        && (_second is null ? secondName is null : secondName is not null && _second.Is(secondName, secondShape));

    /// <summary>Copies <paramref name="input"/> in, runs the bound graph, copies the outputs out. Lengths are the caller's check.</summary>
    public void Run(InferenceSession session, ReadOnlySpan<float> input, Span<float> output, Span<float> second)
    {
        input.CopyTo(_input.Span);
        if (_rebindInput)
        {
            _binding.BindInput(_input.Name, _input.Value);
        }
        session.RunWithBinding(RunOptions, _binding);
        _output.Span.CopyTo(output);
        _second?.Span.CopyTo(second);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _binding.Dispose();
        _input?.Dispose();
        _output?.Dispose();
        _second?.Dispose();
        RunOptions.Dispose();
    }

    // One named float tensor in native memory, with its OrtValue.
    private sealed class Tensor : IDisposable
    {
        private readonly long[] _shape;
        private readonly float* _data;
        private readonly int _length;

        public Tensor(string name, ReadOnlySpan<long> shape)
        {
            Name = name;
            _shape = shape.ToArray();
            long length = 1;
            foreach (long d in _shape)
            {
                length *= d;
            }
            _length = checked((int)length);
            nuint bytes = (nuint)Math.Max(1L, length * sizeof(float));
            _data = (float*)NativeMemory.AlignedAlloc(bytes, 64);
            try
            {
                Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, _shape, (nint)_data, length * sizeof(float));
            }
            catch
            {
                NativeMemory.AlignedFree(_data);
                throw;
            }
        }

        public string Name { get; }

        public OrtValue Value { get; }

        public Span<float> Span => new(_data, _length);

        public bool Is(string name, ReadOnlySpan<long> shape) => string.Equals(name, Name, StringComparison.Ordinal) && shape.SequenceEqual(_shape);

        public void Dispose()
        {
            Value.Dispose();
            NativeMemory.AlignedFree(_data);
        }
    }
}
