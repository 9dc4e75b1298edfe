using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Dashboard;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Resources;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Event;
using Serilog.Core;

namespace ActorTasks.Node.Hosting;

/// <summary>What a node does in the cluster: the seed runs the job manager, workers run consumers, a client only submits.</summary>
public enum NodeRole
{
    Seed,
    Worker,
    Client,
}

/// <summary>A node that could not start (a port in use, an address that does not resolve, a seed that does not answer); exit code 1.</summary>
public sealed class NodeStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One running node: its Akka actor system, Serilog logger, job kinds and task-system actors. The job manager and the
/// resource manager are cluster singletons on the oldest member with the role <c>seed</c>; every member reaches them
/// through its proxies <c>/user/jobs</c> and <c>/user/resources</c>. Workers (and a seed with
/// <c>actortasks.tasks.run-consumers = on</c>) run a consumer pool that pulls work from the job manager. A client is
/// no member: it speaks to the seed's proxies over Akka.Remote.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>Every node of a cluster uses this actor-system name, so addresses read <c>akka.tcp://tasks@host:port</c>.</summary>
    public const string SystemName = "tasks";

    /// <summary>The role whose oldest member runs the job manager and the resource manager (cluster singletons).</summary>
    public const string SingletonRole = "seed";

    /// <summary>Every member's proxies to the singletons, <c>/user/jobs</c> and <c>/user/resources</c>; a client uses the seed's.</summary>
    public const string JobsProxyName = "jobs", ResourcesProxyName = "resources";

    /// <summary>The singleton managers on seed-role members; the instance is their child <c>singleton</c>.</summary>
    public const string JobsManagerName = "job-manager", ResourcesManagerName = "resource-manager";

    /// <summary>How long a client waits for the seed's job manager to answer before it gives up.</summary>
    public static readonly TimeSpan SeedLookupTimeout = TimeSpan.FromSeconds(5);

    private NodeHost(NodeRole role, ActorSystem system, Logger log, JobKindRegistry kinds, TaskSystemSettings tasks,
        IActorRef jobManager, IActorRef resourceManager, IActorRef members, IActorRef? consumers, bool tls)
    {
        Role = role;
        System = system;
        Log = log;
        Kinds = kinds;
        Tasks = tasks;
        JobManager = jobManager;
        ResourceManager = resourceManager;
        Members = members;
        Consumers = consumers;
        UsesTls = tls;
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

    /// <summary>Who answers <see cref="ActorTasks.Messages.GetMembers"/>: this member's <see cref="ClusterMembers"/>, or the seed's for a client.</summary>
    public IActorRef Members { get; }

    /// <summary>This node's consumer pool, when it runs consumers.</summary>
    public IActorRef? Consumers { get; }

    /// <summary>True when the node speaks TLS to its peers.</summary>
    public bool UsesTls { get; }

    /// <summary>The web dashboard this node serves (<c>actortasks.dashboard</c>), null when it serves none.</summary>
    public DashboardServer? Dashboard { get; private set; }

    /// <summary>This node's address, e.g. <c>akka.tcp://tasks@127.0.0.1:4053</c>.</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>The cluster this node is a member of (null for a client).</summary>
    public Akka.Cluster.Cluster? Cluster => Role == NodeRole.Client ? null : Akka.Cluster.Cluster.Get(System);

    /// <summary>
    /// Starts a node from its configuration. <paramref name="seed"/> is the seed to join or talk to (null for a seed
    /// that forms the cluster). Bad settings throw <see cref="ConfigException"/> before anything starts; a node that
    /// cannot start throws <see cref="NodeStartException"/>.
    /// </summary>
    public static async Task<NodeHost> StartAsync(NodeRole role, NodeConfig config, SeedEndpoint? seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = NodeSettings.Create(config);
        TaskSystemSettings tasks;
        try
        {
            tasks = TaskSystemSettings.Create(config.Config);
        }
        catch (SettingsException e)
        {
            throw config.Invalid(e);
        }
        if (role == NodeRole.Seed && !settings.Roles.Contains(SingletonRole, StringComparer.Ordinal))
        {
            // Without the role the singletons would never start, and every job would wait for a manager that never comes.
            throw config.Invalid(new SettingsException("akka.cluster.roles",
                $"a seed node needs the role '{SingletonRole}' (the job manager runs on the oldest member with it), but the roles are [{string.Join(", ", settings.Roles)}]"));
        }
        var dashboard = DashboardSettings.Create(config);
        var certificate = NodeTls.Load(settings, config);
        if (settings.BindsAnyAddress && settings.PublicHostname is null)
        {
            throw new ConfigException(
                $"{config.SourceOf("akka.remote.dot-netty.tcp.hostname")}: akka.remote.dot-netty.tcp.hostname = {settings.Hostname} binds every interface, " +
                "but others cannot dial that address: set akka.remote.dot-netty.tcp.public-hostname to the address they reach this node at");
        }
        if (certificate is null && !settings.IsLoopback && !settings.AllowUnencrypted)
        {
            throw new ConfigException(
                $"{config.SourceOf("akka.remote.dot-netty.tcp.hostname")}: akka.remote.dot-netty.tcp.hostname = {settings.Hostname} is reachable from other machines, " +
                "but this node has no TLS certificate, so anyone who reaches the port could join: give it the cluster's certificate " +
                "(--tls-cert FILE or actortasks.remote.tls.certificate-path; see actortasks certs new), or set actortasks.remote.allow-unencrypted = on to run plain TCP on purpose");
        }

        EnsurePortFree(settings);

        var nodeName = string.Create(CultureInfo.InvariantCulture, $"{role.ToString().ToLowerInvariant()}-{(settings.Port > 0 ? settings.Port : Environment.ProcessId)}");
        var peers = new ClusterPeers();
        var log = NodeLogging.Create(settings, nodeName, peers, out var logProblem);
        Serilog.Log.Logger = log;
        if (logProblem is not null) log.Warning("{Problem}", $"{config.SourceOf("actortasks.log.file-directory")}: {logProblem}");
        foreach (var warning in config.Warnings) log.Warning("{Warning}", warning);
        ActorSystem? system = null;
        try
        {
            var kinds = LoadJobKinds(settings, log);
            var top = NodeLogging.AkkaConfig(settings);
            if (role == NodeRole.Client) top += "\nakka.actor.provider = remote";
            if (certificate is not null) top += "\nakka.remote.dot-netty.tcp.enable-ssl = true";
            var akkaConfig = ConfigurationFactory.ParseString(top).WithFallback(config.Config);
            // Only a seed runs the job manager; it checks its journal before anything starts.
            if (role == NodeRole.Seed && JournalStore.Configure(akkaConfig, tasks, config, out var journal) is { } journaled)
            {
                akkaConfig = journaled;
                log.Information("jobs are journaled in {Journal}", journal);
            }
            var setup = BootstrapSetup.Create().WithConfig(akkaConfig);
            system = Create(certificate is null ? ActorSystemSetup.Create(setup) : setup.And(NodeTls.Setup(certificate)));
            peers.Attach(system);

            system.ActorOf(Props.Create(() => new ExpectedDeadLetters()), "expected-dead-letters");
            IActorRef jobs, resources, members;
            var tls = certificate is not null;
            if (role == NodeRole.Client)
            {
                var seedAddress = (seed ?? throw new ArgumentNullException(nameof(seed), "a client needs the seed's address")).ToAddress(tls);
                jobs = await IdentifyOnSeedAsync(system, seedAddress, JobsProxyName, cancellationToken).ConfigureAwait(false);
                resources = ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(seedAddress) / "user" / ResourcesProxyName);
                members = ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(seedAddress) / "user" / ClusterMembers.Name);
            }
            else
            {
                members = system.ActorOf(Props.Create(() => new ClusterMembers()), ClusterMembers.Name);
                JoinCluster(system, settings, seed?.ToAddress(tls));
                if (role == NodeRole.Seed)
                {
                    var managerSettings = ClusterSingletonManagerSettings.Create(system).WithRole(SingletonRole);
                    system.ActorOf(ClusterSingletonManager.Props(ActorTasks.Tasks.Resources.ResourceManager.Props(tasks), PoisonPill.Instance, managerSettings), ResourcesManagerName);
                    system.ActorOf(ClusterSingletonManager.Props(ActorTasks.Tasks.Jobs.JobManager.Props(kinds, tasks), ActorTasks.Tasks.Jobs.StopWhenJournaled.Instance, managerSettings), JobsManagerName);
                }
                var proxySettings = ClusterSingletonProxySettings.Create(system).WithRole(SingletonRole);
                resources = system.ActorOf(ClusterSingletonProxy.Props($"/user/{ResourcesManagerName}", proxySettings), ResourcesProxyName);
                jobs = system.ActorOf(ClusterSingletonProxy.Props($"/user/{JobsManagerName}", proxySettings), JobsProxyName);
            }
            var runConsumers = role == NodeRole.Worker || (role == NodeRole.Seed && settings.RunConsumers);
            var consumers = runConsumers ? system.ActorOf(ConsumerPool.Props(jobs, resources, kinds, tasks), "consumers") : null;
            var host = new NodeHost(role, system, log, kinds, tasks, jobs, resources, members, consumers, tls);
            if (role != NodeRole.Client && dashboard.Enabled) host.Dashboard = await DashboardServer.StartAsync(host, dashboard, cancellationToken).ConfigureAwait(false);
            log.Information("{Role} node up at {Address} ({Consumers} consumers, job kinds: {Kinds})",
                role, host.Address, runConsumers ? tasks.EffectiveConsumersPerNode : 0, string.Join(", ", kinds.All.Select(k => k.Name)));
            return host;
        }
        catch
        {
            if (system is not null) await system.Terminate().ConfigureAwait(false);
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The actor at <c>/user/{name}</c> on the seed; <see cref="NodeStartException"/> at once when the seed cannot be reached.</summary>
    private static async Task<IActorRef> IdentifyOnSeedAsync(ActorSystem system, Address seed, string name, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookup = system.ActorOf(Props.Create(() => new SeedLookup(seed, name, SeedLookupTimeout, found)));
        using var registration = cancellationToken.Register(() => found.TrySetCanceled(cancellationToken));
        try
        {
            return await found.Task.ConfigureAwait(false);
        }
        finally
        {
            system.Stop(lookup);
        }
    }

    // Akka logs a failed bind at ERROR with its stack trace (on stderr, through the console sink) before it throws: a port
    // already taken is found first, so that the user reads one line. Anything else is left to Akka's bind.
    private static void EnsurePortFree(NodeSettings settings)
    {
        if (settings.Port == 0 || !IPAddress.TryParse(settings.Hostname == "localhost" ? "127.0.0.1" : settings.Hostname, out var ip)) return;
        var listener = new TcpListener(ip, settings.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new NodeStartException(string.Create(CultureInfo.InvariantCulture,
                $"port {settings.Port} on {settings.Hostname} is already in use (is another node running there?); choose another with --port"), e);
        }
        catch (SocketException)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    // Akka throws on a port in use or an address that does not resolve, often wrapped several times: one line says why.
    private static ActorSystem Create(ActorSystemSetup setup)
    {
        try
        {
            return ActorSystem.Create(SystemName, setup);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var cause = e;
            while (cause is AggregateException { InnerException: { } inner }) cause = inner;
            var messages = new List<string>();
            for (var c = cause; c is not null; c = c.InnerException)
            {
                var m = c.Message.Replace(" See InnerException for details.", "", StringComparison.Ordinal).TrimEnd('.');
                if (!messages.Contains(m)) messages.Add(m);
            }
            throw new NodeStartException(string.Join(": ", messages), e);
        }
    }

    // Seed nodes from the configuration are joined by Akka itself. Otherwise the seed forms the cluster (or joins the
    // seed given by --join), and a worker joins the seed it was given.
    private static void JoinCluster(ActorSystem system, NodeSettings settings, Address? seed)
    {
        if (settings.SeedNodes.Count > 0 && seed is null) return;
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.JoinSeedNodes([seed ?? cluster.SelfAddress]);
    }

    // Built-in kinds, then every plug-in in actortasks.tasks.plugins-directory; a bad plug-in is logged, not fatal.
    private static JobKindRegistry LoadJobKinds(NodeSettings settings, Logger log)
    {
        var kinds = JobKindRegistry.CreateBuiltIn();
        var report = kinds.LoadPlugins(Path.GetFullPath(settings.PluginsDirectory));
        foreach (var kind in report.Registered) log.Information("job kind {Kind} loaded from plug-in {File}", kind.Name, kind.File);
        foreach (var problem in report.Problems) log.Error("plug-in {File} not loaded: {Problem}", problem.File, problem.Message);
        return kinds;
    }

    /// <summary>Stops the actor system (if it still runs) and flushes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null) await Dashboard.DisposeAsync().ConfigureAwait(false);
        try
        {
            await System.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Warning("the actor system did not stop within 15 s; exiting anyway");
        }
        if (ReferenceEquals(Serilog.Log.Logger, Log)) Serilog.Log.Logger = Logger.None;
        await Log.DisposeAsync().ConfigureAwait(false);
    }
}
