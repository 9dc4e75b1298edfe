using System.Text.RegularExpressions;
using ActorTasks.Actor;
using ActorTasks.Configuration;
using Serilog;
using Serilog.Core;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Testing;

/// <summary>
/// Base class for xunit tests of actors. xunit makes a new instance per test, so each test gets a fresh
/// <see cref="TestKitBase.Sys"/> named after the test class, with its logs in the test's output, terminated when the
/// test ends. <see cref="TestKitBase.TestActor"/> is the implicit probe: use it as the sender, then <c>ExpectMsg</c>.
/// </summary>
public abstract class TestKit : TestKitBase, IDisposable, IAsyncLifetime
{
    private readonly Logger _logger;
    private int _shutDown;

    /// <summary>A system with default runtime settings; logs go to <paramref name="output"/> when given.</summary>
    protected TestKit(ITestOutputHelper? output = null) : this(RuntimeSettings.Default, null, output) { }

    /// <summary>A system with <paramref name="settings"/>; logs go to <paramref name="output"/> when given.</summary>
    protected TestKit(RuntimeSettings settings, ITestOutputHelper? output = null) : this(settings, null, output) { }

    /// <summary>A system with <paramref name="settings"/> and the TestKit timing of <paramref name="testKitSettings"/> (default: from the environment).</summary>
    protected TestKit(RuntimeSettings settings, TestKitSettings? testKitSettings, ITestOutputHelper? output = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Output = output;
        // Every event the system logs passes the capture (for EventFilter) on its way to the test's output.
        var capture = new EventCapture(output is null ? null : new XunitLogSink(output));
        _logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(capture).CreateLogger();
        var system = ActorSystem.Create(SystemNameFor(GetType()), settings, _logger);
        capture.AttachTo(system);
        Attach(system, testKitSettings ?? TestKitSettings.FromEnvironment(), "testActor");
        // As in Akka's TestKit, `actor.Tell(msg)` in a test sends from TestActor, so replies can be expected.
        // xunit calls this constructor synchronously in the flow that then runs the test, so it flows there.
        ImplicitSender.Current = TestActor;
    }

    /// <summary>The test's output, as given to the constructor.</summary>
    protected ITestOutputHelper? Output { get; }

    /// <summary>Called by xunit before the test; nothing to do by default.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Called by xunit after the test: terminates the system without blocking a thread.</summary>
    public virtual Task DisposeAsync() => ShutdownOwnSystemAsync();

    /// <summary>Terminates the system (at most <see cref="TestKitSettings.ShutdownTimeout"/>, then a warning) if that has not happened yet.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to release more resources; call the base to terminate the system.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Block(ShutdownOwnSystemAsync());
    }

    private async Task ShutdownOwnSystemAsync()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0) return;
        await ShutdownAsync(Sys).ConfigureAwait(false);
        await _logger.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>"MyActorTests" for MyActorTests; characters a system name cannot hold become '-'.</summary>
    internal static string SystemNameFor(Type testClass)
    {
        var name = Regex.Replace(testClass.Name, "[^a-zA-Z0-9_-]", "-");
        return name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) ? name : "test" + name;
    }
}
