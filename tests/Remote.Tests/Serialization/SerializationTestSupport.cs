using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;

namespace ActorTasks.Remote.Tests.Serialization;

/// <summary>A ref that only has a path: enough for serialization, which never sends through it.</summary>
public sealed class FakeActorRef(ActorPath path) : IActorRef
{
    public FakeActorRef(string path) : this(ActorPath.Parse(path)) { }

    public ActorPath Path { get; } = path;

    public List<object> Received { get; } = [];

    public void Tell(object message, IActorRef? sender) => Received.Add(message);

    public bool Equals(IActorRef? other) => other is not null && other.Path.Uid == Path.Uid && other.Path.Equals(Path);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Path, Path.Uid);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"[{Path.ToStringWithUid()}]";
}

/// <summary>Stands in for the remote provider: paths with uid on the way out (cached per ref, as a provider would), fake refs on the way in.</summary>
public sealed class FakeResolver : IActorRefResolver
{
    private readonly ConcurrentDictionary<IActorRef, string> _paths = new(ReferenceEqualityComparer.Instance);

    public int Resolved;

    public string Serialize(IActorRef actorRef) =>
        actorRef is Nobody ? "" : _paths.GetOrAdd(actorRef, r => r.Path.ToStringWithUid());

    public IActorRef Resolve(string path)
    {
        Interlocked.Increment(ref Resolved);
        return path.Length == 0 ? Nobody.Instance : new FakeActorRef(ActorPath.Parse(path));
    }
}

/// <summary>A user message holding refs, as an application would send it between nodes.</summary>
public sealed record OrderPlaced(string OrderId, int Quantity, IActorRef ReplyTo, IActorRef? Watcher, IReadOnlyList<IActorRef> Observers);

/// <summary>A user message without refs.</summary>
public sealed record WorkDone(string TaskId, double Seconds);

/// <summary>A base and a derived message, to show that lookups are by exact type.</summary>
public record Shape(string Name);

public sealed record Circle(string Name, double Radius) : Shape(Name);

/// <summary>A user's source-generated context that knows nothing about ActorTasks' converter.</summary>
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(WorkDone))]
[JsonSerializable(typeof(Shape))]
public partial class ShopJsonContext : JsonSerializerContext;

/// <summary>A user's source-generated context that lists the converter itself.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(ActorRefJsonConverter)])]
[JsonSerializable(typeof(OrderPlaced))]
public partial class ConverterListingJsonContext : JsonSerializerContext;

internal static class Refs
{
    public const string RemoteNode = "actortasks://shop@10.0.0.5:4053";

    public static FakeActorRef Remote(string name, long uid) => new($"{RemoteNode}/user/{name}#{uid}");
}
