// Every GPU kernel of the engine, found by reflection: a static method whose name ends in "Kernel", declared in a type
// of VaeOnnx.Trainer.Engine.Backends or a namespace below it. KernelLoader refuses to load any other method, so a new
// kernel is either in this list (and compiled by the offline PTX check) or cannot run at all.
// Implicitly grouped kernels take an Index1D first (ILGPU picks the group size); explicitly grouped ones take none
// and read Group and Grid. It does not compile anything (PtxCompilation does).
using System.Reflection;
using ILGPU;

namespace VaeOnnx.Trainer.Engine.Backends.Launches;

public static class KernelCatalog
{
    /// <summary>The namespace every kernel lives under.</summary>
    public const string Namespace = "VaeOnnx.Trainer.Engine.Backends";

    /// <summary>The suffix every kernel method's name ends with.</summary>
    public const string Suffix = "Kernel";

    private static readonly Lazy<IReadOnlyList<MethodInfo>> AllKernels = new(Find);

    /// <summary>Every kernel, ordered by type and name.</summary>
    public static IReadOnlyList<MethodInfo> All => AllKernels.Value;

    /// <summary>A name to show for a kernel: "GemmGpu.GemmKernel".</summary>
    public static string NameOf(MethodInfo kernel) => $"{kernel.DeclaringType?.Name}.{kernel.Name}";

    /// <summary>True when ILGPU groups the kernel's threads itself (its first parameter is an index).</summary>
    public static bool IsImplicitlyGrouped(MethodInfo kernel)
    {
        ParameterInfo[] parameters = kernel.GetParameters();
        return parameters.Length > 0 && parameters[0].ParameterType is { } first
            && (first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D));
    }

    /// <summary>Throws unless <paramref name="method"/> is one of <see cref="All"/>.</summary>
    public static void Require(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!Qualifies(method))
        {
            throw new InvalidOperationException(
                $"{method.DeclaringType?.FullName}.{method.Name} is loaded as a GPU kernel but is not one the offline PTX check can find: " +
                $"a kernel must be a static method named *{Suffix} in a type under {Namespace}.");
        }
    }

    private static bool Qualifies(MethodInfo method) =>
        method.IsStatic && !method.IsGenericMethodDefinition && method.Name.EndsWith(Suffix, StringComparison.Ordinal)
        && method.DeclaringType is { Namespace: string ns } type && !type.ContainsGenericParameters
        && (ns == Namespace || ns.StartsWith(Namespace + ".", StringComparison.Ordinal));

    private static IReadOnlyList<MethodInfo> Find() =>
        [.. typeof(KernelCatalog).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(Qualifies)
            .OrderBy(NameOf, StringComparer.Ordinal)];
}
