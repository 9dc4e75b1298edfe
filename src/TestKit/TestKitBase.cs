using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ActorTasks.Actor;

namespace ActorTasks.Testing;

/// <summary>
/// What <see cref="TestKit"/> and <see cref="TestProbe"/> share: a test actor whose messages the test reads with
/// <c>ExpectMsg</c>, <c>ReceiveN</c>, <c>FishForMessage</c> and friends, plus <c>Within</c>, <c>AwaitAssert</c> and
/// <see cref="EventFilter"/>. Each sync method blocks the test thread on its <c>…Async</c> twin.
/// </summary>
/// <remarks>
/// Only the test reads the queue, one expectation at a time; the instance is not meant to be shared between
/// concurrently running tests (xunit makes a new test-class instance per test).
/// </remarks>
public abstract partial class TestKitBase
{
    private static readonly long s_origin = Stopwatch.GetTimestamp();
    private static long s_probeCounter;

    private ActorSystem _system = null!;
    private IActorRef _testActor = null!;
    private TestKitSettings _testKitSettings = null!;
    private Channel<Received> _queue = null!;
    private EventFilterFactory? _eventFilter;

    static TestKitBase()
    {
        // xunit 2.8+ runs tests on thread-pool threads, and a sync expectation blocks its test's thread while the
        // actors it waits for need pool threads too. The pool starts with one thread per core and adds more slowly,
        // so on a 2-core machine deliveries stalled for 500+ ms at the start of a run: start with enough threads.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(16, Environment.ProcessorCount * 4);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    private protected TestKitBase() { }

    /// <summary>Creates the test actor under /system; called once by each constructor of a derived class.</summary>
    private protected void Attach(ActorSystem system, TestKitSettings settings, string testActorName)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(settings.TimeFactor > 0) || !double.IsFinite(settings.TimeFactor))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TimeFactor, "TestKitSettings.TimeFactor must be a positive number");
        _system = system;
        _testKitSettings = settings;
        // One writer (the test actor) and one reader (the test); the writer never waits.
        _queue = Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = _queue.Writer;
        _testActor = system.SystemActorOf(Props.CreateBy(() => new InternalTestActor(writer)), testActorName);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys => _system;

    /// <summary>The ref of this kit's test actor: send it messages (or use it as a sender) and expect them here.</summary>
    public IActorRef TestActor => _testActor;

    /// <summary>The timing knobs in effect (default timeout, time factor, …).</summary>
    public TestKitSettings TestKitSettings => _testKitSettings;

    /// <summary>How long an expectation waits outside <c>Within</c> when no timeout is given: 3 s × the time factor.</summary>
    public TimeSpan DefaultTimeout => Dilated(_testKitSettings.DefaultTimeout);

    /// <summary>The sender of the last message received by the test actor and taken by an expectation.</summary>
    public IActorRef LastSender { get; private set; } = Nobody.Instance;

    /// <summary>The last message taken by an expectation (null before the first one).</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Expectations on log events, dead letters and unhandled messages of <see cref="Sys"/>.</summary>
    public EventFilterFactory EventFilter => _eventFilter ??= new EventFilterFactory(this, EventCapture.For(_system));

    /// <summary><paramref name="duration"/> multiplied by the time factor (for slow machines).</summary>
    public TimeSpan Dilated(TimeSpan duration) => _testKitSettings.Dilated(duration);

    /// <summary>A new probe in <see cref="Sys"/>: an actor ref plus the same Expect API, with its own queue.</summary>
    public TestProbe CreateTestProbe(string? name = null) => CreateTestProbe(_system, name);

    /// <summary>A new probe in another system (e.g. the second node of a multi-system test).</summary>
    public TestProbe CreateTestProbe(ActorSystem system, string? name = null) =>
        new(system, _testKitSettings,
            name ?? "testProbe-" + Interlocked.Increment(ref s_probeCounter).ToString(CultureInfo.InvariantCulture));

    /// <summary>Makes the test actor watch <paramref name="actor"/>, so that <c>ExpectTerminated</c> sees it stop; returns once the watch is in place.</summary>
    public IActorRef Watch(IActorRef actor) => Block(WatchAsync(actor));

    /// <summary>Makes the test actor watch <paramref name="actor"/>; completes once the watch is in place.</summary>
    public async Task<IActorRef> WatchAsync(IActorRef actor)
    {
        await SendWatchCommandAsync(actor, watch: true).ConfigureAwait(false);
        return actor;
    }

    /// <summary>Stops watching <paramref name="actor"/>; a <see cref="Terminated"/> already queued is not taken back.</summary>
    public IActorRef Unwatch(IActorRef actor) => Block(UnwatchAsync(actor));

    /// <summary>Stops watching <paramref name="actor"/>; completes once the test actor has unwatched it.</summary>
    public async Task<IActorRef> UnwatchAsync(IActorRef actor)
    {
        await SendWatchCommandAsync(actor, watch: false).ConfigureAwait(false);
        return actor;
    }

    private async Task SendWatchCommandAsync(IActorRef actor, bool watch)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var command = new WatchCommand(actor, watch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _testActor.Tell(command, Nobody.Instance);
        var max = RemainingOrDefault;
        try
        {
            await command.Done.Task.WaitAsync(max).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TestKitAssertionException(
                $"{(watch ? "Watch" : "Unwatch")}: the test actor {Describe.Sender(_testActor)} did not confirm within {Describe.Ms(max)} (is its system terminated?)");
        }
    }

    /// <summary>Terminates <paramref name="system"/> (default: <see cref="Sys"/>) and waits for it, at most <paramref name="duration"/> (default 10 s × the time factor).</summary>
    public void Shutdown(ActorSystem? system = null, TimeSpan? duration = null, bool verifySystemShutdown = false) =>
        Block(ShutdownAsync(system, duration, verifySystemShutdown));

    /// <summary>
    /// Terminates <paramref name="system"/> (default: <see cref="Sys"/>) and waits for it, at most <paramref name="duration"/>.
    /// When it is still running after that, fails if <paramref name="verifySystemShutdown"/>, else logs a warning.
    /// </summary>
    public async Task ShutdownAsync(ActorSystem? system = null, TimeSpan? duration = null, bool verifySystemShutdown = false)
    {
        system ??= _system;
        var max = duration is { } d ? Dilated(d) : Dilated(_testKitSettings.ShutdownTimeout);
        try
        {
            await system.Terminate().WaitAsync(max).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var message = $"Shutdown: actor system {system.Name} did not terminate within {Describe.Ms(max)}";
            if (verifySystemShutdown) throw new TestKitAssertionException(message);
            system.Log.Warning("{Message}", message);
        }
    }

    /// <summary>Now, on a monotonic clock.</summary>
    private protected static TimeSpan Now => Stopwatch.GetElapsedTime(s_origin);

    /// <summary>
    /// Runs an async expectation to completion on the calling thread. Blocking is fine here: it is the test's own
    /// thread, not a dispatcher thread, and every await inside uses ConfigureAwait(false), so nothing the task
    /// needs in order to finish waits for this thread.
    /// </summary>
    private protected static T Block<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <inheritdoc cref="Block{T}(Task{T})"/>
    private protected static void Block(Task task) => task.GetAwaiter().GetResult();

    private protected static TestKitAssertionException Fail(string message, Exception? inner = null) => new(message, inner);
}
