using System.Runtime.InteropServices;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM and SIGQUIT into a cancellation the node handles as a graceful leave, instead of
/// the runtime killing the process at once.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    /// <summary>Cancelled when the first signal arrives.</summary>
    public CancellationToken Token => _requested.Token;

    /// <summary>The signal that asked the node to stop, if any.</summary>
    public PosixSignal? Received { get; private set; }

    // A console command that Ctrl+C should end instead of the node (e.g. `watch`); set by one thread at a time.
    private volatile CancellationTokenSource? _interruptible;

    /// <summary>While the returned scope lives, Ctrl+C cancels <paramref name="command"/> instead of stopping the node.</summary>
    public IDisposable RedirectInterrupt(CancellationTokenSource command)
    {
        _interruptible = command;
        return new Scope(this, command);
    }

    private sealed class Scope(ShutdownSignal owner, CancellationTokenSource command) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref owner._interruptible, null, command);
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (context.Signal == PosixSignal.SIGINT && Interlocked.Exchange(ref _interruptible, null) is { } command)
        {
            context.Cancel = true;
            command.Cancel();
            return;
        }
        // The node stops by itself once it has left; a second signal falls through to the default (exit now).
        if (Received is not null) return;
        context.Cancel = true;
        Received = context.Signal;
        _requested.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _requested.Dispose();
    }
}
