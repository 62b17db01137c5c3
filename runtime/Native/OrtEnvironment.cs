// The process-wide OrtEnv every session is created in. ONNX Runtime wants one per process; it is made on first use and
// kept until the process ends (releasing it while sessions live is undefined behaviour in ORT).
// Its log level comes from VAEONNX_ORT_LOG_LEVEL (verbose|info|warning|error|fatal, default fatal): failures already
// reach callers as OnnxRuntimeExceptions with ORT's message, so by default ORT adds nothing to stderr (the CLI promises
// one line per error). Set warning or info to see ORT's own diagnostics, e.g. when setting up CUDA.
using System.Text;

namespace VaeOnnx.Runtime.Native;

internal static unsafe class OrtEnvironment
{
    public const string LogLevelVariable = "VAEONNX_ORT_LOG_LEVEL";
    private static readonly Lock Gate = new();
    private static OrtEnvHandle? _env;

    public static OrtEnvHandle Handle
    {
        get
        {
            lock (Gate)
            {
                return _env ??= Create();
            }
        }
    }

    private static OrtEnvHandle Create()
    {
        var api = OnnxRuntimeLibrary.Api;
        var env = new OrtEnvHandle();
        var logId = Encoding.UTF8.GetBytes("vaeonnx\0");
        nint raw;
        fixed (byte* pLogId = logId)
        {
            OrtStatus.Check(api->CreateEnv(LogLevel(), pLogId, &raw));
        }
        env.Attach(raw);
        return env;
    }

    private static int LogLevel()
    {
        var text = Environment.GetEnvironmentVariable(LogLevelVariable);
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "fatal" => 4,
            "verbose" => 0,
            "info" => 1,
            "warning" => 2,
            "error" => 3,
            _ => throw new ArgumentException(
                $"{LogLevelVariable}='{text}' is not a log level; use verbose, info, warning, error or fatal, or unset it."),
        };
    }
}
