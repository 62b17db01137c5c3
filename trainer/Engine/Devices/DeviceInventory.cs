// What this machine offers the trainer, for `trainer devices`: the CPU engine, ILGPU's CPU accelerator, the NVIDIA
// driver's status and every CUDA device ILGPU sees (name, memory, compute capability, PTX ISA, and whether ILGPU can
// compile for it). It only looks: no accelerator is created and nothing is allocated on a GPU.
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace VaeOnnx.Trainer.Engine.Devices;

/// <summary>One device: the --device value that selects it (null when it cannot be selected) and what it is.</summary>
public sealed record DeviceEntry(string? Selector, string Name, string Details);

public sealed record DeviceInventory(IReadOnlyList<DeviceEntry> Devices, CudaDriverStatus Driver, string Default)
{
    /// <summary>
    /// Why there is no --device opencl. Tried with Debian 12's PoCL 3.1 (pocl-opencl-icd): ILGPU 1.5.3 lists its CPU
    /// device only once pointed at libOpenCL.so.1 (it imports "OpenCL", i.e. libOpenCL.so, which only the -dev package
    /// has), then rejects it: PoCL reports OpenCL C 1.2, and ILGPU's OpenCL accelerator requires the generic address
    /// space of OpenCL C 2.0 (CapabilityNotSupportedException "GenericAddressSpace feature is not supported").
    /// </summary>
    public const string OpenClNotOffered =
        "ILGPU 1.5.3's OpenCL accelerator needs the OpenCL C 2.0 generic address space; Debian 12's PoCL 3.1 offers OpenCL C 1.2";

    public static DeviceInventory Discover()
    {
        var devices = new List<DeviceEntry>
        {
            new(DeviceRequest.CpuName, ComputeDevice.CpuEngineName(), "the SIMD engine (the default without a GPU)"),
        };
        devices.Add(new(DeviceRequest.IlgpuCpuName, ComputeDevice.IlgpuCpuName, "runs the GPU kernels on the CPU, for tests and debugging (slow)"));

        CudaDriverStatus driver = CudaDriver.Probe();
        bool anyCuda = false;
        if (driver.Initialized && driver.DeviceCount > 0)
        {
            using Context compatible = ComputeDevice.CreateContext(builder => builder.Cuda());
            using Context all = ComputeDevice.CreateContext(builder => builder.Cuda(_ => true));
            var usable = ComputeDevice.CudaDevicesOf(compatible).Select(d => d.DeviceId).ToList();
            IReadOnlyList<CudaDevice> listed = ComputeDevice.CudaDevicesOf(all);
            if (listed.Count < driver.DeviceCount)
            {
                devices.Add(new(null, "CUDA devices ILGPU cannot read",
                    $"the driver reports {driver.DeviceCount}, ILGPU {ComputeDevice.IlgpuVersion} read {listed.Count} of them"));
            }
            foreach (CudaDevice device in listed)
            {
                int index = usable.IndexOf(device.DeviceId);
                anyCuda |= index >= 0;
                string capability = device.Architecture is CudaArchitecture arch ? $"compute capability {arch.Major}.{arch.Minor}" : "compute capability unknown";
                string isa = device.InstructionSet is CudaInstructionSet set ? $"PTX ISA {set.Major}.{set.Minor}" : "no PTX ISA ILGPU knows for this driver";
                devices.Add(new(index >= 0 ? $"{DeviceRequest.CudaName}:{index}" : null, device.Name,
                    $"{ComputeDevice.FormatMemory(device.MemorySize)}, {capability}, {device.NumMultiprocessors} SMs, {isa}" +
                    (index >= 0 ? "" : $"; ILGPU {ComputeDevice.IlgpuVersion} cannot compile for it")));
            }
        }
        string defaultDevice = anyCuda ? $"{DeviceRequest.CudaName}:0" : DeviceRequest.CpuName;
        return new DeviceInventory(devices, driver, defaultDevice);
    }
}
