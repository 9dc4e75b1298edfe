using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>What serializers may use besides the message: the registry (for nested messages) and the actor-ref resolver.</summary>
public sealed class SerializationContext
{
    // Set for the duration of one synchronous ToBinary/FromBinary call, so that converters the user declared
    // in a source-generated JSON context (which cannot be handed a context) still find the resolver.
    [ThreadStatic] private static SerializationContext? t_current;

    /// <summary>Creates a context over <paramref name="registry"/> and <paramref name="resolver"/>.</summary>
    public SerializationContext(SerializerRegistry registry, IActorRefResolver resolver)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>The registry that maps types to manifests and serializers.</summary>
    public SerializerRegistry Registry { get; }

    /// <summary>Converts actor refs inside messages to strings and back.</summary>
    public IActorRefResolver Resolver { get; }

    /// <summary>The context of the serialization running on this thread, if any.</summary>
    internal static SerializationContext? Current => t_current;

    /// <summary>The wire form of a ref that may be null; null and Nobody both become "".</summary>
    public string SerializeRef(IActorRef? actorRef) =>
        actorRef is null or Nobody ? "" : Resolver.Serialize(actorRef) ?? "";

    /// <summary>A working ref for a wire path; "" gives Nobody.</summary>
    public IActorRef ResolveRef(string path) =>
        string.IsNullOrEmpty(path) ? Nobody.Instance : Resolver.Resolve(path) ?? Nobody.Instance;

    /// <summary>Makes this context <see cref="Current"/> until the returned scope is disposed.</summary>
    internal Scope Enter()
    {
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    internal readonly struct Scope(SerializationContext? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
