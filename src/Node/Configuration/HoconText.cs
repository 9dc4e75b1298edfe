using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTasks.Node.Configuration;

/// <summary>
/// Reads HOCON text into an Akka <see cref="Config"/> safely: the structure is checked first (<see cref="HoconSyntax"/>),
/// <c>include "file"</c> is read relative to the including file, and substitutions are followed before anything uses
/// them, so that one referring to itself or doubling at each line stops with a message instead of overflowing the
/// stack or filling memory (Akka resolves them lazily, and without a bound).
/// </summary>
public static class HoconText
{
    /// <summary>The most characters one value may hold once its substitutions are resolved.</summary>
    public const long MaxResolvedLength = 1 << 20;

    private const int MaxIncludeDepth = 8;

    /// <summary>Parses <paramref name="text"/>; problems throw <see cref="ConfigException"/> naming <paramref name="source"/>.</summary>
    public static Config Parse(string text, string source, string? baseDirectory = null) => Parse(text, source, baseDirectory, 0);

    /// <summary>Reads and parses a file; a missing or unreadable file throws <see cref="ConfigException"/> naming it.</summary>
    public static Config ParseFile(string path)
    {
        var full = Path.GetFullPath(path);
        return Parse(ReadFile(full, path), path, Path.GetDirectoryName(full), 0);
    }

    private static Config Parse(string text, string source, string? baseDirectory, int depth)
    {
        HoconSyntax.Check(text, source);
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text, include => Include(include, source, baseDirectory, depth));
        }
        catch (ConfigException)
        {
            throw;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new ConfigException($"{source}: {Describe(e)}");
        }
        if (config.Root is { } root) new TreeCheck(source).Size(root, "");
        return config;
    }

    private static HoconRoot Include(string name, string source, string? baseDirectory, int depth)
    {
        var file = name.Trim().Trim('"');
        if (depth >= MaxIncludeDepth)
            throw new ConfigException($"{source}: include \"{file}\": includes nest deeper than {MaxIncludeDepth} files (does a file include itself?)");
        var full = Path.GetFullPath(file, baseDirectory ?? Environment.CurrentDirectory);
        var text = ReadFile(full, $"{source}: include \"{file}\"");
        Parse(text, full, Path.GetDirectoryName(full), depth + 1);
        return Parser.Parse(text, inner => Include(inner, full, Path.GetDirectoryName(full), depth + 1));
    }

    private static string ReadFile(string full, string display)
    {
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(e is FileNotFoundException or DirectoryNotFoundException
                ? $"{display}: no such file ({full})"
                : $"{display}: cannot be read: {e.Message}");
        }
    }

    private static string Describe(Exception e) => e.Message.StartsWith("Unresolved substitution", StringComparison.Ordinal)
        ? $"{e.Message.TrimEnd('.')} (a substitution can refer only to keys of the same file)"
        : e.Message;

    /// <summary>Walks the parsed tree once, following substitutions, with a bound on each value's resolved size.</summary>
    private sealed class TreeCheck(string source)
    {
        private readonly Dictionary<HoconValue, long> _sizes = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<HoconValue> _onPath = new(ReferenceEqualityComparer.Instance);

        public long Size(HoconValue value, string path)
        {
            if (_sizes.TryGetValue(value, out var known)) return known;
            if (!_onPath.Add(value))
                throw new ConfigException($"{source}: the value of '{path}' refers to itself through its substitutions");
            if (value.Values.Count == 0 && path.Length > 0)
                throw new ConfigException($"{source}: the key '{path}' has no value");
            long size = 0;
            foreach (var element in value.Values)
            {
                size += element switch
                {
                    HoconLiteral literal => literal.Value?.Length ?? 0,
                    HoconSubstitution substitution => substitution.ResolvedValue is { } resolved ? Size(resolved, substitution.Path) : 0,
                    HoconObject obj => obj.Items.Sum(item => Size(item.Value, path.Length == 0 ? item.Key : $"{path}.{item.Key}")),
                    HoconArray array => array.Sum(item => Size(item, path)),
                    _ => 0,
                };
                if (size > MaxResolvedLength)
                    throw new ConfigException($"{source}: the value of '{path}' grows past {MaxResolvedLength:N0} characters once its substitutions are resolved");
            }
            _onPath.Remove(value);
            _sizes[value] = size;
            return size;
        }
    }
}
