// What --device asked for: auto, cpu, cuda, cuda:N or ilgpu-cpu, parsed once into a kind and an index, with one
// canonical spelling (cuda means cuda:0). It does not look at the machine: ComputeDevice.Open does that.
using System.Globalization;

namespace VaeOnnx.Trainer.Engine.Devices;

public readonly record struct DeviceRequest(DeviceKind Kind, int Index = 0)
{
    /// <summary>The spellings --device accepts, for help texts and error messages.</summary>
    public const string Syntax = "auto, cpu, cuda, cuda:N or ilgpu-cpu";

    public const string AutoName = "auto";
    public const string CpuName = "cpu";
    public const string CudaName = "cuda";
    public const string IlgpuCpuName = "ilgpu-cpu";

    public static DeviceRequest Auto => new(DeviceKind.Auto);

    public static DeviceRequest Cpu => new(DeviceKind.Cpu);

    public static DeviceRequest Cuda(int index) => new(DeviceKind.Cuda, index);

    public static DeviceRequest IlgpuCpu => new(DeviceKind.IlgpuCpu);

    /// <summary>Parses a --device value (case-insensitive); throws a DeviceException saying what is accepted.</summary>
    public static DeviceRequest Parse(string? text)
    {
        string value = (text ?? "").Trim().ToLowerInvariant();
        switch (value)
        {
            case AutoName:
                return Auto;
            case CpuName:
                return Cpu;
            case IlgpuCpuName:
                return IlgpuCpu;
            case CudaName:
                return Cuda(0);
        }
        if (value.StartsWith(CudaName + ":", StringComparison.Ordinal))
        {
            string digits = value[(CudaName.Length + 1)..];
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index is >= 0 and < 1024)
            {
                return Cuda(index);
            }
            throw new DeviceException($"--device {text}: '{digits}' is not a CUDA device number; write cuda:0 for the first GPU (see 'devices').");
        }
        throw new DeviceException($"--device {text} is not a device; use {Syntax} (see 'devices' for what this machine has).");
    }

    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => AutoName,
        DeviceKind.Cpu => CpuName,
        DeviceKind.IlgpuCpu => IlgpuCpuName,
        DeviceKind.Cuda => string.Create(CultureInfo.InvariantCulture, $"{CudaName}:{Index}"),
        _ => throw new InvalidOperationException($"Unknown device kind {Kind}."),
    };

    /// <summary>True for the devices that run the GPU kernels (through an ILGPU accelerator).</summary>
    public bool UsesAccelerator => Kind is DeviceKind.Cuda or DeviceKind.IlgpuCpu;
}
