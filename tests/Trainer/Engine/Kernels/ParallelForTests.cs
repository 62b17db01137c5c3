// ParallelFor: every index runs exactly once, nested loops run inline, failures surface on the caller,
// and a steady stream of loops (and GEMMs) allocates nothing.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Tests.Trainer.Engine.Kernels;

[NonParallelizable] // changes the process-wide thread count
public class ParallelForTests
{
    private int _savedThreads;

    [SetUp]
    public void Save() => _savedThreads = EngineThreads.Count;

    [TearDown]
    public void Restore() => EngineThreads.Count = _savedThreads;

    private sealed class CountingBody : IParallelBody
    {
        public int[] Hits = new int[1000];
        public int Threads;
        private readonly HashSet<int> _threadIds = [];

        public void Execute(int index)
        {
            Interlocked.Increment(ref Hits[index]);
            lock (_threadIds)
            {
                _threadIds.Add(Environment.CurrentManagedThreadId);
                Threads = _threadIds.Count;
            }
            Thread.SpinWait(200);
        }
    }

    private sealed class NestingBody : IParallelBody
    {
        public readonly CountingBody Inner = new();

        public void Execute(int index) => ParallelFor.Run(10, new OffsetBody(Inner, index * 10));
    }

    private sealed class OffsetBody(CountingBody target, int offset) : IParallelBody
    {
        public void Execute(int index) => target.Execute(offset + index);
    }

    private sealed class FailingBody : IParallelBody
    {
        public void Execute(int index)
        {
            if (index == 37)
            {
                throw new InvalidOperationException("index 37 failed");
            }
        }
    }

    // Adds up, per thread, what the thread allocated since it last ran this body: this sees the workers' own
    // allocations (their wait loops and the GEMM tiles they ran) and nothing from the test host's threads.
    private sealed class AllocationProbe : IParallelBody
    {
        [ThreadStatic]
        private static long t_lastSeen;

        public long Allocated;
        public bool Counting;

        public void Execute(int index)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (Counting && t_lastSeen != 0)
            {
                Interlocked.Add(ref Allocated, now - t_lastSeen);
            }
            t_lastSeen = now;
            Thread.SpinWait(50);
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    public void RunsEveryIndexExactlyOnce(int threads)
    {
        EngineThreads.Count = threads;
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var body = new CountingBody();
            int count = 1 + repeat * 47;
            ParallelFor.Run(count, body);
            Assert.That(body.Hits.Take(count).All(h => h == 1), Is.True, $"count {count}: some index ran zero or several times");
            Assert.That(body.Hits.Skip(count).All(h => h == 0), Is.True);
            Assert.That(body.Threads, Is.LessThanOrEqualTo(threads));
        }
    }

    [Test]
    public void NestedLoopsRunInlineAndComplete()
    {
        EngineThreads.Count = 2;
        var body = new NestingBody();
        ParallelFor.Run(50, body);
        Assert.That(body.Inner.Hits.Take(500).All(h => h == 1), Is.True);
    }

    [Test]
    public void FailureIsRethrownOnTheCallerAndThePoolStaysUsable()
    {
        EngineThreads.Count = 2;
        var error = Assert.Throws<InvalidOperationException>(() => ParallelFor.Run(100, new FailingBody()));
        Assert.That(error!.Message, Is.EqualTo("index 37 failed"));
        var body = new CountingBody();
        ParallelFor.Run(100, body);
        Assert.That(body.Hits.Take(100).All(h => h == 1), Is.True);
    }

    [Test]
    public void RejectsBadThreadCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineThreads.Count = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineThreads.Count = VaeOnnx.Runtime.Core.Text.ThreadCount.MaxCount + 1);
    }

    [Test]
    public void SteadyStateLoopsAndGemmsAllocateNothing()
    {
        EngineThreads.Count = 2;
        var probe = new AllocationProbe();
        var random = new RandomSource(3);
        float[] a = new float[96 * 200], b = new float[200 * 300], c = new float[96 * 300];
        random.FillUniform(a, -1f, 1f);
        random.FillUniform(b, -1f, 1f);
        void Step()
        {
            ParallelFor.Run(16, probe);
            Gemm.Multiply(false, true, 96, 300, 200, 1f, a, 200, b, 200, 0f, c, 300);
            Gemm.Multiply(true, false, 200, 300, 96, 1f, a, 200, c, 300, 0f, b, 300);
        }
        for (int i = 0; i < 30; i++)
        {
            Step(); // warm up: workers, pack buffers, JIT tiers
        }
        probe.Counting = true;
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Step();
        }
        ParallelFor.Run(16, probe);
        long callerAllocated = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
        TestContext.Out.WriteLine($"over 100 steps: caller thread allocated {callerAllocated} bytes, all pool threads {probe.Allocated} bytes");
        Assert.That(callerAllocated, Is.Zero, "calling thread");
        Assert.That(probe.Allocated, Is.Zero, "pool threads");
    }
}
