// Finds and loads the native ONNX Runtime library once per process, and hands out its OrtApi table.
// Order of the search: an explicit path (InferenceOptions.LibraryPath, then the VAEONNX_ORT_LIBRARY environment
// variable) > libonnxruntime.so / libonnxruntime.so.1 beside this assembly (the build copies them there) > the
// system's library search. An explicit path that does not load is an error; it never falls through to another copy.
// It deliberately does not download anything (runtime/build/OnnxRuntime.targets does that at build time) and does not
// support unloading or switching libraries: one process, one ONNX Runtime.
using System.Runtime.InteropServices;
using VaeOnnx.Runtime.Native;

namespace VaeOnnx.Runtime;

public static unsafe partial class OnnxRuntimeLibrary
{
    /// <summary>Environment variable naming the libonnxruntime.so to load.</summary>
    public const string PathVariable = "VAEONNX_ORT_LIBRARY";

    /// <summary>
    /// The C API version requested from OrtApiBase.GetApi: 11 (ONNX Runtime 1.11) is the lowest that has every entry
    /// VaeOnnx calls, the newest being the CUDA provider options V2 functions (slots 204-208). Any newer library
    /// serves it; the build ships 1.30.
    /// </summary>
    public const uint ApiVersion = 11;

    private const string ImportName = "onnxruntime";
    private static readonly string[] FileNames = ["libonnxruntime.so", "libonnxruntime.so.1"];
    private static readonly Lock Gate = new();
    private static nint _handle;
    private static string? _path;
    private static OrtApi* _api;
    private static string? _version;
    private static string? _permanentFailure;

    static OnnxRuntimeLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(OnnxRuntimeLibrary).Assembly, ResolveImport);
    }

    /// <summary>Where the loaded library came from (a file path, or a name found by the system search).</summary>
    public static string LoadedFrom
    {
        get
        {
            EnsureLoaded(null);
            return _path!;
        }
    }

    /// <summary>The loaded library's version string, e.g. "1.30.0".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded(null);
            return _version!;
        }
    }

    internal static OrtApi* Api => _api != null ? _api : EnsureLoaded(null);

    /// <summary>
    /// Loads ONNX Runtime now (it otherwise loads with the first session). <paramref name="libraryPath"/>, when given,
    /// must name a libonnxruntime.so; it must match the library already loaded, if any.
    /// </summary>
    public static void Load(string? libraryPath = null) => EnsureLoaded(libraryPath);

    /// <summary>Execution providers compiled into the loaded library, e.g. ["CPUExecutionProvider"].</summary>
    public static IReadOnlyList<string> AvailableProviders()
    {
        var api = Api;
        byte** names = null;
        int count = 0;
        OrtStatus.Check(api->GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
            }
            return result;
        }
        finally
        {
            OrtStatus.Check(api->ReleaseAvailableProviders(names, count));
        }
    }

    internal static OrtApi* EnsureLoaded(string? libraryPath)
    {
        lock (Gate)
        {
            if (_api != null)
            {
                if (libraryPath != null && !string.Equals(Path.GetFullPath(libraryPath), _path, StringComparison.Ordinal))
                {
                    // Say first what is wrong with the path itself; only a loadable one hits the one-library rule.
                    var (other, _) = LoadExplicit(libraryPath, "InferenceOptions.LibraryPath", "or leave LibraryPath null");
                    NativeLibrary.Free(other);
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from '{_path}'; a process can use only one ONNX Runtime library, so LibraryPath '{libraryPath}' cannot take effect. " +
                        "Give every model in the process the same LibraryPath, or leave it null.");
                }
                return _api;
            }
            if (_permanentFailure != null)
            {
                throw new DllNotFoundException(_permanentFailure);
            }
            var (handle, path) = LoadHandle(libraryPath);
            if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _))
            {
                NativeLibrary.Free(handle);
                throw new DllNotFoundException(
                    $"'{path}' loaded, but it is not ONNX Runtime: it has no OrtGetApiBase export. " +
                    $"Point {PathVariable} at a libonnxruntime.so, or unset it to use the copy the build places beside {AssemblyFile}.");
            }

            // From here the P/Invoke below is bound to this handle for the life of the process.
            _handle = handle;
            var apiBase = OrtGetApiBase();
            _version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "unknown";
            var api = apiBase->GetApi(ApiVersion);
            if (api == null)
            {
                _permanentFailure =
                    $"ONNX Runtime {_version} at '{path}' does not offer C API version {ApiVersion}; VaeOnnx needs ONNX Runtime 1.11 or newer. " +
                    $"Point {PathVariable} at a newer libonnxruntime.so (the build fetches 1.30.0) and restart the process.";
                throw new DllNotFoundException(_permanentFailure);
            }
            _path = path;
            _api = api;
            return api;
        }
    }

    private static (nint Handle, string Path) LoadHandle(string? libraryPath)
    {
        if (libraryPath != null)
        {
            return LoadExplicit(libraryPath, "InferenceOptions.LibraryPath", "or leave LibraryPath null");
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return LoadExplicit(fromEnvironment, PathVariable, "or unset it");
        }

        var tried = new List<string>();
        foreach (var directory in SearchDirectories())
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(directory, name);
                if (!File.Exists(candidate))
                {
                    tried.Add($"{candidate} (not there)");
                    continue;
                }
                if (TryLoad(candidate, out var handle, out var reason))
                {
                    return (handle, candidate);
                }
                tried.Add($"{candidate} ({reason})");
            }
        }
        foreach (var name in FileNames.Reverse())
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return (handle, $"{name} (system library search)");
            }
            tried.Add($"{name} (system library search: not found)");
        }
        throw new DllNotFoundException(
            "ONNX Runtime's native library was not found. Build the runtime project (dotnet build runtime), which fetches " +
            $"libonnxruntime.so.1 and places it beside {AssemblyFile}, or set {PathVariable} to the path of a libonnxruntime.so. " +
            $"Tried: {string.Join("; ", tried)}.");
    }

    private static (nint Handle, string Path) LoadExplicit(string libraryPath, string source, string alternative)
    {
        var fullPath = Path.GetFullPath(libraryPath);
        if (!File.Exists(fullPath))
        {
            throw new DllNotFoundException(
                $"{source} names '{libraryPath}', which does not exist. Point it at a libonnxruntime.so (ONNX Runtime 1.11 or newer), " +
                $"{alternative} to use the copy the build places beside {AssemblyFile}.");
        }
        if (!TryLoad(fullPath, out var handle, out var reason))
        {
            throw new DllNotFoundException(
                $"{source} names '{libraryPath}', which could not be loaded: {reason}. Point it at a libonnxruntime.so for this machine " +
                $"(ONNX Runtime 1.11 or newer), {alternative} to use the copy the build places beside {AssemblyFile}.");
        }
        return (handle, fullPath);
    }

    private static bool TryLoad(string path, out nint handle, out string reason)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            reason = "";
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            handle = 0;
            reason = e.Message.ReplaceLineEndings(" ").Trim();
            return false;
        }
    }

    private static IEnumerable<string> SearchDirectories()
    {
        var assemblyDirectory = Path.GetDirectoryName(typeof(OnnxRuntimeLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return assemblyDirectory;
        }
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        if (!string.Equals(baseDirectory, assemblyDirectory, StringComparison.Ordinal))
        {
            yield return baseDirectory;
        }
    }

    private static string AssemblyFile => typeof(OnnxRuntimeLibrary).Assembly.GetName().Name + ".dll";

    private static nint ResolveImport(string libraryName, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        // Only called for the import below, which runs after EnsureLoaded has chosen the handle.
        return libraryName == ImportName ? _handle : 0;
    }

    // const OrtApiBase* OrtGetApiBase(void)
    [LibraryImport(ImportName)]
    private static partial OrtApiBase* OrtGetApiBase();
}
