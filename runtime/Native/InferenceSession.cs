// One ONNX graph loaded into ONNX Runtime: describes its inputs, outputs and custom metadata, and runs float tensors.
// Run is thread-safe (ONNX Runtime allows concurrent Run on one session), so share one session among callers.
// Inputs are the callers' memory, pinned and wrapped (CreateTensorWithDataAsOrtValue), never copied; outputs whose
// shape the caller knows are written straight into the caller's memory, so such a run allocates no managed memory.
// Per-call tensors are raw OrtValue pointers released in finally blocks: SafeHandles would cost an allocation each,
// which is what the zero-allocation decode path measures (see the bench command).
// It deliberately runs only float tensors and has no IO binding or device-memory outputs.
using System.Runtime.InteropServices;
using System.Text;
using VaeOnnx.Runtime.Native;

namespace VaeOnnx.Runtime;

public sealed unsafe class InferenceSession : IDisposable
{
    private const int MaxValuesOnStack = 32;
    private readonly OrtSessionHandle _session;
    private readonly OrtMemoryInfoHandle _memoryInfo;
    private readonly TensorInfo[] _inputs;
    private readonly TensorInfo[] _outputs;
    private readonly long[][] _inputShapes;
    private readonly long[][] _outputShapes;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;

    // NUL-terminated UTF-8 names on the pinned object heap: their addresses stay valid as long as this object lives.
    private readonly byte[][] _nameBuffers;
    private readonly nint[] _inputNamePointers;
    private readonly nint[] _outputNamePointers;

    /// <summary>Loads <paramref name="modelPath"/> with <paramref name="options"/> (CPU, all optimizations by default).</summary>
    public InferenceSession(string modelPath, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        options ??= new InferenceOptions();
        SessionOptionsFactory.Validate(options);
        ModelPath = Path.GetFullPath(modelPath);
        if (Directory.Exists(ModelPath))
        {
            throw new FileNotFoundException($"'{modelPath}' is a folder; an InferenceSession loads one .onnx file (a model folder is loaded with VaeModel.Load).", ModelPath);
        }
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist; check the path.", ModelPath);
        }

        var api = OnnxRuntimeLibrary.EnsureLoaded(options.LibraryPath);
        _session = Open(options, out var provider, out var fallbackReason);
        Provider = provider;
        ProviderFallbackReason = fallbackReason;
        try
        {
            _memoryInfo = new OrtMemoryInfoHandle();
            nint memoryInfo;
            OrtStatus.Check(api->CreateCpuMemoryInfo(1 /* OrtArenaAllocator */, 0 /* OrtMemTypeDefault */, &memoryInfo));
            _memoryInfo.Attach(memoryInfo);

            nint allocator;
            OrtStatus.Check(api->GetAllocatorWithDefaultOptions(&allocator));
            var session = _session.DangerousGetHandle();
            _inputs = Describe(api, session, allocator, inputs: true);
            _outputs = Describe(api, session, allocator, inputs: false);
            (CustomMetadata, ProducerName) = ReadMetadata(api, session, allocator);
        }
        catch
        {
            _memoryInfo?.Dispose();
            _session.Dispose();
            throw;
        }

        _inputShapes = _inputs.Select(i => i.Shape.ToArray()).ToArray();
        _outputShapes = _outputs.Select(o => o.Shape.ToArray()).ToArray();
        _inputIndex = Enumerable.Range(0, _inputs.Length).ToDictionary(i => _inputs[i].Name, StringComparer.Ordinal);
        _outputIndex = Enumerable.Range(0, _outputs.Length).ToDictionary(i => _outputs[i].Name, StringComparer.Ordinal);
        _nameBuffers = _inputs.Concat(_outputs).Select(t => PinnedUtf8(t.Name)).ToArray();
        _inputNamePointers = _nameBuffers.Take(_inputs.Length).Select(b => Marshal.UnsafeAddrOfPinnedArrayElement(b, 0)).ToArray();
        _outputNamePointers = _nameBuffers.Skip(_inputs.Length).Select(b => Marshal.UnsafeAddrOfPinnedArrayElement(b, 0)).ToArray();
    }

    /// <summary>Full path of the .onnx file.</summary>
    public string ModelPath { get; }

    /// <summary>The provider the session actually runs on (Cpu after a permitted fallback).</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why the requested provider was given up for the CPU, when AllowCpuFallback let it; otherwise null.</summary>
    public string? ProviderFallbackReason { get; }

    public IReadOnlyList<TensorInfo> Inputs => _inputs;

    public IReadOnlyList<TensorInfo> Outputs => _outputs;

    /// <summary>The model's metadata_props (custom metadata map).</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    public string ProducerName { get; }

    private string FileName => Path.GetFileName(ModelPath);

    /// <summary>
    /// Runs a graph with one input and one requested output of known shape, writing into <paramref name="output"/>.
    /// Allocates no managed memory. Input and output must not overlap.
    /// </summary>
    public void Run(string inputName, ReadOnlySpan<float> input, ReadOnlySpan<long> inputShape,
        string outputName, Span<float> output, ReadOnlySpan<long> outputShape)
    {
        int inputIndex = InputIndex(inputName);
        int outputIndex = OutputIndex(outputName);
        if (_inputs.Length != 1)
        {
            throw new ArgumentException(
                $"{FileName} has {_inputs.Length} inputs ({string.Join(", ", _inputs.Select(i => i.Name))}); give all of them with Run(IReadOnlyList<TensorInput>, ...).");
        }
        CheckTensor(_inputs[inputIndex], _inputShapes[inputIndex], "input", inputShape, input.Length);
        CheckTensor(_outputs[outputIndex], _outputShapes[outputIndex], "output", outputShape, output.Length);

        var api = OnnxRuntimeLibrary.Api;
        using var lease = new RunLease(_session, _memoryInfo);
        nint inputValue = 0, outputValue = 0;
        try
        {
            fixed (float* pInput = input)
            fixed (float* pOutput = output)
            {
                inputValue = CreateTensor(api, lease.MemoryInfo, pInput, input.Length, inputShape);
                outputValue = CreateTensor(api, lease.MemoryInfo, pOutput, output.Length, outputShape);
                var inputName0 = _inputNamePointers[inputIndex];
                var outputName0 = _outputNamePointers[outputIndex];
                OrtStatus.Check(api->Run(lease.Session, 0, (byte**)&inputName0, &inputValue, 1, (byte**)&outputName0, 1, &outputValue));
            }
        }
        finally
        {
            api->ReleaseValue(inputValue);
            api->ReleaseValue(outputValue);
        }
    }

    /// <summary>Runs with every graph input given, writing each requested output into its caller-owned destination.</summary>
    public void Run(IReadOnlyList<TensorInput> inputs, IReadOnlyList<TensorOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
        {
            throw new ArgumentException($"No outputs requested; name at least one of {string.Join(", ", _outputs.Select(o => o.Name))}.", nameof(outputs));
        }
        var outputIndices = new int[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i] ?? throw new ArgumentNullException(nameof(outputs), $"outputs[{i}] is null.");
            outputIndices[i] = OutputIndex(output.Name);
            CheckTensor(_outputs[outputIndices[i]], _outputShapes[outputIndices[i]], "output", output.Shape, output.Destination.Length);
        }
        CheckDistinct(outputs.Select(o => o.Name), "output");

        var pins = new List<System.Buffers.MemoryHandle>(outputs.Count);
        try
        {
            var destinations = new float*[outputs.Count];
            for (int i = 0; i < outputs.Count; i++)
            {
                pins.Add(outputs[i].Destination.Pin());
                destinations[i] = (float*)pins[i].Pointer;
            }
            RunGeneral(inputs, outputIndices, (api, memoryInfo, values) =>
            {
                for (int i = 0; i < outputIndices.Length; i++)
                {
                    values[i] = CreateTensor(api, memoryInfo, destinations[i], outputs[i].Destination.Length, outputs[i].Shape);
                }
            }, null);
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs with every graph input given and returns the named outputs (all of them when <paramref name="outputNames"/>
    /// is null) in ONNX Runtime-allocated memory copied into new arrays, with the shapes the graph produced.
    /// </summary>
    public IReadOnlyList<TensorResult> Run(IReadOnlyList<TensorInput> inputs, IReadOnlyList<string>? outputNames = null)
    {
        var names = outputNames ?? _outputs.Select(o => o.Name).ToArray();
        if (names.Count == 0)
        {
            throw new ArgumentException($"No outputs requested; name at least one of {string.Join(", ", _outputs.Select(o => o.Name))}.", nameof(outputNames));
        }
        var outputIndices = names.Select(OutputIndex).ToArray();
        CheckDistinct(names, "output");
        var results = new TensorResult[names.Count];
        RunGeneral(inputs, outputIndices, null, (api, values) =>
        {
            for (int i = 0; i < values.Length; i++)
            {
                results[i] = ReadResult(api, names[i], values[i]);
            }
        });
        return results;
    }

    public void Dispose()
    {
        _memoryInfo.Dispose();
        _session.Dispose();
    }

    public override string ToString() =>
        $"{FileName}: inputs {string.Join(", ", _inputs.Select(i => i.ToString()))}; outputs {string.Join(", ", _outputs.Select(o => o.ToString()))}";

    private delegate void PrepareOutputs(OrtApi* api, nint memoryInfo, nint[] values);

    private delegate void ReadOutputs(OrtApi* api, nint[] values);

    private void RunGeneral(IReadOnlyList<TensorInput> inputs, int[] outputIndices, PrepareOutputs? prepare, ReadOutputs? read)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var inputIndices = new int[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"inputs[{i}] is null.");
            inputIndices[i] = InputIndex(input.Name);
            CheckTensor(_inputs[inputIndices[i]], _inputShapes[inputIndices[i]], "input", input.Shape, input.Data.Length);
        }
        CheckDistinct(inputs.Select(i => i.Name), "input");
        if (inputs.Count != _inputs.Length)
        {
            var missing = _inputs.Select(i => i.Name).Except(inputs.Select(i => i.Name));
            throw new ArgumentException($"{FileName} needs every input; missing: {string.Join(", ", missing)}.", nameof(inputs));
        }

        var api = OnnxRuntimeLibrary.Api;
        var inputValues = new nint[inputs.Count];
        var outputValues = new nint[outputIndices.Length];
        var inputNames = inputIndices.Select(i => _inputNamePointers[i]).ToArray();
        var outputNames = outputIndices.Select(i => _outputNamePointers[i]).ToArray();
        var pins = new List<System.Buffers.MemoryHandle>(inputs.Count);
        using var lease = new RunLease(_session, _memoryInfo);
        try
        {
            var memoryInfo = lease.MemoryInfo;
            for (int i = 0; i < inputs.Count; i++)
            {
                pins.Add(inputs[i].Data.Pin());
                inputValues[i] = CreateTensor(api, memoryInfo, (float*)pins[i].Pointer, inputs[i].Data.Length, inputs[i].Shape);
            }
            prepare?.Invoke(api, memoryInfo, outputValues);
            fixed (nint* pInputNames = inputNames)
            fixed (nint* pInputValues = inputValues)
            fixed (nint* pOutputNames = outputNames)
            fixed (nint* pOutputValues = outputValues)
            {
                OrtStatus.Check(api->Run(lease.Session, 0, (byte**)pInputNames, pInputValues, (nuint)inputValues.Length,
                    (byte**)pOutputNames, (nuint)outputValues.Length, pOutputValues));
            }
            read?.Invoke(api, outputValues);
        }
        finally
        {
            foreach (var value in inputValues)
            {
                api->ReleaseValue(value);
            }
            foreach (var value in outputValues)
            {
                api->ReleaseValue(value);
            }
            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    /// <summary>
    /// References on the session and its memory info for the length of one run: a Dispose on another thread then
    /// releases them only after the run (SafeHandle reference counting), and a run after Dispose throws ObjectDisposedException.
    /// </summary>
    private ref struct RunLease
    {
        private readonly OrtSessionHandle _session;
        private readonly OrtMemoryInfoHandle _memoryInfo;
        private bool _sessionAdded;
        private bool _memoryInfoAdded;

        public RunLease(OrtSessionHandle session, OrtMemoryInfoHandle memoryInfo)
        {
            _session = session;
            _memoryInfo = memoryInfo;
            _sessionAdded = false;
            _memoryInfoAdded = false;
            try
            {
                session.DangerousAddRef(ref _sessionAdded);
                memoryInfo.DangerousAddRef(ref _memoryInfoAdded);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public readonly nint Session => _session.DangerousGetHandle();

        public readonly nint MemoryInfo => _memoryInfo.DangerousGetHandle();

        public void Dispose()
        {
            if (_memoryInfoAdded)
            {
                _memoryInfoAdded = false;
                _memoryInfo.DangerousRelease();
            }
            if (_sessionAdded)
            {
                _sessionAdded = false;
                _session.DangerousRelease();
            }
        }
    }

    private static nint CreateTensor(OrtApi* api, nint memoryInfo, float* data, int length, ReadOnlySpan<long> shape)
    {
        nint value;
        fixed (long* pShape = shape)
        {
            OrtStatus.Check(api->CreateTensorWithDataAsOrtValue(memoryInfo, data, (nuint)length * sizeof(float), pShape, (nuint)shape.Length,
                TensorElementType.Float, &value));
        }
        return value;
    }

    private static TensorResult ReadResult(OrtApi* api, string name, nint value)
    {
        nint shapeInfo;
        OrtStatus.Check(api->GetTensorTypeAndShape(value, &shapeInfo));
        long[] shape;
        try
        {
            TensorElementType elementType;
            OrtStatus.Check(api->GetTensorElementType(shapeInfo, &elementType));
            if (elementType != TensorElementType.Float)
            {
                throw new NotSupportedException($"Output '{name}' is {elementType}; InferenceSession reads float outputs only.");
            }
            nuint rank;
            OrtStatus.Check(api->GetDimensionsCount(shapeInfo, &rank));
            shape = new long[(int)rank];
            fixed (long* pShape = shape)
            {
                OrtStatus.Check(api->GetDimensions(shapeInfo, pShape, rank));
            }
        }
        finally
        {
            api->ReleaseTensorTypeAndShapeInfo(shapeInfo);
        }
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }
        void* data;
        OrtStatus.Check(api->GetTensorMutableData(value, &data));
        var result = new float[checked((int)count)];
        new ReadOnlySpan<float>(data, result.Length).CopyTo(result);
        return new TensorResult(name, result, shape);
    }

    private int InputIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _inputIndex.TryGetValue(name, out var index)
            ? index
            : throw new ArgumentException($"{FileName} has no input '{name}'; its inputs are {string.Join(", ", _inputs.Select(i => i.ToString()))}.", nameof(name));
    }

    private int OutputIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _outputIndex.TryGetValue(name, out var index)
            ? index
            : throw new ArgumentException($"{FileName} has no output '{name}'; its outputs are {string.Join(", ", _outputs.Select(o => o.ToString()))}.", nameof(name));
    }

    private void CheckTensor(TensorInfo info, long[] declared, string role, ReadOnlySpan<long> shape, int bufferLength)
    {
        if (info.ElementType != TensorElementType.Float)
        {
            throw new NotSupportedException($"{role} '{info.Name}' of {FileName} is {info.ElementType}; InferenceSession runs float tensors only.");
        }
        if (shape.Length != declared.Length)
        {
            throw new ArgumentException(
                $"{role} '{info.Name}' of {FileName} has shape {TensorInfo.FormatShape(declared)} (rank {declared.Length}); got shape {FormatShape(shape)} (rank {shape.Length}).");
        }
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0 || (declared[i] >= 0 && declared[i] != shape[i]))
            {
                throw new ArgumentException(
                    $"{role} '{info.Name}' of {FileName} has shape {TensorInfo.FormatShape(declared)}; got {FormatShape(shape)} (dimension {i} must be " +
                    (declared[i] >= 0 ? $"{declared[i]})." : "positive)."));
            }
            count = checked(count * shape[i]);
        }
        if (count != bufferLength)
        {
            throw new ArgumentException(
                $"{role} '{info.Name}' of {FileName}: shape {FormatShape(shape)} holds {count} values, but the buffer has {bufferLength}.");
        }
    }

    private static void CheckDistinct(IEnumerable<string> names, string role)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
        {
            throw new ArgumentException($"{role} '{duplicate.Key}' is given more than once; name each {role} once.");
        }
    }

    private static string FormatShape(ReadOnlySpan<long> shape) => TensorInfo.FormatShape(shape.ToArray());

    private static byte[] PinnedUtf8(string text)
    {
        var buffer = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(text) + 1, pinned: true);
        Encoding.UTF8.GetBytes(text, buffer);
        return buffer;
    }

    private OrtSessionHandle Open(InferenceOptions options, out ExecutionProvider provider, out string? fallbackReason)
    {
        fallbackReason = null;
        if (options.Provider == ExecutionProvider.Cuda)
        {
            try
            {
                provider = ExecutionProvider.Cuda;
                using var cudaOptions = SessionOptionsFactory.Create(options, withCuda: true);
                return CreateSession(cudaOptions, " with the CUDA execution provider");
            }
            catch (OnnxRuntimeException e) when (options.AllowCpuFallback)
            {
                fallbackReason = e.Message;
            }
        }
        provider = ExecutionProvider.Cpu;
        using var cpuOptions = SessionOptionsFactory.Create(options, withCuda: false);
        return CreateSession(cpuOptions, "");
    }

    private OrtSessionHandle CreateSession(OrtSessionOptionsHandle sessionOptions, string context)
    {
        var api = OnnxRuntimeLibrary.Api;
        var env = OrtEnvironment.Handle;
        var handle = new OrtSessionHandle();
        var path = PinnedUtf8(ModelPath);
        nint raw;
        try
        {
            fixed (byte* pPath = path)
            {
                OrtStatus.Check(api->CreateSession(env.DangerousGetHandle(), pPath, sessionOptions.DangerousGetHandle(), &raw));
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxRuntimeException(e.ErrorCode, $"Could not load '{ModelPath}' as an ONNX model{context}: {e.Message.Trim()}", e);
        }
        handle.Attach(raw);
        return handle;
    }

    private static TensorInfo[] Describe(OrtApi* api, nint session, nint allocator, bool inputs)
    {
        nuint count;
        OrtStatus.Check(inputs ? api->SessionGetInputCount(session, &count) : api->SessionGetOutputCount(session, &count));
        var result = new TensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtStatus.Check(inputs ? api->SessionGetInputName(session, i, allocator, &name) : api->SessionGetOutputName(session, i, allocator, &name));
            string text;
            try
            {
                text = Marshal.PtrToStringUTF8((nint)name) ?? "";
            }
            finally
            {
                OrtStatus.Check(api->AllocatorFree(allocator, name));
            }

            nint typeInfo;
            OrtStatus.Check(inputs ? api->SessionGetInputTypeInfo(session, i, &typeInfo) : api->SessionGetOutputTypeInfo(session, i, &typeInfo));
            try
            {
                int onnxType;
                OrtStatus.Check(api->GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
                if (onnxType != 1 /* ONNX_TYPE_TENSOR */)
                {
                    result[i] = new TensorInfo(text, TensorElementType.Undefined, Array.Empty<long>());
                    continue;
                }
                nint tensorInfo; // owned by typeInfo
                OrtStatus.Check(api->CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                TensorElementType elementType;
                OrtStatus.Check(api->GetTensorElementType(tensorInfo, &elementType));
                nuint rank;
                OrtStatus.Check(api->GetDimensionsCount(tensorInfo, &rank));
                var shape = new long[(int)rank];
                fixed (long* pShape = shape)
                {
                    OrtStatus.Check(api->GetDimensions(tensorInfo, pShape, rank));
                }
                result[i] = new TensorInfo(text, elementType, Array.AsReadOnly(shape));
            }
            finally
            {
                api->ReleaseTypeInfo(typeInfo);
            }
        }
        return result;
    }

    private static (IReadOnlyDictionary<string, string> Map, string Producer) ReadMetadata(OrtApi* api, nint session, nint allocator)
    {
        nint metadata;
        OrtStatus.Check(api->SessionGetModelMetadata(session, &metadata));
        try
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            byte** keys = null;
            long count = 0;
            OrtStatus.Check(api->ModelMetadataGetCustomMetadataMapKeys(metadata, allocator, &keys, &count));
            try
            {
                for (long i = 0; i < count; i++)
                {
                    byte* value = null;
                    OrtStatus.Check(api->ModelMetadataLookupCustomMetadataMap(metadata, allocator, keys[i], &value));
                    if (value != null)
                    {
                        map[Marshal.PtrToStringUTF8((nint)keys[i]) ?? ""] = Marshal.PtrToStringUTF8((nint)value) ?? "";
                        OrtStatus.Check(api->AllocatorFree(allocator, value));
                    }
                }
            }
            finally
            {
                if (keys != null)
                {
                    for (long i = 0; i < count; i++)
                    {
                        api->AllocatorFree(allocator, keys[i]);
                    }
                    api->AllocatorFree(allocator, keys);
                }
            }

            byte* producer;
            OrtStatus.Check(api->ModelMetadataGetProducerName(metadata, allocator, &producer));
            string producerName;
            try
            {
                producerName = Marshal.PtrToStringUTF8((nint)producer) ?? "";
            }
            finally
            {
                OrtStatus.Check(api->AllocatorFree(allocator, producer));
            }
            return (map, producerName);
        }
        finally
        {
            api->ReleaseModelMetadata(metadata);
        }
    }
}
