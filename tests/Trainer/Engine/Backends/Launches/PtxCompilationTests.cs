// Every kernel of the engine compiled to PTX with ILGPU's PTXBackend, for an A100 (SM_80), an H100 (SM_90) and a
// Blackwell desktop GPU (SM_120), in a context made like the trainer's (ILGPU.Algorithms enabled): no GPU needed.
// Kernels come from KernelCatalog (reflection), so a new kernel is compiled here without anyone listing it; the
// catalogue tests below check that nothing can load a kernel the catalogue does not hold.
using ILGPU.Runtime.Cuda;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Launches;

public class PtxCompilationTests
{
    /// <summary>The targets: SM_80 and SM_90 at PTX ISA 8.4 (what CUDA 12.4's ptxas reads), SM_120 at ISA 8.8 (its first ISA is 8.7).</summary>
    public static readonly (CudaArchitecture Architecture, CudaInstructionSet Isa)[] Targets =
    [
        (CudaArchitecture.SM_80, CudaInstructionSet.ISA_84),
        (CudaArchitecture.SM_90, CudaInstructionSet.ISA_84),
        (CudaArchitecture.SM_120, CudaInstructionSet.ISA_88),
    ];

    private static readonly Dictionary<CudaArchitecture, PtxCompilation> Compilers = [];

    public static IEnumerable<TestCaseData> KernelsAndTargets() =>
        from target in Targets
        from kernel in KernelCatalog.All
        select new TestCaseData(target.Architecture, KernelCatalog.NameOf(kernel)).SetArgDisplayNames(target.Architecture.ToString(), KernelCatalog.NameOf(kernel));

    [OneTimeTearDown]
    public void DisposeCompilers()
    {
        foreach (PtxCompilation compiler in Compilers.Values)
        {
            compiler.Dispose();
        }
        Compilers.Clear();
    }

    [TestCaseSource(nameof(KernelsAndTargets))]
    public void EveryKernelCompilesToPtx(CudaArchitecture architecture, string kernelName)
    {
        PtxCompilation compiler = Compiler(architecture);
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.NameOf(k) == kernelName);
        string ptx = compiler.Compile(kernel);
        Assert.That(ptx, Does.Contain($".target {compiler.TargetName}"));
        Assert.That(ptx, Does.Contain($".version {compiler.IsaName}"));
        Assert.That(ptx, Does.Contain(".entry "), "one kernel entry point");
    }

    // The GEMM's inner loop reads its shared tiles 128 bits at a time (one float4 of A, two of B per k) and never one
    // float at a time: ILGPU vectorises the Float4 loads only when it can prove 16-byte alignment, so this can regress.
    [Test]
    public void TheGemmReadsSharedMemoryOnlyAsFloat4()
    {
        string ptx = Compiler(CudaArchitecture.SM_90).Compile(KernelCatalog.All.Single(k => KernelCatalog.NameOf(k) == "GemmGpu.GemmKernel"));
        int vector = ptx.Split('\n').Count(line => line.Contains("ld.shared.v4.f32", StringComparison.Ordinal));
        int scalar = ptx.Split('\n').Count(line => line.Contains("ld.shared.f32", StringComparison.Ordinal));
        TestContext.Out.WriteLine($"GemmKernel: {vector} ld.shared.v4.f32, {scalar} ld.shared.f32");
        Assert.That(vector, Is.GreaterThanOrEqualTo(3));
        Assert.That(scalar, Is.Zero);
    }

    internal static PtxCompilation Compiler(CudaArchitecture architecture)
    {
        lock (Compilers)
        {
            if (!Compilers.TryGetValue(architecture, out PtxCompilation? compiler))
            {
                CudaInstructionSet isa = Targets.Single(t => t.Architecture == architecture).Isa;
                compiler = new PtxCompilation(architecture, isa);
                Compilers[architecture] = compiler;
            }
            return compiler;
        }
    }
}
