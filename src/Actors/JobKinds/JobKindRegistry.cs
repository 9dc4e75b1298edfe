using ActorTasks.Tasks.JobKinds.CsvStats;
using ActorTasks.Tasks.JobKinds.Download;
using ActorTasks.Tasks.JobKinds.Grep;
using ActorTasks.Tasks.JobKinds.Hash;
using ActorTasks.Tasks.JobKinds.Images;
using ActorTasks.Tasks.JobKinds.Noop;
using ActorTasks.Tasks.JobKinds.Plugins;
using ActorTasks.Tasks.JobKinds.Primes;
using ActorTasks.Tasks.JobKinds.WordCount;

namespace ActorTasks.Tasks.JobKinds;

/// <summary>The job kinds a node knows, by name: the built-in ones and those loaded from plug-ins.</summary>
public sealed class JobKindRegistry
{
    private readonly Dictionary<string, IJobKind> _kinds = new(StringComparer.Ordinal);

    /// <summary>A registry holding the built-in kinds: grep, csv-stats, wordcount, images, primes, hash, noop and download.</summary>
    public static JobKindRegistry CreateBuiltIn() =>
        new JobKindRegistry()
            .Register(new GrepJobKind())
            .Register(new CsvStatsJobKind())
            .Register(new WordCountJobKind())
            .Register(new ImagesJobKind())
            .Register(new PrimesJobKind())
            .Register(new HashJobKind())
            .Register(new NoopJobKind())
            .Register(new DownloadJobKind());

    /// <summary>Every registered kind, ordered by name.</summary>
    public IEnumerable<IJobKind> All => _kinds.Values.OrderBy(k => k.Name, StringComparer.Ordinal);

    /// <summary>Adds a kind; a second kind under the same name is refused, naming both.</summary>
    public JobKindRegistry Register(IJobKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (string.IsNullOrWhiteSpace(kind.Name) || kind.Name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"job kind {kind.GetType().FullName} has an invalid name '{kind.Name}': names are one word", nameof(kind));
        if (!_kinds.TryAdd(kind.Name, kind))
            throw new ArgumentException($"job kind '{kind.Name}' is already registered by {_kinds[kind.Name].GetType().FullName}; {kind.GetType().FullName} cannot take the same name", nameof(kind));
        return this;
    }

    /// <summary>Finds a kind by its exact name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IJobKind? kind) =>
        _kinds.TryGetValue(name, out kind);

    /// <summary>Registers the job kinds of every *.dll in <paramref name="folder"/>; see <see cref="PluginLoader.Load"/>. Never throws for a bad plug-in: the report lists the problems.</summary>
    public PluginLoadReport LoadPlugins(string folder) => PluginLoader.Load(this, folder);
}
