using System.Text;

namespace ActorTasks.Actor;

/// <summary>
/// The logical place of an actor in its system's tree, e.g. <c>actortasks://tasks/user/collector</c>.
/// A path plus a uid names one incarnation; two refs are equal when both match.
/// </summary>
public abstract class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    /// <summary>Uid meaning "any incarnation" (paths built by hand, selections).</summary>
    public const long UndefinedUid = 0;

    private protected ActorPath(string name, long uid)
    {
        Name = name;
        Uid = uid;
    }

    public string Name { get; }

    public long Uid { get; }

    public abstract Address Address { get; }

    public abstract ActorPath? Parent { get; }

    public abstract ActorPath Root { get; }

    public abstract int Depth { get; }

    /// <summary>Names from the root's first child down to this one.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var result = new string[Depth];
            ActorPath p = this;
            for (var i = Depth - 1; i >= 0; i--)
            {
                result[i] = p.Name;
                p = p.Parent!;
            }
            return result;
        }
    }

    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    public ActorPath Child(string name, long uid = UndefinedUid) => new ChildActorPath(this, name, uid);

    public ActorPath WithUid(long uid) => uid == Uid ? this : Parent is null ? this : new ChildActorPath(Parent, Name, uid);

    /// <summary>An actor name is non-empty, has no '/', no whitespace, no '#', and does not start with '$' (reserved).</summary>
    public static bool IsValidName(string? name, bool allowSystemPrefix = false)
    {
        if (string.IsNullOrEmpty(name)) return false;
        if (name[0] == '$' && !allowSystemPrefix) return false;
        foreach (var c in name)
        {
            if (c is '/' or '#' or '?' or '%' or '"' or '\\' or '@' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
                return false;
        }
        return true;
    }

    /// <summary>Parses <c>actortasks://sys[@host:port]/user/a/b</c>; a '#uid' suffix is kept.</summary>
    public static ActorPath Parse(string text)
    {
        if (!TryParse(text, out var path))
            throw new FormatException($"invalid actor path '{text}': expected 'actortasks://system[@host:port]/user/name'");
        return path;
    }

    public static bool TryParse(string text, out ActorPath path)
    {
        path = null!;
        if (string.IsNullOrEmpty(text) || !Address.TryParse(text, out var address, out _)) return false;
        var start = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = text.IndexOf('/', start);
        ActorPath result = new RootActorPath(address);
        if (slash < 0) { path = result; return true; }
        var segments = text[(slash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            long uid = UndefinedUid;
            var hash = segment.IndexOf('#');
            if (hash >= 0)
            {
                if (i != segments.Length - 1 || !long.TryParse(segment[(hash + 1)..], out uid)) return false;
                segment = segment[..hash];
            }
            if (!IsValidName(segment, allowSystemPrefix: true)) return false;
            result = new ChildActorPath(result, segment, uid);
        }
        path = result;
        return true;
    }

    /// <summary>The path without address: <c>/user/a/b</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Depth == 0) return "/";
        var sb = new StringBuilder();
        foreach (var e in Elements) sb.Append('/').Append(e);
        return sb.ToString();
    }

    public string ToStringWithUid() => Uid == UndefinedUid ? ToString() : $"{this}#{Uid}";

    public string ToStringWithAddress(Address address) => address + ToStringWithoutAddress();

    public override string ToString() => Address + ToStringWithoutAddress();

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || Depth != other.Depth) return false;
        ActorPath? a = this, b = other;
        while (a is not null && b is not null)
        {
            if (a.Parent is null) return b.Parent is null && a.Address.Equals(b.Address);
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal)) return false;
            a = a.Parent;
            b = b.Parent;
        }
        return false;
    }

    public override bool Equals(object? obj) => obj is ActorPath p && Equals(p);

    public override int GetHashCode()
    {
        var h = new HashCode();
        for (ActorPath? p = this; p is not null; p = p.Parent)
            h.Add(p.Parent is null ? p.Address.GetHashCode() : StringComparer.Ordinal.GetHashCode(p.Name));
        return h.ToHashCode();
    }

    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator ==(ActorPath? a, ActorPath? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(ActorPath? a, ActorPath? b) => !(a == b);
}

/// <summary>The root of a system's tree ("/").</summary>
public sealed class RootActorPath(Address address) : ActorPath("", UndefinedUid)
{
    public override Address Address { get; } = address;
    public override ActorPath? Parent => null;
    public override ActorPath Root => this;
    public override int Depth => 0;
}

/// <summary>A named child of another path.</summary>
public sealed class ChildActorPath : ActorPath
{
    private readonly ActorPath _parent;

    public ChildActorPath(ActorPath parent, string name, long uid) : base(name, uid)
    {
        _parent = parent;
        Depth = parent.Depth + 1;
    }

    public override Address Address => _parent.Address;
    public override ActorPath Parent => _parent;
    public override ActorPath Root => _parent.Root;
    public override int Depth { get; }
}
