// The catalogue the offline PTX check compiles cannot miss a kernel: (1) KernelLoader refuses a method it does not
// list, (2) no code of the trainer loads a kernel except through KernelLoader (its IL is read: every call to one of
// ILGPU's Load*Kernel methods is listed with its caller), and (3) every kernel a training step launches, on every
// architecture, is in the catalogue.
using System.Reflection;
using System.Reflection.Emit;
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Launches;

public class KernelCatalogTests
{
    [Test]
    public void TheCatalogueHoldsTheEngineKernelsAndNothingElse()
    {
        string[] names = [.. KernelCatalog.All.Select(KernelCatalog.NameOf)];
        TestContext.Out.WriteLine($"{names.Length} kernels: {string.Join(", ", names)}");
        Assert.That(names, Does.Contain("ElementwiseGpu.GatherKernel"));
        Assert.That(names, Has.Some.StartsWith("GemmGpu."));
        Assert.That(names, Has.Some.StartsWith("OptimGpu.Adam"));
        Assert.That(KernelCatalog.All.All(k => k.IsStatic && k.Name.EndsWith(KernelCatalog.Suffix, StringComparison.Ordinal)));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void TheLoaderRefusesAMethodOutsideTheCatalogue()
    {
        var loader = new KernelLoader(TestGpu.Backend.Accelerator, new LaunchLog());
        var e = Assert.Throws<InvalidOperationException>(() => loader.Load<ArrayView<float>>(NotAKernelName));
        Assert.That(e!.Message, Does.Contain(nameof(NotAKernelName)).And.Contain("*Kernel"));
    }

    [Test]
    public void OnlyTheKernelLoaderLoadsKernels()
    {
        Assembly trainer = typeof(KernelLoader).Assembly;
        var callers = new List<string>();
        foreach (Type type in trainer.GetTypes())
        {
            foreach (MethodBase method in type.GetMethods(AllDeclared).Cast<MethodBase>().Concat(type.GetConstructors(AllDeclared)))
            {
                foreach (MethodBase called in IlCalls.Of(method))
                {
                    bool loadsKernel = called.Name.StartsWith("Load", StringComparison.Ordinal) && called.Name.Contains("Kernel", StringComparison.Ordinal)
                        && called.DeclaringType?.Namespace is string ns && ns.StartsWith("ILGPU", StringComparison.Ordinal);
                    if (loadsKernel && method.DeclaringType != typeof(KernelLoader))
                    {
                        callers.Add($"{method.DeclaringType?.FullName}.{method.Name} calls {called.DeclaringType?.Name}.{called.Name}");
                    }
                }
            }
        }
        Assert.That(callers, Is.Empty, "kernels must be loaded through KernelLoader, which only loads catalogued kernels");
        Assert.That(IlCalls.Of(typeof(KernelLoader).GetMethods().First(m => m.Name == nameof(KernelLoader.Load))).Select(m => m.Name),
            Does.Contain("LoadAutoGroupedStreamKernel"), "the IL reader sees the loader's own call (so the check above can fail)");
    }

    public static IEnumerable<TestCaseData> Architectures() => LaunchCountTests.Architectures();

    [TestCaseSource(nameof(Architectures))]
    public void EveryKernelATrainingStepLaunchesIsCatalogued(VaeArchitecture architecture, int batch)
    {
        IReadOnlyList<KernelLaunch> launches = LaunchCountTests.RecordStep(architecture, batch).Launches;
        var catalogued = KernelCatalog.All.Select(k => k.Name).ToHashSet();
        Assert.That(launches, Is.Not.Empty);
        Assert.That(launches.Select(l => l.Kernel).Where(k => !catalogued.Contains(k)), Is.Empty);
    }

    private const BindingFlags AllDeclared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static void NotAKernelName(Index1D i, ArrayView<float> x) => x[i] = 0f;

    /// <summary>The methods a method body calls (call, callvirt, newobj, ldftn), read from its IL.</summary>
    private static class IlCalls
    {
        private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(c => c.Value);

        public static IEnumerable<MethodBase> Of(MethodBase method)
        {
            byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null)
            {
                yield break;
            }
            Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
            Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            int at = 0;
            while (at < il.Length)
            {
                short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
                at += il[at] == 0xFE ? 2 : 1;
                OpCode code = Codes[value];
                if (code.OperandType == OperandType.InlineMethod)
                {
                    int token = BitConverter.ToInt32(il, at);
                    MethodBase? called = null;
                    try
                    {
                        called = method.Module.ResolveMethod(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                    }
                    if (called is not null)
                    {
                        yield return called;
                    }
                }
                at += code.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                    _ => 4,
                };
            }
        }
    }
}
