using System.Linq.Expressions;
using System.Reflection;
using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>
/// The recipe for an actor: how to construct it, and options such as its mailbox and supervisor strategy.
/// Immutable and shareable; every restart builds a new instance from the same recipe.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    // Evaluated only when asked for (remote deployment): a `new T(…)` expression's arguments are not run at Create.
    private readonly Func<object?[]?> _arguments;

    private Props(Type actorType, Func<ActorBase> factory, Func<object?[]?> arguments)
    {
        ActorType = actorType;
        _factory = factory;
        _arguments = arguments;
    }

    // Copies every option, so each With… method names only the one it changes.
    private Props(Props other) : this(other.ActorType, other._factory, other._arguments)
    {
        MailboxCapacity = other.MailboxCapacity;
        SupervisorStrategy = other.SupervisorStrategy;
        RouterConfig = other.RouterConfig;
        Deploy = other.Deploy;
    }

    public Type ActorType { get; }

    /// <summary>Mailbox capacity for this actor: null uses the system default, 0 means unbounded.</summary>
    public int? MailboxCapacity { get; private init; }

    /// <summary>Overrides the actor's own <c>SupervisorStrategy</c> for its children, when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; private init; }

    /// <summary>Router configuration, when these props describe a router (see ActorTasks.Routing).</summary>
    public Routing.RouterConfig? RouterConfig { get; private init; }

    /// <summary>Where the actor runs; null means "as configured under actortasks.actor.deployment, else locally".</summary>
    public Deploy? Deploy { get; private init; }

    /// <summary>
    /// The constructor arguments, when the props were made from a type and arguments (or a <c>new T(…)</c> expression):
    /// what remote deployment sends to the other node. Null for props made from a delegate.
    /// </summary>
    public IReadOnlyList<object?>? Arguments => _arguments();

    /// <summary>Props for <typeparamref name="T"/> built by the given constructor expression, e.g. <c>() => new Worker(42)</c>.</summary>
    public static Props Create<T>(Expression<Func<T>> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        var compiled = factory.Compile();
        return new Props(typeof(T), () => compiled(), () => ConstructorArguments(factory));
    }

    /// <summary>Props for <typeparamref name="T"/> built with the constructor that matches <paramref name="args"/>.</summary>
    public static Props Create<T>(params object?[] args) where T : ActorBase => Create(typeof(T), args);

    /// <summary>Props for an actor type given at run time (by the program, never by a name from the network).</summary>
    public static Props Create(Type actorType, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        if (!typeof(ActorBase).IsAssignableFrom(actorType) || actorType.IsAbstract)
            throw new ArgumentException($"{actorType} is not a concrete actor type (it must derive from ActorBase)", nameof(actorType));
        args ??= [null];
        var ctor = FindConstructor(actorType, args);
        if (args.Length == 0)
        {
            var create = Expression.Lambda<Func<ActorBase>>(Expression.New(ctor)).Compile();
            return new Props(actorType, create, () => []);
        }
        var copy = (object?[])args.Clone();
        return new Props(actorType, () => (ActorBase)ctor.Invoke(copy), () => copy);
    }

    /// <summary>Props from a plain factory delegate.</summary>
    public static Props CreateBy<T>(Func<T> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(T), factory, () => null);
    }

    /// <summary>The same props with a mailbox capacity of its own (0 = unbounded).</summary>
    public Props WithMailboxCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        return new Props(this) { MailboxCapacity = capacity };
    }

    /// <summary>The same props, supervising children with <paramref name="strategy"/> whatever the actor says.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(this) { SupervisorStrategy = strategy };
    }

    /// <summary>The same props behind a router (pool or group).</summary>
    public Props WithRouter(Routing.RouterConfig routerConfig)
    {
        ArgumentNullException.ThrowIfNull(routerConfig);
        return new Props(this) { RouterConfig = routerConfig };
    }

    /// <summary>The same props deployed as <paramref name="deploy"/> says, e.g. <c>Deploy.Remote("actortasks://sys@host:4053")</c>.</summary>
    public Props WithDeploy(Deploy deploy)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        return new Props(this) { Deploy = deploy };
    }

    /// <summary>The same props without a router: what a router uses for its routees.</summary>
    internal Props WithoutRouter() => new(this) { RouterConfig = null };

    internal ActorBase NewActor() => _factory();

    internal IMessageQueue CreateQueue(int systemDefaultCapacity)
    {
        var capacity = MailboxCapacity ?? systemDefaultCapacity;
        return capacity > 0 ? new BoundedMessageQueue(capacity) : new UnboundedMessageQueue();
    }

    // `() => new T(a, b)` gives its argument values (evaluated on each call) so the props can be sent to another node;
    // any other expression shape (a factory method, an object initializer) cannot, and gets null.
    private static object?[]? ConstructorArguments(LambdaExpression factory)
    {
        if (factory.Body is not NewExpression { Constructor: not null } call) return null;
        var values = new object?[call.Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var argument = call.Arguments[i];
            values[i] = argument is ConstantExpression constant
                ? constant.Value
                : Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile()();
        }
        return values;
    }

    private static ConstructorInfo FindConstructor(Type type, object?[] args)
    {
        var candidates = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(c => Matches(c.GetParameters(), args))
            .ToArray();
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new ArgumentException(
                $"{type.Name} has no constructor taking ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))})"),
            _ => throw new ArgumentException(
                $"{type.Name} has {candidates.Length} constructors matching ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))}); use Props.Create(() => new {type.Name}(...))"),
        };
    }

    private static bool Matches(ParameterInfo[] parameters, object?[] args)
    {
        if (parameters.Length != args.Length) return false;
        for (var i = 0; i < args.Length; i++)
        {
            var p = parameters[i].ParameterType;
            if (args[i] is null)
            {
                if (p.IsValueType && Nullable.GetUnderlyingType(p) is null) return false;
            }
            else if (!p.IsInstanceOfType(args[i])) return false;
        }
        return true;
    }

    public override string ToString() => $"Props({ActorType.Name})";
}
