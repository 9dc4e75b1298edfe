using System.Globalization;
using ActorTasks.Actor;
using ActorTasks.Cluster;
using ActorTasks.Cluster.Singleton;
using ActorTasks.Hocon;
using ActorTasks.Remote.Serialization;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Serialization;
using Serilog.Core;

namespace ActorTasks.Node.Hosting;

/// <summary>What a node does in the cluster: the seed runs the job manager, workers run consumers, a client only submits.</summary>
public enum NodeRole
{
    Seed,
    Worker,
    Client,
}

/// <summary>
/// One running node: its actor system (remoting on), logger, job kinds and task-system actors. The job manager and
/// the resource manager are cluster singletons on the oldest member with the role <c>seed</c>; every member reaches
/// them through its proxies <c>/user/jobs</c> and <c>/user/resources</c>. Workers (and a seed with
/// <c>actortasks.tasks.run-consumers = on</c>) run a consumer pool that pulls work from the job manager.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>Every node of a cluster uses this actor-system name, so addresses read <c>actortasks://tasks@host:port</c>.</summary>
    public const string SystemName = "tasks";

    /// <summary>The role whose oldest member runs the job manager and the resource manager (cluster singletons).</summary>
    public const string SingletonRole = "seed";

    /// <summary>
    /// Every member's proxies to the singletons: <c>/user/jobs</c> and <c>/user/resources</c> lead to the one job
    /// manager and resource manager wherever they run; a client uses the seed's.
    /// </summary>
    public const string JobsProxyName = "jobs", ResourcesProxyName = "resources";

    /// <summary>The singleton managers on seed-role members; the instance is their child <c>singleton</c>.</summary>
    public const string JobsManagerName = "job-manager", ResourcesManagerName = "resource-manager";

    private readonly JobJournal? _journal;

    private NodeHost(NodeRole role, ActorSystem system, Logger log, JobKindRegistry kinds, TaskSystemSettings tasks,
        IActorRef jobManager, IActorRef resourceManager, IActorRef? consumers, JobJournal? journal)
    {
        _journal = journal;
        Role = role;
        System = system;
        Log = log;
        Kinds = kinds;
        Tasks = tasks;
        JobManager = jobManager;
        ResourceManager = resourceManager;
        Consumers = consumers;
    }

    public NodeRole Role { get; }

    public ActorSystem System { get; }

    public Logger Log { get; }

    public JobKindRegistry Kinds { get; }

    public TaskSystemSettings Tasks { get; }

    /// <summary>The job manager: this member's singleton proxy, or the seed's for a client.</summary>
    public IActorRef JobManager { get; }

    /// <summary>The resource manager: this member's singleton proxy, or the seed's for a client.</summary>
    public IActorRef ResourceManager { get; }

    /// <summary>This node's consumer pool, when it runs consumers.</summary>
    public IActorRef? Consumers { get; }

    /// <summary>
    /// Starts a node from its resolved configuration. <paramref name="seed"/> is the seed's address (for workers and
    /// clients; the seed itself passes null). Bad settings throw <see cref="ConfigException"/> before anything starts.
    /// </summary>
    public static async Task<NodeHost> StartAsync(NodeRole role, Config config, Address? seed, CancellationToken cancellationToken)
    {
        var tasks = TaskSystemSettings.Create(config);
        if (role == NodeRole.Seed) RequireSeedRole(config);
        var runConsumers = role == NodeRole.Worker || (role == NodeRole.Seed && config.GetBoolean("actortasks.tasks.run-consumers", false));
        var port = config.GetInt("actortasks.remote.port", 0);
        var nodeName = $"{role.ToString().ToLowerInvariant()}-{(port > 0 ? port : Environment.ProcessId).ToString(CultureInfo.InvariantCulture)}";
        var log = NodeLogging.Create(config, nodeName);
        JobJournal? journal = null;
        try
        {
            // Opened before anything starts, so that a journal that cannot be used stops the seed with one clear line.
            if (role == NodeRole.Seed && tasks.Journal is { } journalPath) journal = OpenJournal(config, journalPath, log);
            var kinds = LoadJobKinds(config, log);
            var registry = TaskSystemSerialization.Register(SerializerRegistry.CreateDefault());
            var system = await ClusterActorSystem.CreateAsync(SystemName, config, registry, log, cancellationToken).ConfigureAwait(false);
            if (role != NodeRole.Client) JoinCluster(system, seed);
            IActorRef jobs, resources;
            if (role == NodeRole.Client)
            {
                // A client is no member, so it cannot follow the singletons: it talks to the seed's proxies.
                var seedAddress = seed ?? throw new ArgumentNullException(nameof(seed), "a client needs the seed's address");
                jobs = system.ResolveActorRef(ActorPath.Parse($"{seedAddress}/user/{JobsProxyName}"))!;
                resources = system.ResolveActorRef(ActorPath.Parse($"{seedAddress}/user/{ResourcesProxyName}"))!;
            }
            else
            {
                if (role == NodeRole.Seed)
                {
                    system.ActorOf(ClusterSingletonManager.Props(ActorTasks.Tasks.Resources.ResourceManager.Props(tasks), SingletonRole), ResourcesManagerName);
                    system.ActorOf(ClusterSingletonManager.Props(ActorTasks.Tasks.Jobs.JobManager.Props(kinds, tasks, journal), SingletonRole), JobsManagerName);
                }
                resources = system.ActorOf(ClusterSingletonProxy.Props($"/user/{ResourcesManagerName}", SingletonRole), ResourcesProxyName);
                jobs = system.ActorOf(ClusterSingletonProxy.Props($"/user/{JobsManagerName}", SingletonRole), JobsProxyName);
            }
            var consumers = runConsumers ? system.ActorOf(ConsumerPool.Props(jobs, resources, kinds, tasks), "consumers") : null;
            log.Information("{Role} node up at {Address} ({Consumers} consumers, job kinds: {Kinds})",
                role, system.Address, runConsumers ? tasks.EffectiveConsumersPerNode : 0, string.Join(", ", kinds.All.Select(k => k.Name)));
            return new NodeHost(role, system, log, kinds, tasks, jobs, resources, consumers, journal);
        }
        catch
        {
            journal?.Dispose();
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static JobJournal OpenJournal(Config config, string path, Logger log)
    {
        try
        {
            var journal = JobJournal.Open(path, log);
            log.Information("jobs are journaled in {Path}", journal.Path);
            return journal;
        }
        catch (JobJournalException e)
        {
            throw new ConfigException(e.Message, config.GetValueOrNull("actortasks.tasks.journal")?.Origin, "actortasks.tasks.journal");
        }
    }

    // Without the role the singletons would never start, and every job would wait for a manager that never comes.
    private static void RequireSeedRole(Config config)
    {
        var roles = config.HasPath("actortasks.cluster.roles") ? config.GetStringList("actortasks.cluster.roles") : [];
        if (!roles.Contains(SingletonRole, StringComparer.Ordinal))
            throw new ConfigException($"actortasks.cluster.roles: a seed node needs the role '{SingletonRole}' (the job manager runs on the oldest member with it), but the roles are [{string.Join(", ", roles)}]",
                config.GetValueOrNull("actortasks.cluster.roles")?.Origin, "actortasks.cluster.roles");
    }

    // The seed forms the cluster (or joins the other configured seeds); a worker joins through the seed it was given.
    private static void JoinCluster(ActorSystem system, Address? seed)
    {
        var cluster = ActorTasks.Cluster.Cluster.Get(system);
        var configured = cluster.Settings.SeedNodes;
        if (seed is null) cluster.JoinSeedNodes(configured.Count > 0 ? configured : [system.Address]);
        else cluster.JoinSeedNodes([seed, .. configured.Where(s => !s.Equals(seed))]);
    }

    /// <summary>The cluster this node is a member of (null for a client).</summary>
    public ActorTasks.Cluster.Cluster? Cluster => Role == NodeRole.Client ? null : ActorTasks.Cluster.Cluster.Get(System);

    // Built-in kinds, then every plug-in in actortasks.tasks.plugins-directory; a bad plug-in is logged, not fatal.
    private static JobKindRegistry LoadJobKinds(Config config, Logger log)
    {
        var kinds = JobKindRegistry.CreateBuiltIn();
        var folder = config.GetString("actortasks.tasks.plugins-directory", "plugins");
        var report = kinds.LoadPlugins(Path.GetFullPath(folder));
        foreach (var kind in report.Registered) log.Information("job kind {Kind} loaded from plug-in {File}", kind.Name, kind.File);
        foreach (var problem in report.Problems) log.Error("plug-in {File} not loaded: {Problem}", problem.File, problem.Message);
        return kinds;
    }

    /// <summary>Parses <c>host:port</c> (as given to <c>--join</c> or <c>--seed</c>) into the seed's address; the message names <paramref name="option"/>.</summary>
    public static Address ParseSeed(string text, string option)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"{option}: expected HOST:PORT such as 127.0.0.1:4053, not '{text}'");
        var host = text[..colon].Trim('[', ']');
        return new Address(Address.DefaultProtocol, SystemName, host, port);
    }

    /// <summary>Stops the actor system (its transport with it) and flushes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await System.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Warning("the actor system did not stop within 15 s; exiting anyway");
        }
        // After the manager stopped: the writes it asked for are finished first.
        if (_journal is not null) await _journal.DisposeAsync().ConfigureAwait(false);
        await Log.DisposeAsync().ConfigureAwait(false);
    }
}
