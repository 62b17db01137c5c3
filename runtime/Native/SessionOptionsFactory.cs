// Turns InferenceOptions into native OrtSessionOptions: graph optimization level, intra-op threads, and the CUDA
// execution provider when asked for. A CUDA request that cannot be met throws with what is missing and what to do;
// it never falls back to the CPU by itself (InferenceSession decides that, only when AllowCpuFallback is set).
using System.Text;

namespace VaeOnnx.Runtime.Native;

internal static unsafe class SessionOptionsFactory
{
    public const string CudaProviderName = "CUDAExecutionProvider";

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

    public static OrtSessionOptionsHandle Create(InferenceOptions options, bool withCuda)
    {
        var api = OnnxRuntimeLibrary.Api;
        var handle = new OrtSessionOptionsHandle();
        nint raw;
        OrtStatus.Check(api->CreateSessionOptions(&raw));
        handle.Attach(raw);
        try
        {
            OrtStatus.Check(api->SetSessionGraphOptimizationLevel(raw, options.Optimization switch
            {
                GraphOptimization.Disabled => 0,
                GraphOptimization.Basic => 1,
                GraphOptimization.Extended => 2,
                _ => 99,
            }));
            OrtStatus.Check(api->SetIntraOpNumThreads(raw, options.IntraOpThreads));
            if (withCuda)
            {
                AppendCuda(raw, options.DeviceId);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AppendCuda(nint sessionOptions, int deviceId)
    {
        var available = OnnxRuntimeLibrary.AvailableProviders();
        if (!available.Contains(CudaProviderName))
        {
            throw new OnnxRuntimeException(OrtErrorCode.ExecutionProviderFail,
                $"CUDA was requested, but the ONNX Runtime library at '{OnnxRuntimeLibrary.LoadedFrom}' (version {OnnxRuntimeLibrary.Version}) " +
                $"has no CUDA execution provider (it offers: {string.Join(", ", available)}). {CudaAdvice}");
        }

        // ORT loads the CUDA provider from the directory of libonnxruntime.so; say so plainly when it is not there
        // (the CPU build VaeOnnx fetches lists CUDA as available but ships no provider library).
        var loadedFrom = OnnxRuntimeLibrary.LoadedFrom;
        if (File.Exists(loadedFrom))
        {
            var directory = Path.GetDirectoryName(loadedFrom)!;
            var missing = new[] { "libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so" }
                .Where(name => !File.Exists(Path.Combine(directory, name))).ToArray();
            if (missing.Length > 0)
            {
                throw new OnnxRuntimeException(OrtErrorCode.ExecutionProviderFail,
                    $"CUDA was requested, but the ONNX Runtime library at '{loadedFrom}' has no {string.Join(" or ", missing)} beside it " +
                    $"(ONNX Runtime loads its CUDA provider from that folder). {CudaAdvice}");
            }
        }

        var api = OnnxRuntimeLibrary.Api;
        using var cudaOptions = new OrtCudaProviderOptionsHandle();
        try
        {
            nint raw;
            OrtStatus.Check(api->CreateCUDAProviderOptions(&raw));
            cudaOptions.Attach(raw);
            var key = Encoding.UTF8.GetBytes("device_id\0");
            var value = Encoding.UTF8.GetBytes(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0");
            fixed (byte* pKey = key)
            fixed (byte* pValue = value)
            {
                byte* keys = pKey;
                byte* values = pValue;
                OrtStatus.Check(api->UpdateCUDAProviderOptions(raw, &keys, &values, 1));
            }
            OrtStatus.Check(api->SessionOptionsAppendExecutionProvider_CUDA_V2(sessionOptions, raw));
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxRuntimeException(e.ErrorCode,
                $"The CUDA execution provider could not start on device {deviceId}: {e.Message.Trim()}. {CudaAdvice}", e);
        }
    }

    public const string CudaAdvice =
        "CUDA needs a GPU build of ONNX Runtime (set VAEONNX_ORT_LIBRARY, or the OnnxRuntimeLibrary build property, to its " +
        "libonnxruntime.so with libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so beside it), the CUDA and " +
        "cuDNN libraries it was built for on the library path, and a visible GPU. Otherwise use the CPU provider, or allow CPU fallback.";
}
