// Compiles the engine's kernels to PTX without a GPU: ILGPU's PTXBackend, given a target architecture and PTX ISA,
// over a context made exactly like the trainer's (Devices/ComputeDevice.CreateContext: ILGPU.Algorithms enabled, so
// exp, log and sqrt have their device intrinsics), with no device in it. The tests compile every kernel of
// KernelCatalog for several architectures; scripts/ptxas-check.sh assembles what they write with NVIDIA's ptxas.
// It does not load or run anything.
using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Trainer.Engine.Backends.Launches;

public sealed class PtxCompilation : IDisposable
{
    private readonly Context _context;
    private readonly PTXBackend _backend;

    /// <param name="architecture">The GPU to compile for, e.g. SM_90 (an H100).</param>
    /// <param name="instructionSet">The PTX ISA to write, e.g. ISA_84 (the newest CUDA 12.4's ptxas reads).</param>
    public PtxCompilation(CudaArchitecture architecture, CudaInstructionSet instructionSet)
    {
        Architecture = architecture;
        InstructionSet = instructionSet;
        _context = ComputeDevice.CreateContext(_ => { });
        try
        {
            _backend = new PTXBackend(_context, architecture, instructionSet, nvvmAPI: null!);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
    }

    public CudaArchitecture Architecture { get; }

    public CudaInstructionSet InstructionSet { get; }

    /// <summary>The PTX of one kernel (its entry point is the kernel's mangled name inside).</summary>
    /// <exception cref="Exception">ILGPU cannot compile the kernel for this target (the message says why).</exception>
    public string Compile(MethodInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        KernelCatalog.Require(kernel);
        EntryPointDescription entry = KernelCatalog.IsImplicitlyGrouped(kernel)
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)_backend.Compile(entry, default(KernelSpecialization));
        return compiled.PTXAssembly;
    }

    /// <summary>
    /// The .target the PTX names, e.g. "sm_80": ILGPU writes the lowest architecture that has every capability the
    /// device has (so an H100's PTX targets sm_80, and the driver or ptxas compiles it for sm_90).
    /// </summary>
    public string TargetName => _backend.Capabilities.TargetArchitecture.ToString().ToLowerInvariant();

    /// <summary>"8.4", as a .version line writes the ISA.</summary>
    public string IsaName => InstructionSet.ToString();

    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }
}
