using System.Diagnostics.CodeAnalysis;
using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

public sealed partial class SerializerRegistry
{
    // Actor types other nodes may ask this node to create (remote deployment), under stable names: the only
    // way a name from the network becomes an actor type. Guarded by _gate like the message registrations.
    private readonly Dictionary<string, Type> _deployablesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _deployableNames = [];

    /// <summary>
    /// Lets other nodes deploy <typeparamref name="TActor"/> on this node (and this node deploy it on others) under
    /// <paramref name="name"/>. Register it on both nodes, with every constructor argument type registered as a message.
    /// </summary>
    public SerializerRegistry RegisterDeployable<TActor>(string name) where TActor : ActorBase
    {
        ValidateManifest(name);
        var type = typeof(TActor);
        if (type.IsAbstract || type.ContainsGenericParameters)
            throw new ArgumentException($"cannot register {TypeNames.Friendly(type)} as deployable: it must be a concrete actor type", nameof(TActor));
        lock (_gate)
        {
            if (_frozen is not null)
                throw new InvalidOperationException(
                    $"cannot register {TypeNames.Friendly(type)} as deployable '{name}': the serializer registry is frozen (remoting has started)");
            if (_deployableNames.TryGetValue(type, out var existing))
                throw new ArgumentException($"{TypeNames.Friendly(type)} is already deployable as '{existing}'", nameof(TActor));
            if (_deployablesByName.TryGetValue(name, out var other))
                throw new ArgumentException($"deployable name '{name}' is already used by {TypeNames.Friendly(other)}", nameof(name));
            _deployablesByName.Add(name, type);
            _deployableNames.Add(type, name);
        }
        return this;
    }

    /// <summary>The name <paramref name="actorType"/> was registered under with <see cref="RegisterDeployable{TActor}"/>.</summary>
    public bool TryGetDeployableName(Type actorType, [NotNullWhen(true)] out string? name)
    {
        lock (_gate) return _deployableNames.TryGetValue(actorType, out name);
    }

    /// <summary>The actor type registered as deployable under <paramref name="name"/>.</summary>
    public bool TryGetDeployable(string name, [NotNullWhen(true)] out Type? actorType)
    {
        lock (_gate) return _deployablesByName.TryGetValue(name, out actorType);
    }
}
