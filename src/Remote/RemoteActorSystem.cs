using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using Serilog;

namespace ActorTasks.Remote;

/// <summary>Creates actor systems whose configuration may turn remoting on (<c>actortasks.actor.provider = remote</c>).</summary>
public static class RemoteActorSystem
{
    /// <summary>The environment variable that supplies <c>actortasks.remote.secret</c> when the configuration does not.</summary>
    public const string SecretVariable = "ACTORTASKS__remote__secret";

    /// <summary>
    /// Creates the system <paramref name="name"/> from <paramref name="config"/> (over reference.conf). With
    /// <c>actortasks.actor.provider = remote</c> (or <c>cluster</c>) it also starts remoting as <c>actortasks.remote.*</c>
    /// says — bound and ready when the task completes, <c>system.Address</c> giving the bound host and port — with
    /// <paramref name="registry"/> (default: <see cref="SerializerRegistry.CreateDefault"/>) for the messages that may
    /// cross the wire. Bad settings throw <see cref="ConfigException"/> naming the key, before anything starts.
    /// </summary>
    public static async Task<ActorSystem> CreateAsync(string name, Config? config = null, SerializerRegistry? registry = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var resolved = config is null ? ReferenceConfig.Load() : config.WithFallback(ReferenceConfig.Load());
        var runtime = RuntimeSettings.Create(resolved);
        RemoteSettings? remote = null;
        if (runtime.Provider is "remote" or "cluster")
        {
            remote = RemoteSettings.Create(resolved);
            if (remote.Transport.Secret is null && Environment.GetEnvironmentVariable(SecretVariable) is { Length: > 0 } secret)
                remote = remote with { Transport = remote.Transport with { Secret = secret } };
        }
        var system = ActorSystem.Create(name, resolved, logger);
        if (remote is null) return system;
        try
        {
            await RemoteActorRefProvider.StartAsync(system, remote, registry ?? SerializerRegistry.CreateDefault(), cancellationToken)
                .ConfigureAwait(false);
            return system;
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }
}
