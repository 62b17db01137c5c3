// Where tests find the repository and the shared MNIST copy: walk up from the test assembly to the folder holding
// VaeOnnx.sln, then look for ../shared/data/mnist beside the checkout or data/mnist inside it.
namespace VaeOnnx.Tests.Support;

public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    /// <summary>The MNIST folder; fails the test with what to do when it is missing.</summary>
    public static string MnistFolder
    {
        get
        {
            string[] candidates = [Path.Combine(Root, "..", "shared", "data", "mnist"), Path.Combine(Root, "data", "mnist")];
            foreach (string candidate in candidates)
            {
                if (File.Exists(Path.Combine(candidate, "t10k-images-idx3-ubyte.gz")) || File.Exists(Path.Combine(candidate, "t10k-images-idx3-ubyte")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
            Assert.Fail($"MNIST not found in {string.Join(" or ", candidates.Select(Path.GetFullPath))}; run scripts/setup.sh or put the four MNIST files there.");
            return "";
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VaeOnnx.sln")))
            {
                return dir.FullName;
            }
        }
        // Builds with VAEONNX_ARTIFACTS put the assembly outside the checkout: use the root recorded at build time.
        string? recorded = typeof(RepositoryPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "VaeOnnx.RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "VaeOnnx.sln")))
        {
            return recorded;
        }
        throw new InvalidOperationException($"No VaeOnnx.sln above {AppContext.BaseDirectory}, nor at the recorded root {recorded}.");
    }
}
