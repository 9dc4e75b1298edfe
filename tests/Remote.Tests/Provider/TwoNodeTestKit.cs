using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Remote.Tests.Provider;

/// <summary>A TestKit whose <c>Sys</c> and a second system, <c>Other</c>, each run remoting on a free loopback port.</summary>
public abstract class TwoNodeTestKit : TestKit, IAsyncLifetime
{
    protected ActorSystem Other { get; private set; } = null!;

    /// <summary>Fast heartbeats, so a dead node is noticed in about a second instead of four.</summary>
    protected static RemoteSettings FastWatch { get; } = RemoteSettings.Default with
    {
        WatchFailureDetector = RemoteSettings.Default.WatchFailureDetector with
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            FirstHeartbeatEstimate = TimeSpan.FromMilliseconds(200),
            AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(600),
        },
    };

    protected virtual RemoteSettings Settings => FastWatch;

    /// <summary>The registry both nodes use; override to register test messages and deployable actors.</summary>
    protected virtual SerializerRegistry CreateRegistry() => SerializerRegistry.CreateDefault();

    protected virtual ActorSystem CreateOtherSystem() => ActorSystem.Create("other");

    async Task IAsyncLifetime.InitializeAsync()
    {
        await RemoteActorRefProvider.StartAsync(Sys, Settings, CreateRegistry());
        Other = CreateOtherSystem();
        await RemoteActorRefProvider.StartAsync(Other, Settings, CreateRegistry());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Other.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        await base.DisposeAsync();
    }

    /// <summary>A ref to <paramref name="path"/> on <paramref name="node"/>, resolved from <c>Sys</c> (with its uid).</summary>
    protected Task<IActorRef> ResolveAsync(ActorSystem node, string path) =>
        Sys.ActorSelection($"{node.Address}{path}").ResolveOne(TimeSpan.FromSeconds(10));
}
