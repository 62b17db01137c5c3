// Turns Ctrl+C (SIGINT) and SIGTERM into a polite request: the training loop finishes the step it is in, saves a
// resumable checkpoint and returns. A second signal while stopping is left to the default handler (kills the process).
// It does not stop anything by itself; the loop polls IsRequested between steps.
using System.Runtime.InteropServices;

namespace VaeOnnx.Trainer.Training;

public sealed class StopSignal : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private volatile bool _requested;

    private StopSignal()
    {
    }

    /// <summary>A signal that nothing but <see cref="Request"/> sets (tests, embedding).</summary>
    public static StopSignal Manual() => new();

    /// <summary>Listens to SIGINT and SIGTERM until disposed.</summary>
    public static StopSignal FromProcessSignals()
    {
        var signal = new StopSignal();
        foreach (PosixSignal kind in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            signal._registrations.Add(PosixSignalRegistration.Create(kind, context =>
            {
                if (!signal._requested)
                {
                    // First signal: cancel the default termination and let the loop stop at the next step boundary.
                    context.Cancel = true;
                    signal._requested = true;
                }
            }));
        }
        return signal;
    }

    public bool IsRequested => _requested;

    public void Request() => _requested = true;

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
        _registrations.Clear();
    }
}
