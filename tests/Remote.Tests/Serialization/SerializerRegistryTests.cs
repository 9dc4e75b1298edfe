using System.Buffers;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace ActorTasks.Remote.Tests.Serialization;

public sealed class SerializerRegistryTests
{
    [Fact]
    public void Registering_a_second_manifest_for_the_same_type_fails_naming_both()
    {
        var registry = new SerializerRegistry().RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone);

        var error = Assert.Throws<ArgumentException>(() => registry.RegisterJson<WorkDone>("test.work-done-v2"));

        Assert.Contains("WorkDone is already registered under manifest 'test.work-done'", error.Message);
    }

    [Fact]
    public void Registering_a_taken_manifest_for_another_type_fails_naming_the_owner()
    {
        var registry = new SerializerRegistry().RegisterJson("test.thing", ShopJsonContext.Default.WorkDone);

        var error = Assert.Throws<ArgumentException>(() => registry.RegisterProtobuf("test.thing", Timestamp.Parser));

        Assert.Contains("manifest 'test.thing' is already used by ActorTasks.Remote.Tests.Serialization.WorkDone", error.Message);
        Assert.False(registry.TryGetByType(typeof(Timestamp), out _));
    }

    [Fact]
    public void Built_in_types_cannot_be_registered_again()
    {
        var error = Assert.Throws<ArgumentException>(() => SerializerRegistry.CreateDefault().RegisterJson<string>("my.string"));

        Assert.Contains("'actortasks.string'", error.Message);
    }

    [Fact]
    public void Registration_after_freeze_fails_and_says_to_register_at_startup()
    {
        var registry = SerializerRegistry.CreateDefault();
        _ = new MessageSerializer(registry, new FakeResolver(), maximumFrameSize: 1024);

        Assert.True(registry.IsFrozen);
        var error = Assert.Throws<InvalidOperationException>(() => registry.RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone));
        Assert.Contains("frozen", error.Message);
        Assert.Contains("at startup", error.Message);
        Assert.False(registry.TryGetByManifest("test.work-done", out _));
    }

    [Fact]
    public void Lookups_work_the_same_before_and_after_freeze()
    {
        var registry = SerializerRegistry.CreateDefault().RegisterJson("test.work-done", ShopJsonContext.Default.WorkDone);
        var before = registry.GetByType(typeof(WorkDone));

        registry.Freeze();
        registry.Freeze();

        Assert.Same(before, registry.GetByType(typeof(WorkDone)));
        Assert.True(registry.TryGetByManifest("test.work-done", out var byManifest));
        Assert.Same(before, byManifest);
        Assert.Equal(SerializerRegistry.CreateDefault().Registrations.Count + 1, registry.Registrations.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("System.IO.FileInfo, System.IO")]
    [InlineData("new\nline")]
    public void Manifests_must_be_short_plain_names(string manifest)
    {
        var error = Assert.Throws<ArgumentException>(() => new SerializerRegistry().RegisterJson(manifest, ShopJsonContext.Default.WorkDone));

        Assert.Equal("manifest", error.ParamName);
    }

    [Fact]
    public void Abstract_and_interface_types_are_refused_because_lookups_use_the_exact_runtime_type()
    {
        var error = Assert.Throws<ArgumentException>(() => new SerializerRegistry().Register<IActorRef>("test.ref", new EchoSerializer()));

        Assert.Contains("exact runtime type", error.Message);
    }

    [Fact]
    public void Custom_serializers_need_an_id_of_100_or_more()
    {
        var registry = new SerializerRegistry();

        var error = Assert.Throws<ArgumentException>(() => registry.Register<WorkDone>("test.work-done", new EchoSerializer(id: 3)));

        Assert.Contains("reserved", error.Message);
        registry.Register<WorkDone>("test.work-done", new EchoSerializer(id: 100));
        Assert.Equal(100, registry.GetByType(typeof(WorkDone)).Serializer.Id);
    }

    [Fact]
    public void Unregistered_type_error_names_the_type_and_shows_how_to_register_it()
    {
        var registry = SerializerRegistry.CreateDefault();

        var error = Assert.Throws<UnregisteredMessageTypeException>(() => registry.GetByType(typeof(WorkDone)));

        Assert.Equal(typeof(WorkDone), error.MessageType);
        Assert.Contains("ActorTasks.Remote.Tests.Serialization.WorkDone", error.Message);
        Assert.Contains("registry.RegisterJson<WorkDone>(\"my-app.work-done\", MyJsonContext.Default.WorkDone)", error.Message);
        Assert.Contains("[JsonSerializable(typeof(WorkDone))]", error.Message);
        Assert.Contains("RegisterProtobuf<WorkDone>", error.Message);
    }

    [Fact]
    public void Unregistered_subtype_error_explains_that_the_base_type_does_not_count()
    {
        var registry = new SerializerRegistry().RegisterJson("test.shape", ShopJsonContext.Default.Shape);

        var error = Assert.Throws<UnregisteredMessageTypeException>(() => registry.GetByType(typeof(Circle)));

        Assert.Contains("ActorTasks.Remote.Tests.Serialization.Shape is registered, but messages are matched by their exact type: register Circle itself", error.Message);
    }

    [Fact]
    public void Generic_types_are_named_as_in_CSharp_in_the_error()
    {
        var error = Assert.Throws<UnregisteredMessageTypeException>(() => new SerializerRegistry().GetByType(typeof(List<WorkDone>)));

        Assert.Contains("System.Collections.Generic.List<ActorTasks.Remote.Tests.Serialization.WorkDone>", error.Message);
        Assert.Contains("RegisterJson<List<WorkDone>>(\"my-app.list\", MyJsonContext.Default.ListWorkDone)", error.Message);
    }

    [Fact]
    public void Concurrent_lookups_after_freeze_all_succeed()
    {
        var registry = SerializerRegistry.CreateDefault();
        registry.Freeze();

        Parallel.For(0, 10_000, i =>
        {
            Assert.True(registry.TryGetByType(i % 2 == 0 ? typeof(string) : typeof(int), out _));
            Assert.True(registry.TryGetByManifest("actortasks.terminated", out _));
        });
    }

    private sealed class EchoSerializer(int id = 100) : ISerializer
    {
        public int Id => id;

        public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context) { }

        public object FromBinary(ReadOnlySpan<byte> bytes, System.Type type, SerializationContext context) => new WorkDone("", 0);
    }
}
