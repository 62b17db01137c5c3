// The kinds of device the trainer can run on, as named after --device. OpenCL is deliberately absent: ILGPU's OpenCL
// accelerator refuses Debian's PoCL (see DeviceInventory.OpenClNotOffered and trainer/README.md, "GPU").
namespace VaeOnnx.Trainer.Engine.Devices;

public enum DeviceKind
{
    /// <summary>CUDA device 0 when the NVIDIA driver finds one, else the CPU.</summary>
    Auto,

    /// <summary>The CPU engine: the SIMD kernels on all cores.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through ILGPU's CUDA backend (needs only the driver, libcuda.so.1).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: the GPU kernels run on the CPU (tests and debugging; slow).</summary>
    IlgpuCpu,
}
