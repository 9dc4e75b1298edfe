using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using ActorTasks.Hocon;

namespace ActorTasks.Configuration;

/// <summary>
/// Builds a node's configuration from its layers, lowest first: the embedded reference.conf, a role
/// preset (hocon/seed.conf, hocon/worker.conf), a <c>--config</c> file, <c>ACTORTASKS__…</c>
/// environment variables, and <c>-D key=value</c> arguments. Every value keeps its origin, so the
/// resolved tree can say where each setting came from.
/// </summary>
public static partial class ConfigLoader
{
    /// <summary>Environment variables with this prefix set <c>actortasks.*</c>: <c>ACTORTASKS__actor__throughput=50</c>.</summary>
    public const string EnvironmentPrefix = "ACTORTASKS__";

    /// <summary>Loads and resolves all layers; throws <see cref="ConfigException"/> naming the bad input.</summary>
    public static Config Load(string? rolePreset, string? configFile, IReadOnlyList<string> defines, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(defines);
        environment ??= Environment.GetEnvironmentVariables();
        var config = FromDefines(defines)
            .WithFallback(FromEnvironment(environment))
            .WithFallback(configFile is null ? ConfigFactory.Empty : ConfigFactory.ParseFile(configFile))
            .WithFallback(rolePreset is null ? ConfigFactory.Empty : LoadPreset(rolePreset))
            .WithFallback(ReferenceConfig.Load());
        var lookup = environment;
        return config.Resolve(new ConfigResolveOptions { Environment = name => lookup.Contains(name) ? lookup[name]?.ToString() : null });
    }

    /// <summary>
    /// The settings given by <c>ACTORTASKS__a__b=value</c> variables: <c>__</c> separates path elements,
    /// names are lower-cased and a single <c>_</c> stands for <c>-</c> (<c>ACTORTASKS__ACTOR__ASK_TIMEOUT</c>
    /// sets <c>actortasks.actor.ask-timeout</c>). Values are read as HOCON values, else as plain strings.
    /// </summary>
    public static Config FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var names = environment.Keys.OfType<string>()
            .Where(n => n.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => n, StringComparer.Ordinal);
        var result = ConfigFactory.Empty;
        foreach (var name in names)
        {
            var origin = ConfigOrigin.Named($"environment variable {name}");
            var elements = name[EnvironmentPrefix.Length..].Split("__");
            if (elements.Any(e => e.Length == 0))
                throw new ConfigException($"expected a name like {EnvironmentPrefix}actor__throughput but found an empty path element in {name}", origin);
            var keys = elements.Select(e => e.ToLowerInvariant().Replace('_', '-')).Prepend("actortasks").ToArray();
            var value = ReadValue(environment[name]?.ToString() ?? "", origin);
            result = ConfigFactory.FromKeys(keys, value).WithFallback(result);
        }
        return result;
    }

    /// <summary>The settings given by <c>-D key=value</c> arguments; later arguments win.</summary>
    public static Config FromDefines(IReadOnlyList<string> defines)
    {
        ArgumentNullException.ThrowIfNull(defines);
        var result = ConfigFactory.Empty;
        foreach (var define in defines)
        {
            var origin = ConfigOrigin.Named($"-D {define}");
            var eq = define.IndexOf('=');
            if (eq < 0)
                throw new ConfigException($"expected key=value (e.g. -D actortasks.actor.throughput=50) but found no '='", origin);
            var key = define[..eq].Trim();
            if (key.Length == 0)
                throw new ConfigException($"expected a key before '=' but found none", origin);
            Config single;
            try
            {
                single = ConfigFactory.FromPath(key, ReadValue(define[(eq + 1)..], origin));
            }
            catch (ConfigException e)
            {
                throw new ConfigException($"expected a key path like actortasks.actor.throughput but found '{key}' ({e.Reason})", origin, inner: e);
            }
            result = single.WithFallback(result);
        }
        return result;
    }

    /// <summary>
    /// A role preset: <c>hocon/{role}.conf</c> next to the executable (so it can be edited where it is
    /// deployed), else the copy embedded in the executable as <c>ActorTasks.{role}.conf</c>.
    /// </summary>
    public static Config LoadPreset(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var display = $"hocon/{role}.conf";
        if (!RoleName().IsMatch(role))
            throw new ConfigException($"expected a role preset name such as seed or worker but found '{role}'", ConfigOrigin.Named("role preset"));
        var file = Path.Combine(AppContext.BaseDirectory, "hocon", role + ".conf");
        if (File.Exists(file))
        {
            return ConfigFactory.ParseBytes(File.ReadAllBytes(file),
                new ConfigParseOptions { OriginName = display, BaseDirectory = Path.GetDirectoryName(file) });
        }
        var resource = $"ActorTasks.{role}.conf";
        foreach (var assembly in CandidateAssemblies())
        {
            if (assembly.GetManifestResourceInfo(resource) is not null)
                return ConfigFactory.ParseResource(assembly, resource, display + " (embedded)");
        }
        throw new ConfigException(
            $"expected the role preset '{role}' as {file} or as an embedded resource {resource} but found neither (known presets: seed, worker)",
            ConfigOrigin.Named("role preset"));
    }

    private static IEnumerable<Assembly> CandidateAssemblies()
    {
        if (Assembly.GetEntryAssembly() is { } entry)
            yield return entry;
        yield return typeof(ConfigLoader).Assembly;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.GetName().Name is { } name && name.StartsWith("actortasks", StringComparison.OrdinalIgnoreCase))
                yield return assembly;
        }
    }

    /// <summary>A value given on its own: HOCON when it reads as exactly one value, otherwise the text as a string.</summary>
    private static ConfigValue ReadValue(string text, ConfigOrigin origin)
    {
        if (text.Trim().Length == 0)
            return new ConfigString(text, origin);
        try
        {
            return ConfigFactory.ParseValue(text, origin);
        }
        catch (ConfigException)
        {
            return new ConfigString(text, origin);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex RoleName();
}
