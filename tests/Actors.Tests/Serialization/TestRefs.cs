using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;

namespace ActorTasks.Tasks.Tests.Serialization;

/// <summary>A ref that only has a path: enough for serialization, which never sends through it.</summary>
public sealed class PathRef(ActorPath path) : IActorRef
{
    public PathRef(string path) : this(ActorPath.Parse(path)) { }

    public ActorPath Path { get; } = path;

    public void Tell(object message, IActorRef? sender) => throw new NotSupportedException("a PathRef only stands for an address");

    public bool Equals(IActorRef? other) => other is not null && other.Path.Uid == Path.Uid && other.Path.Equals(Path);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Path, Path.Uid);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);
}

/// <summary>Stands in for the remote provider: full paths with uid out, <see cref="PathRef"/>s in.</summary>
public sealed class PathResolver : IActorRefResolver
{
    public string Serialize(IActorRef actorRef) => actorRef is Nobody ? "" : actorRef.Path.ToStringWithUid();

    public IActorRef Resolve(string path) => path.Length == 0 ? Nobody.Instance : new PathRef(path);
}
