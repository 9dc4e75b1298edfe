using System.Reflection;
using System.Text;
using ActorTasks.Hocon.Resolution;

namespace ActorTasks.Hocon.Parsing;

internal enum IncludeKind
{
    Default,
    File,
    Classpath,
    Url,
}

/// <summary>
/// Where the document being parsed came from, so that includes resolve next to it: a directory for
/// files, an assembly and resource folder for embedded resources. Also carries the chain of sources
/// being parsed, which turns include cycles into errors.
/// </summary>
internal sealed class IncludeContext
{
    public const int MaxIncludeDepth = 50;

    private static readonly string[] Extensions = [".properties", ".json", ".conf"];

    private readonly string? _directory;
    private readonly Assembly? _assembly;
    private readonly string _resourceFolder;
    private readonly string[] _chain;

    private IncludeContext(string? directory, Assembly? assembly, string resourceFolder, string[] chain)
    {
        _directory = directory;
        _assembly = assembly;
        _resourceFolder = resourceFolder;
        _chain = chain;
    }

    /// <summary>For text parsed from a string: relative includes resolve against the given directory or the current one.</summary>
    public static IncludeContext ForText(string? baseDirectory) =>
        new(baseDirectory is null ? null : Path.GetFullPath(baseDirectory), null, "", []);

    /// <summary>Context used where include statements cannot occur.</summary>
    public static readonly IncludeContext NoIncludes = new(null, null, "", []);

    public static IncludeContext ForFile(string fullPath) =>
        new(Path.GetDirectoryName(fullPath), null, "", [fullPath]);

    public static IncludeContext ForResource(Assembly assembly, string resourceName) =>
        new(null, assembly, ResourceFolder(resourceName), [ResourceId(assembly, resourceName)]);

    public ConfigObject Include(string name, IncludeKind kind, bool required, ConfigPath prefix, ConfigOrigin at)
    {
        if (kind == IncludeKind.Url)
            throw new ConfigException($"expected a file or classpath include but found url(\"{name}\"): URL includes are not supported", at);
        if (_chain.Length >= MaxIncludeDepth)
            throw new ConfigException($"expected includes nested at most {MaxIncludeDepth} deep but found more while including '{name}'", at);

        var fromResources = kind == IncludeKind.Classpath || (kind == IncludeKind.Default && _assembly is not null);
        var sources = fromResources ? FindResources(name) : FindFiles(name);
        if (sources.Count == 0)
        {
            if (required)
                throw new ConfigException($"expected the required include '{name}' to exist but found nothing ({(fromResources ? "embedded resources" : "files")} looked for: {string.Join(", ", Candidates(name, fromResources))})", at);
            return ConfigObject.Empty(at);
        }

        ConfigObject? merged = null;
        foreach (var source in sources)
        {
            if (Array.IndexOf(_chain, source.Id) >= 0)
            {
                var names = _chain.Append(source.Id).Select(Display);
                throw new ConfigException($"expected includes without a cycle but found one: {string.Join(" -> ", names)}", at);
            }
            var parsed = source.Parse(prefix, this);
            merged = merged is null ? parsed : (ConfigObject)ValueMerger.Merge(parsed, merged, inPlace: true);
        }
        return merged!;
    }

    private sealed record Source(string Id, string Description, Func<string> Read, string Format, IncludeContext Child)
    {
        public ConfigObject Parse(ConfigPath prefix, IncludeContext parent)
        {
            var origin = new ConfigOrigin(Description);
            var text = Read();
            return Format == ".properties"
                ? PropertiesParser.Parse(text, origin)
                : Parser.ParseDocument(text, origin, Child, prefix);
        }
    }

    private List<Source> FindFiles(string name)
    {
        var full = Path.IsPathRooted(name) ? name : Path.Combine(_directory ?? Environment.CurrentDirectory, name);
        full = Path.GetFullPath(full);
        var found = new List<Source>();
        foreach (var candidate in FileCandidates(full))
        {
            if (File.Exists(candidate))
                found.Add(FileSource(candidate));
        }
        if (found.Count == 0 && !HasKnownExtension(full) && File.Exists(full))
            found.Add(FileSource(full));
        return found;
    }

    private Source FileSource(string fullPath) => new(
        fullPath,
        DisplayPath(fullPath),
        () => ReadFile(fullPath),
        Path.GetExtension(fullPath).ToLowerInvariant(),
        new IncludeContext(Path.GetDirectoryName(fullPath), null, "", [.. _chain, fullPath]));

    private List<Source> FindResources(string name)
    {
        var found = new List<Source>();
        if (_assembly is null)
            return found;
        var available = _assembly.GetManifestResourceNames();
        foreach (var candidate in ResourceCandidates(name))
        {
            var match = available.FirstOrDefault(r => r == candidate);
            if (match is null)
                continue;
            var assembly = _assembly;
            var id = ResourceId(assembly, match);
            found.Add(new Source(id, match, () => ReadResource(assembly, match), ResourceExtension(match),
                new IncludeContext(null, assembly, ResourceFolder(match), [.. _chain, id])));
        }
        return found;
    }

    private IEnumerable<string> Candidates(string name, bool fromResources) =>
        fromResources ? ResourceCandidates(name) : FileCandidates(Path.GetFullPath(Path.IsPathRooted(name) ? name : Path.Combine(_directory ?? Environment.CurrentDirectory, name)));

    private static IEnumerable<string> FileCandidates(string full) =>
        HasKnownExtension(full) ? [full] : Extensions.Select(e => full + e);

    private IEnumerable<string> ResourceCandidates(string name)
    {
        var trimmed = name.TrimStart('/').Replace('/', '.');
        var bases = name.StartsWith('/') || _resourceFolder.Length == 0 ? [trimmed] : new[] { _resourceFolder + trimmed, trimmed };
        foreach (var b in bases)
        {
            if (HasKnownExtension(b))
                yield return b;
            else
                foreach (var e in Extensions)
                    yield return b + e;
        }
    }

    private static bool HasKnownExtension(string name) =>
        Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static string ResourceExtension(string name) =>
        Extensions.FirstOrDefault(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ?? ".conf";

    /// <summary>"ActorTasks.config.app.conf" lives in "ActorTasks.config."; includes are looked up there first.</summary>
    private static string ResourceFolder(string resourceName)
    {
        var ext = ResourceExtension(resourceName);
        var stem = resourceName.EndsWith(ext, StringComparison.OrdinalIgnoreCase) ? resourceName[..^ext.Length] : resourceName;
        var dot = stem.LastIndexOf('.');
        return dot < 0 ? "" : stem[..(dot + 1)];
    }

    private static string ResourceId(Assembly assembly, string name) => $"resource:{assembly.GetName().Name}:{name}";

    private static string Display(string id) => id.StartsWith("resource:", StringComparison.Ordinal) ? id : DisplayPath(id);

    /// <summary>A path relative to the current directory when it lies below it, else the full path.</summary>
    internal static string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static string ReadFile(string fullPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"expected a readable file but could not read it: {e.Message}", new ConfigOrigin(DisplayPath(fullPath)), inner: e);
        }
        return Decode(bytes, new ConfigOrigin(DisplayPath(fullPath)));
    }

    internal static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new ConfigException($"expected an embedded resource '{name}' in {assembly.GetName().Name} but found none");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Decode(ms.GetBuffer().AsSpan(0, (int)ms.Length), new ConfigOrigin(name));
    }

    /// <summary>Strict UTF-8 (files must be valid UTF-8); a leading byte-order mark is dropped.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, ConfigOrigin origin)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var index = e.Index >= 0 ? e.Index : 0;
            var line = 1 + bytes[..Math.Min(index, bytes.Length)].Count((byte)'\n');
            throw new ConfigException($"expected UTF-8 text but found an invalid byte sequence (byte offset {index})", origin.At(line, 0), inner: e);
        }
    }
}
