// The one way the GPU backend turns a kernel method into a launcher: ILGPU compiles it for the accelerator, and the
// launcher it returns records each launch in the backend's LaunchLog before queuing it (the way a review counts
// launches: by wrapping the kernel delegates). It refuses a method that KernelCatalog does not list, so no kernel can
// run that the offline PTX check (tests/Trainer/Engine/Backends/Launches) does not compile.
// Implicitly grouped kernels (an Index1D first parameter; ILGPU chooses the group size) and explicitly grouped ones
// (a KernelConfig at launch; they use Group and Grid) have a loader each, per parameter count.
// It does not cache: each op family loads its kernels once, on first use, and keeps the launchers.
using ILGPU;
using ILGPU.Runtime;

namespace VaeOnnx.Trainer.Engine.Backends.Launches;

public sealed class KernelLoader(Accelerator accelerator, LaunchLog log)
{
    public Accelerator Accelerator => accelerator;

    public LaunchLog Log => log;

    // ---- implicitly grouped: one thread per index ----

    public Action<Index1D, T1> Load<T1>(Action<Index1D, T1> kernel)
        where T1 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1);
            }
        };
    }

    public Action<Index1D, T1, T2> Load<T1, T2>(Action<Index1D, T1, T2> kernel)
        where T1 : struct
        where T2 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2);
            }
        };
    }

    public Action<Index1D, T1, T2, T3> Load<T1, T2, T3>(Action<Index1D, T1, T2, T3> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2, a3) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2, a3);
            }
        };
    }

    public Action<Index1D, T1, T2, T3, T4> Load<T1, T2, T3, T4>(Action<Index1D, T1, T2, T3, T4> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2, a3, a4) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2, a3, a4);
            }
        };
    }

    public Action<Index1D, T1, T2, T3, T4, T5> Load<T1, T2, T3, T4, T5>(Action<Index1D, T1, T2, T3, T4, T5> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2, a3, a4, a5) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2, a3, a4, a5);
            }
        };
    }

    public Action<Index1D, T1, T2, T3, T4, T5, T6> Load<T1, T2, T3, T4, T5, T6>(Action<Index1D, T1, T2, T3, T4, T5, T6> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2, a3, a4, a5, a6) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2, a3, a4, a5, a6);
            }
        };
    }

    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7> Load<T1, T2, T3, T4, T5, T6, T7>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
        where T6 : struct
        where T7 : struct
    {
        var launch = accelerator.LoadAutoGroupedStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (extent, a1, a2, a3, a4, a5, a6, a7) =>
        {
            if (log.Kernel(name, extent.Size, 0))
            {
                launch(extent, a1, a2, a3, a4, a5, a6, a7);
            }
        };
    }

    // ---- explicitly grouped: a KernelConfig of groups and threads per group ----

    public Action<KernelConfig, T1> LoadGrouped<T1>(Action<T1> kernel)
        where T1 : struct
    {
        var launch = accelerator.LoadStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (config, a1) =>
        {
            if (log.Kernel(name, config.GridDim.Size, config.GroupDim.Size))
            {
                launch(config, a1);
            }
        };
    }

    public Action<KernelConfig, T1, T2> LoadGrouped<T1, T2>(Action<T1, T2> kernel)
        where T1 : struct
        where T2 : struct
    {
        var launch = accelerator.LoadStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (config, a1, a2) =>
        {
            if (log.Kernel(name, config.GridDim.Size, config.GroupDim.Size))
            {
                launch(config, a1, a2);
            }
        };
    }

    public Action<KernelConfig, T1, T2, T3> LoadGrouped<T1, T2, T3>(Action<T1, T2, T3> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
    {
        var launch = accelerator.LoadStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (config, a1, a2, a3) =>
        {
            if (log.Kernel(name, config.GridDim.Size, config.GroupDim.Size))
            {
                launch(config, a1, a2, a3);
            }
        };
    }

    public Action<KernelConfig, T1, T2, T3, T4> LoadGrouped<T1, T2, T3, T4>(Action<T1, T2, T3, T4> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
    {
        var launch = accelerator.LoadStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (config, a1, a2, a3, a4) =>
        {
            if (log.Kernel(name, config.GridDim.Size, config.GroupDim.Size))
            {
                launch(config, a1, a2, a3, a4);
            }
        };
    }

    public Action<KernelConfig, T1, T2, T3, T4, T5> LoadGrouped<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel)
        where T1 : struct
        where T2 : struct
        where T3 : struct
        where T4 : struct
        where T5 : struct
    {
        var launch = accelerator.LoadStreamKernel(Checked(kernel));
        string name = kernel.Method.Name;
        return (config, a1, a2, a3, a4, a5) =>
        {
            if (log.Kernel(name, config.GridDim.Size, config.GroupDim.Size))
            {
                launch(config, a1, a2, a3, a4, a5);
            }
        };
    }

    private static TDelegate Checked<TDelegate>(TDelegate kernel)
        where TDelegate : Delegate
    {
        KernelCatalog.Require(kernel.Method);
        return kernel;
    }
}
