// The device a command runs on, opened from a DeviceRequest: the CPU engine, or an ILGPU Context and Accelerator
// (a CUDA GPU, or ILGPU's CPU accelerator for tests), owned here and disposed together. `auto` becomes CUDA device 0
// when the driver and ILGPU find one, else the CPU, and says why. A CUDA request that cannot be met throws one
// DeviceException line naming what is missing, before the caller writes anything. It does not choose kernels or own
// tensors: the engine's compute backend (Backend, created on first use) runs on the Accelerator given here.
using System.Globalization;
using System.Runtime.Intrinsics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Devices;

public sealed class ComputeDevice : IDisposable
{
    private ComputeBackend? _backend;

    private ComputeDevice(DeviceRequest request, string name, long? memoryBytes, Context? context, Accelerator? accelerator, string? autoNote)
    {
        Request = request;
        Name = name;
        MemoryBytes = memoryBytes;
        Context = context;
        Accelerator = accelerator;
        AutoNote = autoNote;
    }

    /// <summary>The device actually opened: never Auto (auto resolves to cpu or cuda:0).</summary>
    public DeviceRequest Request { get; }

    /// <summary>What the hardware calls itself, e.g. "NVIDIA H200", or the CPU engine's description.</summary>
    public string Name { get; }

    /// <summary>The device's own memory (GPUs); null for the CPU engine.</summary>
    public long? MemoryBytes { get; }

    /// <summary>The ILGPU context (null for the CPU engine).</summary>
    public Context? Context { get; }

    /// <summary>The ILGPU accelerator the GPU kernels run on (null for the CPU engine).</summary>
    public Accelerator? Accelerator { get; }

    /// <summary>
    /// The engine's backend on this device: the shared CPU backend, or a GpuBackend on <see cref="Accelerator"/>
    /// (created on first use, disposed with this device, before the accelerator).
    /// </summary>
    public ComputeBackend Backend => _backend ??= Accelerator is null ? CpuBackend.Instance : new GpuBackend(Accelerator);

    /// <summary>For a request of auto: why this device was chosen (e.g. no NVIDIA driver); otherwise null.</summary>
    public string? AutoNote { get; }

    /// <summary>One line for run headers and progress: "cuda:0 NVIDIA H200, 140 GiB".</summary>
    public string Describe()
    {
        string text = MemoryBytes is null ? $"{Request} ({Name})" : Label;
        return AutoNote is null ? text : $"{text}; auto: {AutoNote}";
    }

    /// <summary>A short name for progress lines: "cuda:0 NVIDIA H200, 140 GiB", "cpu", "ilgpu-cpu".</summary>
    public string Label => MemoryBytes is long bytes ? $"{Request} {Name}, {FormatMemory(bytes)}" : Request.ToString();

    public override string ToString() => Describe();

    /// <summary>Parses a --device value and opens it; errors quote the value as given.</summary>
    public static ComputeDevice Open(string? text) => Open(DeviceRequest.Parse(text), text?.Trim());

    /// <param name="request">What to open.</param>
    /// <param name="asGiven">The --device value as the user wrote it, for error messages (default: the canonical form).</param>
    public static ComputeDevice Open(DeviceRequest request, string? asGiven = null) => request.Kind switch
    {
        DeviceKind.Cpu => OpenCpu(null),
        DeviceKind.IlgpuCpu => OpenIlgpuCpu(),
        DeviceKind.Cuda => OpenCuda(request, asGiven ?? request.ToString()),
        DeviceKind.Auto => OpenAuto(),
        _ => throw new InvalidOperationException($"Unknown device kind {request.Kind}."),
    };

    /// <summary>The CPU engine's description: cores and the widest SIMD the engine uses here.</summary>
    public static string CpuEngineName()
    {
        string simd = Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "256-bit SIMD" : "128-bit SIMD";
        return string.Create(CultureInfo.InvariantCulture, $"CPU engine, {Environment.ProcessorCount} cores, {simd}");
    }

    /// <summary>
    /// The CPU accelerator ilgpu-cpu simulates: an NVIDIA-like multiprocessor (warps of 32, up to 1024 threads a group),
    /// so kernels meet the launch limits they meet on a CUDA GPU.
    /// </summary>
    public static CPUDevice IlgpuCpuDevice => CPUDevice.Nvidia;

    public static string IlgpuCpuName =>
        string.Create(CultureInfo.InvariantCulture, $"ILGPU CPU accelerator, warps of {IlgpuCpuDevice.WarpSize}, {IlgpuCpuDevice.MaxNumThreadsPerGroup} threads a group");

    /// <summary>Bytes as GiB for people: "140 GiB", "7.8 GiB", "512 MiB".</summary>
    public static string FormatMemory(long bytes)
    {
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 10 ? string.Create(CultureInfo.InvariantCulture, $"{gib:F0} GiB")
            : gib >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{gib:F1} GiB")
            : bytes >= 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F0} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(bytes / 1024.0):F0} KiB");
    }

    /// <summary>The ILGPU context settings every device shares: the algorithms library (ILGPU.Algorithms) enabled.</summary>
    internal static Context CreateContext(Action<Context.Builder> devices) =>
        Context.Create(builder =>
        {
            devices(builder);
            builder.EnableAlgorithms();
        });

    private static ComputeDevice OpenCpu(string? autoNote) => new(DeviceRequest.Cpu, CpuEngineName(), null, null, null, autoNote);

    private static ComputeDevice OpenIlgpuCpu()
    {
        Context context = CreateContext(builder => builder.CPU(IlgpuCpuDevice));
        try
        {
            Accelerator accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
            return new ComputeDevice(DeviceRequest.IlgpuCpu, IlgpuCpuName, null, context, accelerator, null);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static ComputeDevice OpenCuda(DeviceRequest request, string asGiven)
    {
        string asked = $"CUDA was requested (--device {asGiven})";
        CudaDriverStatus driver = CudaDriver.Probe();
        if (!driver.Loaded)
        {
            throw new DeviceException($"{asked} but the NVIDIA driver library {CudaDriver.LibraryFileName} was not found; install the NVIDIA driver (no CUDA toolkit needed) or use --device cpu.");
        }
        if (!driver.Initialized)
        {
            throw new DeviceException($"{asked} but the NVIDIA driver did not start: cuInit returned {driver.InitError}; check nvidia-smi, or use --device cpu.");
        }
        if (driver.DeviceCount == 0)
        {
            throw new DeviceException($"{asked} but the NVIDIA driver ({driver.Library}, CUDA {driver.VersionText}) reports no CUDA device; check nvidia-smi, or use --device cpu.");
        }
        Context context = CreateContext(builder => builder.Cuda());
        try
        {
            IReadOnlyList<CudaDevice> devices = CudaDevicesOf(context);
            if (devices.Count == 0)
            {
                throw new DeviceException($"{asked} but ILGPU {IlgpuVersion} supports none of the {driver.DeviceCount} CUDA device(s) the driver reports " +
                    $"(driver CUDA {driver.VersionText}; see 'devices' for their compute capability); use --device cpu.");
            }
            if (request.Index >= devices.Count)
            {
                string found = string.Join(", ", devices.Select((d, i) => $"cuda:{i} {d.Name}, {FormatMemory(d.MemorySize)}"));
                throw new DeviceException($"{asked} but ILGPU found {devices.Count} CUDA device{(devices.Count == 1 ? "" : "s")} ({found}); use --device cuda:0" +
                    (devices.Count > 1 ? $" to cuda:{devices.Count - 1}." : "."));
            }
            CudaDevice device = devices[request.Index];
            Accelerator accelerator;
            try
            {
                accelerator = device.CreateAccelerator(context);
            }
            catch (Exception e) when (e is CudaException or NotSupportedException or InvalidOperationException)
            {
                throw new DeviceException($"{asked} but opening cuda:{request.Index} {device.Name} failed ({e.Message.ReplaceLineEndings(" ")}); " +
                    "check nvidia-smi (a GPU in exclusive mode may be taken), or use --device cpu.");
            }
            return new ComputeDevice(request, device.Name, device.MemorySize, context, accelerator, null);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static ComputeDevice OpenAuto()
    {
        CudaDriverStatus driver = CudaDriver.Probe();
        if (!driver.Initialized || driver.DeviceCount == 0)
        {
            return OpenCpu($"no CUDA device ({driver.Describe()})");
        }
        try
        {
            return OpenCuda(DeviceRequest.Cuda(0), DeviceRequest.AutoName);
        }
        catch (DeviceException e)
        {
            return OpenCpu($"CUDA not usable ({e.Message})");
        }
    }

    /// <summary>The CUDA devices registered in <paramref name="context"/>, in ILGPU's order (the N of cuda:N).</summary>
    internal static IReadOnlyList<CudaDevice> CudaDevicesOf(Context context)
    {
        Context.DeviceCollection<CudaDevice> devices = context.GetCudaDevices();
        var list = new List<CudaDevice>(devices.Count);
        for (int i = 0; i < devices.Count; i++)
        {
            list.Add(devices[i]);
        }
        return list;
    }

    /// <summary>ILGPU's version, for messages about what it supports.</summary>
    public static string IlgpuVersion => typeof(Context).Assembly.GetName().Version?.ToString(3) ?? "?";

    public void Dispose()
    {
        if (Accelerator is not null)
        {
            _backend?.Dispose();
        }
        Accelerator?.Dispose();
        Context?.Dispose();
    }
}
