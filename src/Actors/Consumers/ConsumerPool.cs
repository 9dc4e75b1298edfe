using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using Akka.Event;

namespace ActorTasks.Tasks.Consumers;

/// <summary>
/// A node's consumers: <see cref="TaskSystemSettings.ConsumersPerNode"/> of them (one per core by default). A consumer
/// that fails is stopped, not restarted, so that producers see it die and hand its tasks to others; the pool then
/// starts a fresh one in its place.
/// </summary>
/// <remarks>
/// The pool registers its consumers with the resource manager (again whenever that manager goes, as after a failover
/// of the singleton), so that resources sized to the workers count this node's.
/// </remarks>
public sealed class ConsumerPool : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan QuickFailure = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RespawnDelay = TimeSpan.FromSeconds(1);
    private static readonly object RegisterTimerKey = "register";
    private static readonly TimeSpan RegisterRetry = TimeSpan.FromSeconds(2);

    private readonly Props _consumerProps;
    private readonly int _size;
    private readonly ILoggingAdapter _log;
    private readonly IActorRef? _resourceManager;
    private IActorRef? _registeredWith;
    private readonly HashSet<IActorRef> _consumers = [];
    private int _spawned;
    private int _respawnsDue;
    private DateTime _lastReplacement = DateTime.MinValue;

    /// <summary>Creates the pool; its consumers register with <paramref name="jobManager"/>.</summary>
    public ConsumerPool(IActorRef jobManager, IActorRef? resourceManager, JobKindRegistry registry, TaskSystemSettings settings)
    {
        _consumerProps = Consumer.Props(jobManager, resourceManager, registry, settings);
        _size = settings.EffectiveConsumersPerNode;
        _resourceManager = resourceManager;
        _log = Context.GetLogger();

        Receive<ConsumerPoolRegistered>(_ =>
        {
            Timers.Cancel(RegisterTimerKey);
            // As a consumer does with the job manager: watch the manager that answered, not the proxy that led to it.
            if (_registeredWith is { } previous && !previous.Equals(Sender)) Context.Unwatch(previous);
            _registeredWith = Sender;
            Context.Watch(_registeredWith);
        });
        Receive<RegisterTick>(_ => _resourceManager?.Tell(new RegisterConsumerPool(Self, _size), Self));
        Receive<Terminated>(t => t.ActorRef.Equals(_registeredWith), _ =>
        {
            _registeredWith = null;
            Self.Tell(RegisterTick.Instance);
            Timers.StartPeriodicTimer(RegisterTimerKey, RegisterTick.Instance, RegisterRetry);
        });

        Receive<GetConsumers>(_ => Sender.Tell(new PoolConsumers([.. _consumers.OrderBy(c => c.Path.Name, StringComparer.Ordinal)]), Self));
        Receive<Terminated>(t =>
        {
            if (!_consumers.Remove(t.ActorRef)) return;
            // A consumer that keeps failing at once would otherwise be replaced in a tight loop.
            var now = DateTime.UtcNow;
            if (now - _lastReplacement > QuickFailure)
            {
                _lastReplacement = now;
                _log.Warning("Consumer {Consumer} stopped; starting another", t.ActorRef.Path);
                Spawn();
            }
            else
            {
                _log.Warning("Consumer {Consumer} stopped shortly after another; starting another in {Delay}", t.ActorRef.Path, RespawnDelay);
                _respawnsDue++;
                Timers.StartSingleTimer(Respawn.Instance, Respawn.Instance, RespawnDelay);
            }
        });
        Receive<Respawn>(_ =>
        {
            _lastReplacement = DateTime.UtcNow;
            for (; _respawnsDue > 0; _respawnsDue--) Spawn();
        });
    }

    /// <summary>Set by the runtime: this actor's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a pool.</summary>
    public static Props Props(IActorRef jobManager, IActorRef? resourceManager, JobKindRegistry registry, TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(jobManager);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Actor.Props.Create(() => new ConsumerPool(jobManager, resourceManager, registry, settings));
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_resourceManager is not null)
        {
            Self.Tell(RegisterTick.Instance);
            Timers.StartPeriodicTimer(RegisterTimerKey, RegisterTick.Instance, RegisterRetry);
        }
        for (var i = 0; i < _size; i++) Spawn();
    }

    private void Spawn()
    {
        var consumer = Context.ActorOf(_consumerProps, $"consumer-{++_spawned}");
        Context.Watch(consumer);
        _consumers.Add(consumer);
    }

    private sealed class RegisterTick : INoSerializationVerificationNeeded
    {
        public static readonly RegisterTick Instance = new();
    }

    private sealed class Respawn : INoSerializationVerificationNeeded
    {
        public static readonly Respawn Instance = new();
    }
}
