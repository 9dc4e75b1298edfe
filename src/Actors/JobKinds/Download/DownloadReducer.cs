using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>Keeps one line per downloaded file, in the order of the URLs file, and adds up files, bytes and attempts.</summary>
internal sealed class DownloadReducer(string outFolder) : IJobReducer
{
    private readonly SortedDictionary<long, string> _lines = [];
    private long _bytes;
    private long _attempts;
    private long _resumed;

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        var file = JsonPayload.Decode(result.Span, DownloadJsonContext.Default.DownloadResult, "download result");
        _lines.Add(taskIndex, Line(file));
        _bytes += file.Bytes;
        _attempts += file.Attempts;
        if (file.ResumedFrom > 0) _resumed++;
    }

    public JobOutput Complete() => new(
        [
            new("files", _lines.Count.ToString(CultureInfo.InvariantCulture)),
            new("bytes", _bytes.ToString(CultureInfo.InvariantCulture)),
            new("attempts", _attempts.ToString(CultureInfo.InvariantCulture)),
            new("resumed", _resumed.ToString(CultureInfo.InvariantCulture)),
            new("out", outFolder),
        ],
        [.. _lines.Values]);

    /// <summary>A result line: path under OUT, bytes, SHA-256, HTTP status, attempts and URL, separated by tabs.</summary>
    internal static string Line(DownloadResult file) => string.Join('\t',
        file.Target, file.Bytes.ToString(CultureInfo.InvariantCulture), file.Sha256,
        file.Status.ToString(CultureInfo.InvariantCulture), file.Attempts.ToString(CultureInfo.InvariantCulture), file.Url);
}
