using System.Text;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

/// <summary>The small caches of the wire: decoded strings and resolved refs on the receive path, encoded strings on the send path.</summary>
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
    public void Encodings_are_kept_from_a_strings_second_sighting_and_always_match_the_text()
    {
        var encodings = new Utf8Encodings();
        var path = "actortasks://a@h:1/user/ünïcødé";
        var first = encodings.Get(path);
        var second = encodings.Get(path);
        var third = encodings.Get(path);
        Assert.False(first.IsEncoded); // seen once: written from the text
        Assert.True(second.IsEncoded);
        Assert.True(third.IsEncoded);
        var expected = Encoding.UTF8.GetBytes(path);
        foreach (var field in new[] { first, second, third }) Assert.Equal(expected, Written(field));
        // Found by instance: an equal string made elsewhere starts over, and is still written correctly.
        var copy = new string(path.AsSpan());
        Assert.False(encodings.Get(copy).IsEncoded);
        Assert.Equal(expected, Written(encodings.Get(copy)));
        Assert.Equal(0, encodings.Get("").ByteCount);
        var longer = new string('x', 1000);
        encodings.Get(longer);
        Assert.False(encodings.Get(longer).IsEncoded);
        Assert.Equal(1000, encodings.Get(longer).ByteCount);
    }

    [Fact]
    public void Encodings_stay_correct_when_slots_collide()
    {
        var encodings = new Utf8Encodings(slotBits: 1);
        var texts = Enumerable.Range(0, 50).Select(i => $"path-{i}-é").ToArray();
        for (var round = 0; round < 3; round++)
            foreach (var text in texts)
                Assert.Equal(Encoding.UTF8.GetBytes(text), Written(encodings.Get(text)));
    }

    private static byte[] Written(WireString field)
    {
        var bytes = new byte[field.ByteCount];
        Assert.Equal(field.ByteCount, field.WriteTo(bytes));
        return bytes;
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
