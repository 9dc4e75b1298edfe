using System.Text;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

/// <summary>The two small caches of the receive path: decoded strings and resolved refs.</summary>
public sealed class WireCachesTests : TestKit
{
    [Fact]
    public void The_interner_returns_the_same_string_for_the_same_bytes_and_rejects_invalid_utf8()
    {
        var interner = new Utf8Interner();
        var first = interner.Get("actortasks://a@h:1/user/x"u8);
        Assert.Equal("actortasks://a@h:1/user/x", first);
        Assert.Same(first, interner.Get(Encoding.UTF8.GetBytes("actortasks://a@h:1/user/x")));
        Assert.Equal("", interner.Get([]));
        Assert.Throws<DecoderFallbackException>(() => interner.Get([0x61, 0xC3, 0x28]));
        var longer = new string('x', 1000);
        Assert.Equal(longer, interner.Get(Encoding.UTF8.GetBytes(longer)));
    }

    [Fact]
    public void The_interner_stays_correct_when_slots_collide()
    {
        var interner = new Utf8Interner(slotBits: 1);
        for (var round = 0; round < 3; round++)
            for (var i = 0; i < 50; i++)
                Assert.Equal($"path-{i}", interner.Get(Encoding.UTF8.GetBytes($"path-{i}")));
    }

    [Fact]
    public void The_ref_cache_never_returns_a_terminated_ref()
    {
        var cache = new RefCache();
        var actor = Sys.ActorOf(Props.Create(() => new Idle()), "cached");
        var path = actor.Path.ToStringWithUid();
        cache.Add(path, actor);
        Assert.True(cache.TryGet(path, out var found));
        Assert.Same(actor, found);
        Assert.False(cache.TryGet(new string(path.AsSpan()), out _)); // keyed by instance: the interner hands out one per path

        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Assert.False(cache.TryGet(path, out _));
        Assert.False(cache.TryGet("actortasks://other@h:1/user/never-added", out _));
    }

    private sealed class Idle : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }
}
