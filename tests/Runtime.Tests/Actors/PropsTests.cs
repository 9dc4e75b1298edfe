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
        var deploy = Deploy.Remote("actortasks://other@127.0.0.1:4053");
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

    private sealed class Pair(int number, string text) : ActorBase
    {
        protected override bool Receive(object message) => false;
        public override string ToString() => $"{number} {text}";
    }

    [Fact]
    public void Props_from_arguments_or_a_new_expression_keep_their_arguments_for_remote_deployment()
    {
        var text = "seven";
        Assert.Equal([7, "seven"], Props.Create<Pair>(7, "seven").Arguments!);
        Assert.Equal([7, "seven"], Props.Create(() => new Pair(3 + 4, text)).Arguments!);
        Assert.Empty(Props.Create<EchoActor>().Arguments!);
        Assert.Null(Props.CreateBy(() => new Pair(1, "x")).Arguments);
    }

    [Fact]
    public void A_remote_deploy_needs_a_host_and_port()
    {
        Assert.Equal(new Address("actortasks", "w", "10.0.0.5", 4053), Deploy.Remote("actortasks://w@10.0.0.5:4053").RemoteAddress);
        Assert.Null(Deploy.Local.RemoteAddress);
        Assert.Throws<ArgumentException>(() => Deploy.Remote(Address.Local("w")));
    }
}
