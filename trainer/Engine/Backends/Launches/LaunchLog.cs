// What a GPU backend asked of its device while recording: every kernel launch (which kernel, how many groups of how
// many threads, and for a GEMM its problems and k-split), every copy queued without waiting, and every host sync (a
// call that blocks the host until the device's stream has caught up: Synchronize, a synchronous upload or download).
// Tests count a training step's launches and syncs with it; the step-time model (../../../Benchmarks/StepTimeModel.cs)
// prices each launch. Recording is off unless started, and costs one branch per launch when off.
// It does not time anything (a recorded launch has only been queued).
namespace VaeOnnx.Trainer.Engine.Backends.Launches;

public sealed class LaunchLog
{
    private readonly List<KernelLaunch> _launches = [];
    private readonly List<string> _syncs = [];
    private readonly List<string> _copies = [];
    private readonly List<(int Launch, int Sync)> _stepStarts = [];
    private GemmLaunch? _pendingGemm;

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsRecording { get; private set; }

    /// <summary>
    /// True while recording without executing: launches are recorded but not queued, so a step's launch sequence can
    /// be read at any batch size in moments (it depends only on shapes, never on values; the values are garbage).
    /// </summary>
    public bool IsDryRun { get; private set; }

    /// <summary>Where each step marked with <see cref="MarkStep"/> begins: (index into Launches, index into Syncs).</summary>
    public IReadOnlyList<(int Launch, int Sync)> StepStarts => _stepStarts;

    /// <summary>The kernel launches recorded since <see cref="Start"/>, in the order they were queued.</summary>
    public IReadOnlyList<KernelLaunch> Launches => _launches;

    /// <summary>What blocked the host, one entry per sync (e.g. "download 8 bytes", "synchronize").</summary>
    public IReadOnlyList<string> Syncs => _syncs;

    /// <summary>Copies queued on a stream without waiting (uploads from pinned memory, device-to-device copies).</summary>
    public IReadOnlyList<string> Copies => _copies;

    /// <summary>Forgets what was recorded and records from now on; with <paramref name="dryRun"/>, without executing kernels.</summary>
    public void Start(bool dryRun = false)
    {
        _launches.Clear();
        _syncs.Clear();
        _copies.Clear();
        _stepStarts.Clear();
        _pendingGemm = null;
        IsRecording = true;
        IsDryRun = dryRun;
    }

    public void Stop()
    {
        IsRecording = false;
        IsDryRun = false;
    }

    /// <summary>Marks the start of a training step (the training loop calls it), so that launches and syncs can be counted per step.</summary>
    public void MarkStep()
    {
        if (IsRecording)
        {
            _stepStarts.Add((_launches.Count, _syncs.Count));
        }
    }

    /// <summary>The launches and syncs of marked step <paramref name="step"/> (up to the next mark, or to the end).</summary>
    public (IReadOnlyList<KernelLaunch> Launches, IReadOnlyList<string> Syncs) Step(int step)
    {
        (int launch, int sync) = _stepStarts[step];
        (int launchEnd, int syncEnd) = step + 1 < _stepStarts.Count ? _stepStarts[step + 1] : (_launches.Count, _syncs.Count);
        return (_launches[launch..launchEnd], _syncs[sync..syncEnd]);
    }

    /// <summary>Describes the GEMM the next kernel launch computes (set by the GEMM just before it launches).</summary>
    internal void DescribeNextGemm(GemmLaunch gemm)
    {
        if (IsRecording)
        {
            _pendingGemm = gemm;
        }
    }

    /// <summary>Records a launch; false when it must not be queued (a dry run).</summary>
    internal bool Kernel(string kernel, long groups, int groupSize)
    {
        if (IsRecording)
        {
            _launches.Add(new KernelLaunch(kernel, groups, groupSize, _pendingGemm));
            _pendingGemm = null;
        }
        return !IsDryRun;
    }

    /// <summary>Records a host sync: <paramref name="what"/>, with its byte count when it moved data (formatted only while recording).</summary>
    internal void Sync(string what, long bytes = -1)
    {
        if (IsRecording)
        {
            _syncs.Add(bytes < 0 ? what : $"{what}: {bytes} bytes");
        }
    }

    internal void Copy(string what, long bytes)
    {
        if (IsRecording)
        {
            _copies.Add($"{what}: {bytes} bytes");
        }
    }
}

/// <summary>
/// One queued kernel: its method name, the number of thread groups and threads per group (0 when ILGPU chooses the
/// group size of an implicitly grouped kernel; then <paramref name="Groups"/> is the thread count), and for a GEMM
/// launch the problems it computes.
/// </summary>
public readonly record struct KernelLaunch(string Kernel, long Groups, int GroupSize, GemmLaunch? Gemm)
{
    /// <summary>Threads launched in all.</summary>
    public long Threads => GroupSize == 0 ? Groups : Groups * GroupSize;

    public override string ToString() => GroupSize == 0
        ? $"{Kernel} <<<{Groups} threads>>>{(Gemm is null ? "" : " " + Gemm)}"
        : $"{Kernel} <<<{Groups} x {GroupSize}>>>{(Gemm is null ? "" : " " + Gemm)}";
}
