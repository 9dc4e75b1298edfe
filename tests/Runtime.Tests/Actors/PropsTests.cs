using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Actors;

public sealed class PropsTests
{
    [Fact]
    public void Each_With_keeps_the_options_set_before_it()
    {
        var strategy = new OneForOneStrategy(_ => Directive.Resume);
        var router = new RoundRobinPool(3);
        var deploy = new object();
        var props = Props.Create<EchoActor>()
            .WithMailboxCapacity(7)
            .WithSupervisorStrategy(strategy)
            .WithRouter(router)
            .WithDeploy(deploy);
        Assert.Equal(typeof(EchoActor), props.ActorType);
        Assert.Equal(7, props.MailboxCapacity);
        Assert.Same(strategy, props.SupervisorStrategy);
        Assert.Same(router, props.RouterConfig);
        Assert.Same(deploy, props.Deploy);

        var routee = props.WithoutRouter();
        Assert.Null(routee.RouterConfig);
        Assert.Equal((7, strategy, deploy), (routee.MailboxCapacity, routee.SupervisorStrategy, routee.Deploy));
    }

    [Fact]
    public void Bad_options_are_refused_at_the_call()
    {
        var props = Props.Create<EchoActor>();
        Assert.Throws<ArgumentOutOfRangeException>(() => props.WithMailboxCapacity(-1));
        Assert.Throws<ArgumentNullException>(() => props.WithSupervisorStrategy(null!));
        Assert.Throws<ArgumentNullException>(() => props.WithRouter(null!));
    }
}
