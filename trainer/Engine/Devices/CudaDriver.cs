// The NVIDIA driver as the trainer sees it: whether its library loads, whether cuInit succeeds, its version and how
// many devices it reports, so a CUDA request that cannot work fails with one line naming what is missing. It also
// points ILGPU at libcuda.so.1: ILGPU imports the driver by the name "cuda", which .NET probes as libcuda.so, and a
// machine with only the driver (no CUDA toolkit, no -dev package) has libcuda.so.1 alone. It does not enumerate
// devices for kernels (ILGPU does that) and never unloads the driver.
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace VaeOnnx.Trainer.Engine.Devices;

/// <summary>What the driver probe found; <see cref="Library"/> is null when no driver library loads.</summary>
public sealed record CudaDriverStatus(string? Library, int InitResult, string InitError, int Version, int DeviceCount)
{
    public bool Loaded => Library is not null;

    public bool Initialized => Loaded && InitResult == 0;

    /// <summary>Driver API version as major.minor (12080 -> 12.8), the CUDA version the driver supports.</summary>
    public string VersionText => Version > 0 ? $"{Version / 1000}.{Version % 1000 / 10}" : "unknown";

    /// <summary>One line for `devices` and for error messages.</summary>
    public string Describe() =>
        !Loaded ? $"NVIDIA driver library {CudaDriver.LibraryFileName} not found"
        : !Initialized ? $"NVIDIA driver {Library} loaded, but cuInit failed with {InitError}"
        : $"NVIDIA driver {Library}, CUDA {VersionText}, {DeviceCount} device(s)";
}

public static unsafe class CudaDriver
{
    /// <summary>The driver library's file name on Linux (what `devices` and error messages name).</summary>
    public const string LibraryFileName = "libcuda.so.1";

    /// <summary>The name ILGPU's CUDA bindings import the driver by on Linux (CudaAPI.LibNameLinux).</summary>
    private const string IlgpuImportName = "cuda";

    private static readonly Lazy<CudaDriverStatus> Status = new(ProbeOnce);
    private static int _resolverInstalled;

    /// <summary>The names tried, in order: the driver's soname first, then the development link.</summary>
    public static IReadOnlyList<string> LibraryNames { get; } =
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : OperatingSystem.IsLinux() ? [LibraryFileName, "libcuda.so"] : [];

    /// <summary>Loads the driver (once per process) and reports what it found.</summary>
    public static CudaDriverStatus Probe()
    {
        InstallIlgpuResolver();
        return Status.Value;
    }

    /// <summary>
    /// Lets ILGPU find the driver when only libcuda.so.1 exists. A fallback (AssemblyLoadContext.ResolvingUnmanagedDll)
    /// rather than NativeLibrary.SetDllImportResolver: it runs only after .NET's own probing failed, and it leaves the
    /// resolver slot of ILGPU's assembly free for ILGPU itself (which sets one under WSL). Call before ILGPU's first
    /// CUDA use; every path in Devices/ does.
    /// </summary>
    public static void InstallIlgpuResolver()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 0)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveForIlgpu;
        }
    }

    private static IntPtr ResolveForIlgpu(System.Reflection.Assembly assembly, string libraryName)
    {
        if (assembly != typeof(ILGPU.Context).Assembly || libraryName != IlgpuImportName)
        {
            return IntPtr.Zero;
        }
        return TryLoadDriver(out IntPtr handle, out _) ? handle : IntPtr.Zero;
    }

    private static bool TryLoadDriver(out IntPtr handle, out string? name)
    {
        foreach (string candidate in LibraryNames)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                name = candidate;
                return true;
            }
        }
        handle = IntPtr.Zero;
        name = null;
        return false;
    }

    private static CudaDriverStatus ProbeOnce()
    {
        if (!TryLoadDriver(out IntPtr driver, out string? name))
        {
            return new CudaDriverStatus(null, -1, "", 0, 0);
        }
        if (!NativeLibrary.TryGetExport(driver, "cuInit", out IntPtr initExport))
        {
            return new CudaDriverStatus(name, -1, "no cuInit export (not an NVIDIA driver library)", 0, 0);
        }
        int init = ((delegate* unmanaged<uint, int>)initExport)(0);
        int version = 0, count = 0;
        if (NativeLibrary.TryGetExport(driver, "cuDriverGetVersion", out IntPtr versionExport))
        {
            ((delegate* unmanaged<int*, int>)versionExport)(&version);
        }
        if (init == 0 && NativeLibrary.TryGetExport(driver, "cuDeviceGetCount", out IntPtr countExport)
            && ((delegate* unmanaged<int*, int>)countExport)(&count) != 0)
        {
            count = 0;
        }
        return new CudaDriverStatus(name, init, init == 0 ? "" : ErrorName(driver, init), version, count);
    }

    /// <summary>The driver's own name and text for an error code, e.g. "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)".</summary>
    private static string ErrorName(IntPtr driver, int error)
    {
        string code = $"error {error}";
        if (NativeLibrary.TryGetExport(driver, "cuGetErrorName", out IntPtr nameExport))
        {
            byte* text = null;
            if (((delegate* unmanaged<int, byte**, int>)nameExport)(error, &text) == 0 && text != null)
            {
                code = Marshal.PtrToStringUTF8((IntPtr)text) ?? code;
            }
        }
        if (NativeLibrary.TryGetExport(driver, "cuGetErrorString", out IntPtr stringExport))
        {
            byte* text = null;
            if (((delegate* unmanaged<int, byte**, int>)stringExport)(error, &text) == 0 && text != null)
            {
                code += $" ({Marshal.PtrToStringUTF8((IntPtr)text)})";
            }
        }
        return code;
    }
}
