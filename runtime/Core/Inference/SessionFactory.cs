// Turns InferenceOptions into an ONNX Runtime session: graph optimization level, intra-op threads, and the CUDA
// execution provider with its device id when asked for. Shape inference is strict: a graph whose declared input or
// output shapes contradict what its nodes compute is refused at load (ModelGraphCheck words it), where ONNX Runtime's
// default lenient merge turned the contradicting dimensions into unknowns that the contract check then accepted.
// ONNX Runtime logs only fatal errors: every failure reaches the caller as an exception, so its coloured log lines on
// stderr only repeated them, ahead of our one-line message. A CUDA request that cannot be met throws an
// InferenceException naming what is missing (the GPU build, or which CUDA/cuDNN libraries) and what to do; the CPU
// is used instead only when AllowCpuFallback is set, and the reason is kept for `info`.
using Microsoft.ML.OnnxRuntime;

namespace VaeOnnx.Runtime.Core.Inference;

internal static class SessionFactory
{
    public const string CudaProviderName = "CUDAExecutionProvider";

    public const string CudaAdvice =
        "CUDA needs the GPU build of the runtime (build or publish with -p:OnnxRuntimeFlavor=Gpu), CUDA 13 with cuBLAS, " +
        "cuRAND and cuDNN 9 on the library path, and a visible GPU; otherwise use --provider cpu (or allow CPU fallback)";

    public static void Validate(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
        {
            throw new ArgumentException($"Provider {(int)options.Provider} is not an execution provider; use Cpu or Cuda.", nameof(options));
        }
        if (!Enum.IsDefined(options.Optimization))
        {
            throw new ArgumentException($"Optimization {(int)options.Optimization} is not a level; use Disabled, Basic, Extended or All.", nameof(options));
        }
        if (options.IntraOpThreads < 0)
        {
            throw new ArgumentException($"IntraOpThreads is {options.IntraOpThreads}; use 0 (ONNX Runtime decides) or a positive thread count.", nameof(options));
        }
        if (options.DeviceId < 0)
        {
            throw new ArgumentException($"DeviceId is {options.DeviceId}; CUDA device ordinals start at 0.", nameof(options));
        }
    }

    /// <summary>Opens <paramref name="modelPath"/> on the requested provider (or the CPU after a permitted fallback).</summary>
    public static InferenceSession Open(string modelPath, InferenceOptions options, out ExecutionProvider provider, out string? fallbackReason)
    {
        fallbackReason = null;
        if (options.Provider == ExecutionProvider.Cuda)
        {
            try
            {
                provider = ExecutionProvider.Cuda;
                return Create(modelPath, options, withCuda: true);
            }
            catch (InferenceException e) when (options.AllowCpuFallback)
            {
                fallbackReason = e.Message;
            }
        }
        provider = ExecutionProvider.Cpu;
        return Create(modelPath, options, withCuda: false);
    }

    /// <summary>Why CUDA cannot start here, or null when the GPU build and every CUDA library are present.</summary>
    public static string? CudaProblem(int deviceId)
    {
        string[] available;
        try
        {
            available = OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            return $"CUDA was requested, but ONNX Runtime's native library could not be loaded: {InferenceException.Clean(e.Message)}";
        }
        if (!available.Contains(CudaProviderName))
        {
            return $"CUDA was requested on device {deviceId}, but this build carries the CPU ONNX Runtime (providers: {string.Join(", ", available)})";
        }
        var missing = CudaLibraries.Missing();
        return missing.Count == 0
            ? null
            : $"CUDA was requested on device {deviceId}, but these libraries are missing: {string.Join(", ", missing)}";
    }

    private static InferenceSession Create(string modelPath, InferenceOptions options, bool withCuda)
    {
        try
        {
            return CreateUnchecked(modelPath, options, withCuda);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException { InnerException: DllNotFoundException })
        {
            throw new InferenceException(
                "ONNX Runtime's native library (onnxruntime) could not be loaded: it ships in the runtimes/<platform>/native folder " +
                "of the build or publish output; publish for this platform (scripts/publish-runtime.sh) or restore the folder.", e);
        }
    }

    private static InferenceSession CreateUnchecked(string modelPath, InferenceOptions options, bool withCuda)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.Optimization switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = options.IntraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        sessionOptions.AddSessionConfigEntry("session.strict_shape_type_inference", "1");
        string context = "";
        if (withCuda)
        {
            if (CudaProblem(options.DeviceId) is { } problem)
            {
                throw new InferenceException($"{problem}. {CudaAdvice}.");
            }
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InferenceException(
                    $"The CUDA execution provider could not start on device {options.DeviceId}: {InferenceException.Clean(e.Message)}. {CudaAdvice}.", e);
            }
            context = " with the CUDA execution provider";
        }
        try
        {
            return new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (ModelGraphCheck.DescribeInferenceConflict(modelPath, e.Message) is string conflict)
        {
            throw new InvalidModelException(modelPath, conflict);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"Could not load '{modelPath}' as an ONNX model{context}: {InferenceException.Clean(e.Message)}.", e);
        }
    }
}
