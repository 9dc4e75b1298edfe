using System.Text.Json.Serialization;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>A download task: one URL, the path under OUT it goes to ('/' separators), and its line in the URLs file.</summary>
internal sealed record DownloadTask(string Url, string Target, int Line);

/// <summary>
/// A file downloaded: its URL and path under OUT, its size and SHA-256 (lower-case hex), the HTTP status of the response
/// that completed it (206 when resumed), the HTTP attempts it took, and the bytes a partial file already held.
/// </summary>
internal sealed record DownloadResult(string Url, string Target, long Bytes, string Sha256, int Status, int Attempts, long ResumedFrom);

/// <summary>Source-generated JSON for download tasks and results.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DownloadTask))]
[JsonSerializable(typeof(DownloadResult))]
internal sealed partial class DownloadJsonContext : JsonSerializerContext;
