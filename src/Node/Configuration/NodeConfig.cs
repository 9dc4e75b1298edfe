using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using ActorTasks.Tasks.Configuration;
using Akka.Configuration;

namespace ActorTasks.Node.Configuration;

/// <summary>One layer of a node's configuration and where it came from (a file, a variable, a <c>-D</c> argument).</summary>
public sealed record ConfigLayer(string Source, Config Config);

/// <summary>
/// A node's configuration, built from its layers, lowest first: the embedded hocon/actortasks.conf, a role preset
/// (hocon/seed.conf, hocon/worker.conf), a <c>--config</c> file, environment variables (<c>ACTORTASKS__…</c> for
/// <c>actortasks.*</c>, <c>AKKA__…</c> for Akka's own keys) and <c>-D key=value</c> arguments. Akka's HOCON keeps no
/// origin per value, so the layers are kept: <see cref="SourceOf"/> names the layer that set a key.
/// </summary>
public sealed partial class NodeConfig
{
    /// <summary>Environment variables with these prefixes set <c>actortasks.*</c> and <c>akka.*</c>.</summary>
    public const string EnvironmentPrefix = "ACTORTASKS__", AkkaEnvironmentPrefix = "AKKA__";

    private NodeConfig(IReadOnlyList<ConfigLayer> layers)
    {
        Layers = layers;
        var merged = layers[^1].Config;
        for (var i = layers.Count - 2; i >= 0; i--) merged = merged.WithFallback(layers[i].Config);
        Config = merged;
    }

    /// <summary>The layers, lowest first.</summary>
    public IReadOnlyList<ConfigLayer> Layers { get; }

    /// <summary>Settings under <c>actortasks.</c> that no part of ActorTasks reads (a typo, most likely), each naming its layer.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>The resolved configuration: every layer, later ones winning.</summary>
    public Config Config { get; }

    /// <summary>The layer that set <paramref name="key"/> (the highest one that has it), or null when none did.</summary>
    public string? SourceOf(string key)
    {
        for (var i = Layers.Count - 1; i >= 0; i--)
        {
            if (HasPathSafe(Layers[i].Config, key)) return Layers[i].Source;
        }
        return null;
    }

    /// <summary>A <see cref="ConfigException"/> for a bad setting, naming the layer that set it.</summary>
    public ConfigException Invalid(SettingsException e) =>
        new(SourceOf(e.Key) is { } source ? $"{source}: {e.Message}" : e.Message, e);

    /// <summary>This configuration with <paramref name="layer"/> on top (e.g. from <c>--port</c>).</summary>
    public NodeConfig With(string source, string hocon) =>
        new([.. Layers, new ConfigLayer(source, HoconText.Parse(hocon, source))]) { Warnings = Warnings };

    /// <summary>Loads and checks every layer; throws <see cref="ConfigException"/> naming the bad input.</summary>
    public static NodeConfig Load(string? rolePreset, string? configFile, IReadOnlyList<string> defines, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(defines);
        environment ??= Environment.GetEnvironmentVariables();
        var layers = new List<ConfigLayer> { new("actortasks.conf (built in)", TaskSystemConfig.Reference) };
        if (rolePreset is not null) layers.Add(LoadPreset(rolePreset));
        if (configFile is not null) layers.Add(new ConfigLayer(configFile, HoconText.ParseFile(configFile)));
        layers.AddRange(FromEnvironment(environment));
        layers.AddRange(defines.Select(FromDefine));
        var config = new NodeConfig(layers);
        config.Warnings = ConfigSchema.Check(config);
        return config;
    }

    /// <summary>
    /// The layers given by <c>ACTORTASKS__a__b=value</c> and <c>AKKA__a__b=value</c> variables: <c>__</c> separates path
    /// elements, names are lower-cased and a single <c>_</c> stands for <c>-</c> (<c>ACTORTASKS__TASKS__MAX_RETRIES</c>
    /// sets <c>actortasks.tasks.max-retries</c>).
    /// </summary>
    public static IEnumerable<ConfigLayer> FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var names = environment.Keys.OfType<string>()
            .Where(n => n.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || n.StartsWith(AkkaEnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var source = $"environment variable {name}";
            var akka = name.StartsWith(AkkaEnvironmentPrefix, StringComparison.OrdinalIgnoreCase);
            var elements = name[(akka ? AkkaEnvironmentPrefix : EnvironmentPrefix).Length..].Split("__");
            if (elements.Any(e => e.Length == 0 || !PathElement().IsMatch(e)))
                throw new ConfigException($"{source}: expected a name like {EnvironmentPrefix}tasks__prefetch or {AkkaEnvironmentPrefix}loglevel, with letters, digits and single underscores between the double ones");
            var key = string.Join('.', elements.Select(e => e.ToLowerInvariant().Replace('_', '-')).Prepend(akka ? "akka" : "actortasks"));
            yield return new ConfigLayer(source, Single(key, environment[name]?.ToString() ?? "", source));
        }
    }

    /// <summary>The layer given by one <c>-D key=value</c> argument.</summary>
    public static ConfigLayer FromDefine(string define)
    {
        ArgumentNullException.ThrowIfNull(define);
        var source = $"-D {define}";
        var eq = define.IndexOf('=');
        if (eq < 0) throw new ConfigException($"{source}: expected key=value (e.g. -D actortasks.tasks.prefetch=64) but found no '='");
        var key = define[..eq].Trim();
        if (key.Length == 0) throw new ConfigException($"{source}: expected a key before '=' but found none");
        if (!KeyPath().IsMatch(key))
            throw new ConfigException($"{source}: expected a key path like actortasks.tasks.prefetch (words of letters, digits, '-' and '_', or quoted, joined by dots) but found '{key}'");
        return new ConfigLayer(source, Single(key, define[(eq + 1)..], source));
    }

    // A value on its own: a list, an object or a quoted string is read as HOCON; a plain word, number, duration or
    // size as itself; anything else (spaces, '#', ':') as the text it is.
    private static Config Single(string key, string value, string source)
    {
        var text = value.Trim();
        var literal = text.Length > 0 && (text[0] is '[' or '{' or '"' || PlainValue().IsMatch(text)) ? text : Quote(value);
        return HoconText.Parse($"{key} = {literal}", source);
    }

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>
    /// A role preset: <c>hocon/{role}.conf</c> next to the executable (so it can be edited where it is deployed), else
    /// the copy embedded in the executable as <c>ActorTasks.{role}.conf</c>.
    /// </summary>
    public static ConfigLayer LoadPreset(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!RoleName().IsMatch(role))
            throw new ConfigException($"role preset: expected a name such as seed or worker but found '{role}'");
        var display = $"hocon/{role}.conf";
        var file = Path.Combine(AppContext.BaseDirectory, "hocon", role + ".conf");
        if (File.Exists(file)) return new ConfigLayer(display, HoconText.Parse(File.ReadAllText(file), display, Path.GetDirectoryName(file)));
        using var stream = typeof(NodeConfig).Assembly.GetManifestResourceStream($"ActorTasks.{role}.conf")
            ?? throw new ConfigException($"role preset: expected '{role}' as {file} or embedded in the executable but found neither (known presets: seed, worker)");
        using var reader = new StreamReader(stream);
        return new ConfigLayer($"{display} (built in)", HoconText.Parse(reader.ReadToEnd(), display));
    }

    private static bool HasPathSafe(Config config, string key)
    {
        try
        {
            return config.HasPath(key);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or ConfigurationException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex RoleName();

    [GeneratedRegex("^[A-Za-z0-9]+([_-][A-Za-z0-9]+)*$")]
    private static partial Regex PathElement();

    [GeneratedRegex("""^([A-Za-z0-9_-]+|"[^"\\]+")(\.([A-Za-z0-9_-]+|"[^"\\]+"))*$""")]
    private static partial Regex KeyPath();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+( ?[A-Za-z]+)?$")]
    private static partial Regex PlainValue();
}
