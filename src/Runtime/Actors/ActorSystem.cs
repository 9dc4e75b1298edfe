using System.Text.RegularExpressions;
using ActorTasks.Configuration;
using ActorTasks.Event;
using ActorTasks.Hocon;
using ActorTasks.Scheduling;
using Serilog;
using Serilog.Core;

namespace ActorTasks.Actor;

/// <summary>
/// A tree of actors with its guardians (/user for yours, /system for the runtime's), event stream, dead
/// letters, scheduler and settings. Create one per process (or per node); <see cref="Terminate"/> stops it.
/// </summary>
public sealed partial class ActorSystem : IActorRefFactory
{
    private static readonly Regex ValidSystemName = new("^[a-zA-Z0-9][a-zA-Z0-9_-]*$", RegexOptions.Compiled);

    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Logger _logger;
    private long _tempCounter;

    private ActorSystem(string name, RuntimeSettings settings, ILogger? logger)
    {
        if (string.IsNullOrEmpty(name) || !ValidSystemName.IsMatch(name))
            throw new ArgumentException(
                $"invalid actor system name '{name}': use letters, digits, '-' and '_', starting with a letter or digit", nameof(name));
        Name = name;
        Settings = settings.Validate();
        LocalAddress = Address.Local(name);
        StartTime = DateTimeOffset.UtcNow;
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(settings.LogLevel)
            .Enrich.WithProperty("ActorSystem", name)
            .WriteTo.Logger(logger ?? Serilog.Log.Logger)
            .CreateLogger();
        EventStream = new EventStream();
        Scheduler = new Scheduler();

        var rootPath = new RootActorPath(LocalAddress);
        DeadLetterRef = new DeadLetterActorRef(this, rootPath / "deadLetters");
        _root = new ActorCell(this, Props.CreateBy(() => new RootGuardian()), rootPath, new RootParentRef(this, rootPath / "bubble-walker"));
        _userGuardian = ((LocalActorRef)_root.ActorOf(Props.CreateBy(() => new GuardianActor()), "user")).Cell;
        _systemGuardian = ((LocalActorRef)_root.ActorOf(Props.CreateBy(() => new GuardianActor()), "system")).Cell;
        _root.Start();
        // Subscribed here, not in the listener's PreStart, so dead letters from the very first moment are logged.
        var listener = _systemGuardian.ActorOf(Props.Create<DeadLetterListener>(), "deadLetterListener");
        EventStream.Subscribe<DeadLetter>(listener);
        EventStream.Subscribe<UnhandledMessage>(listener);
    }

    /// <summary>Creates a system with the settings of the embedded reference.conf.</summary>
    public static ActorSystem Create(string name) => Create(name, (Config?)null);

    /// <summary>
    /// Creates a system configured by <paramref name="config"/> (falling back to the embedded reference.conf);
    /// bad settings throw <see cref="ConfigException"/> naming the key and where it was set.
    /// </summary>
    public static ActorSystem Create(string name, Config? config, ILogger? logger = null)
    {
        var resolved = config is null ? ReferenceConfig.Load() : config.WithFallback(ReferenceConfig.Load());
        return new ActorSystem(name, RuntimeSettings.Create(resolved), logger) { Config = resolved };
    }

    /// <summary>Creates a system with the given settings; logs go to <paramref name="logger"/> (default: Serilog's <c>Log.Logger</c>).</summary>
    public static ActorSystem Create(string name, RuntimeSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ActorSystem(name, settings, logger);
    }

    public string Name { get; }

    /// <summary>The system's address: <c>actortasks://name</c>, or with host and port once remoting is attached.</summary>
    public Address Address => _external?.ExternalAddress ?? LocalAddress;

    /// <summary>The address of paths inside this process (no host, no port).</summary>
    internal Address LocalAddress { get; }

    private IExternalActorRefProvider? _external;

    /// <summary>
    /// Creates and starts an actor at <paramref name="path"/> whose parent lives on another node: a child deployed
    /// here by a remote parent. The caller (the remote provider) keeps it reachable; no guardian holds it.
    /// </summary>
    internal LocalActorRef SpawnDeployed(Props props, ActorPath path, IInternalActorRef parent)
    {
        var cell = new ActorCell(this, props, path, parent);
        cell.Start();
        return cell.SelfRef;
    }

    /// <summary>The provider that reaches other nodes (remoting), or null in a local-only system.</summary>
    public IExternalActorRefProvider? ExternalProvider => Volatile.Read(ref _external);

    /// <summary>Attaches the provider that reaches other nodes (done once, by the remoting extension).</summary>
    public void AttachExternalProvider(IExternalActorRefProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (Interlocked.CompareExchange(ref _external, provider, null) is not null)
            throw new InvalidOperationException($"{this} already has an external actor-ref provider");
    }

    /// <summary>True when <paramref name="address"/> names this system (its local or its external address).</summary>
    public bool IsLocalAddress(Address address) =>
        address.Equals(LocalAddress) || (_external is { } e && address.Equals(e.ExternalAddress));

    /// <summary>
    /// The ref for <paramref name="path"/>: a local actor (checking the uid when the path has one), a ref through
    /// the external provider for another address, or null when there is no such actor.
    /// </summary>
    public IActorRef? ResolveActorRef(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsLocalAddress(path.Address)) return _external?.ResolveRemote(path);
        var cell = _root;
        foreach (var name in path.Elements)
        {
            if (cell.GetChild(name) is not { } child) return null;
            cell = child.Cell;
        }
        if (cell.IsTerminated) return null;
        return path.Uid == ActorPath.UndefinedUid || path.Uid == cell.Self.Path.Uid ? cell.Self : null;
    }

    public RuntimeSettings Settings { get; }

    /// <summary>The configuration the system was created with (reference.conf underneath), for extensions to read.</summary>
    public Config Config { get; private init; } = ConfigFactory.Empty;

    public DateTimeOffset StartTime { get; }

    public EventStream EventStream { get; }

    public Scheduler Scheduler { get; }

    /// <summary>The system's logger (the host's sinks, the configured minimum level).</summary>
    public ILogger Log => _logger;

    /// <summary>Where undeliverable messages go; also a valid target for messages you want to drop visibly.</summary>
    public IActorRef DeadLetters => DeadLetterRef;

    internal DeadLetterActorRef DeadLetterRef { get; }

    internal ActorCell RootCell => _root;

    internal ActorCell UserGuardianCell => _userGuardian;

    internal ActorCell SystemGuardianCell => _systemGuardian;

    /// <summary>Completes when every actor has stopped.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates a top-level actor under /user.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Creates an actor under /system (for runtime extensions such as remoting and cluster).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.ActorOf(props, name);

    public ActorSelection ActorSelection(string path) => new(this, _root.Self, path);

    /// <summary>Stops an actor (its current message finishes first; queued messages become dead letters).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not IInternalActorRef target)
            throw new ArgumentException($"{actor} is not a runtime actor ref", nameof(actor));
        target.SendSystemMessage(new Dispatch.Terminate());
    }

    /// <summary>Stops every actor (yours first, then the runtime's) and completes when all have stopped.</summary>
    public Task Terminate()
    {
        _root.Self.Tell(TerminateSystem.Instance, Nobody.Instance);
        return WhenTerminated;
    }

    internal void OnRootTerminated()
    {
        Scheduler.Dispose();
        _logger.Debug("actor system {ActorSystem} terminated", Name);
        _logger.Dispose();
        _terminated.TrySetResult();
    }

    internal ActorPath NewTempPath() =>
        new RootActorPath(LocalAddress) / "temp" / ("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => $"ActorSystem({Name})";
}
