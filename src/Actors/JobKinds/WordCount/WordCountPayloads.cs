using System.Text.Json.Serialization;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>A wordcount task: file segments to count, and walk errors met just before them (passed through to the result).</summary>
internal sealed record WordCountTask(IReadOnlyList<WordCountSegment> Segments, IReadOnlyList<string> WalkErrors);

/// <summary>The bytes [Start, End) of a file, End −1 meaning to the end of the file; boundaries are moved forward to word boundaries when read.</summary>
internal sealed record WordCountSegment(string Path, string Display, long Start, long End);

/// <summary>Source-generated JSON for wordcount tasks; results are binary (see <see cref="WordCountResult"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WordCountTask))]
internal sealed partial class WordCountJsonContext : JsonSerializerContext;
