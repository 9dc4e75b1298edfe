using System.Text.Json.Serialization;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>A grep task: files to search, in walk order, and walk errors met just before them (passed through to the result).</summary>
internal sealed record GrepTask(IReadOnlyList<GrepFile> Files, IReadOnlyList<string> WalkErrors);

/// <summary>A file to search: its absolute path and the path shown in results.</summary>
internal sealed record GrepFile(string Path, string Display);

/// <summary>What one task found: matching lines as <c>file:line:text</c> in file then line order, counters, and per-file errors.</summary>
internal sealed record GrepResult(
    IReadOnlyList<string> Lines,
    long Files,
    long Matches,
    long BinarySkipped,
    IReadOnlyList<string> Errors);

/// <summary>Source-generated JSON for grep's payloads (no reflection on either node).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GrepTask))]
[JsonSerializable(typeof(GrepResult))]
internal sealed partial class GrepJsonContext : JsonSerializerContext;
