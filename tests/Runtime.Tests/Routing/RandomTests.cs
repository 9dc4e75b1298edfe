using System.Collections.Immutable;
using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class RandomTests : RoutingTestKit
{
    // With 300 messages over 3 routees, one routee gets none with probability 3 * (2/3)^300, about 1e-52.
    private const int Messages = 300;

    [Fact]
    public void Pool_uses_every_routee_over_many_messages()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RandomPool(3)));
        var routees = RouteeActorsOf(router);

        for (var i = 0; i < Messages; i++) router.Tell(i, TestActor);

        Assert.Equal(routees.ToHashSet(), ReceiveRouted(Messages).Select(r => r.Routee).ToHashSet());
    }

    [Fact]
    public void Group_uses_every_path_over_many_messages()
    {
        var (actors, paths) = Reporters("a", "b", "c");
        var router = Sys.ActorOf(new RandomGroup(paths).Props());

        for (var i = 0; i < Messages; i++) router.Tell(i, TestActor);

        Assert.Equal(actors.ToHashSet(), ReceiveRouted(Messages).Select(r => r.Routee).ToHashSet());
    }

    [Fact]
    public void Logic_with_a_seeded_random_spreads_messages_about_evenly()
    {
        var probes = Enumerable.Range(0, 3).Select(_ => CreateTestProbe().Ref).ToArray();
        var routees = probes.Select(p => (Routee)new ActorRefRoutee(p)).ToImmutableArray();
        var logic = new RandomRoutingLogic(new Random(20240601));

        var counts = new int[3];
        for (var i = 0; i < 3000; i++)
            counts[Array.IndexOf(probes, ((ActorRefRoutee)logic.Select(i, routees)).Actor)]++;

        // Seeded, so the same counts every run; the bounds only say "about a third each".
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void Logic_with_no_routees_selects_no_routee()
    {
        Assert.Same(NoRoutee.Instance, new RandomRoutingLogic().Select("m", ImmutableArray<Routee>.Empty));
    }
}
