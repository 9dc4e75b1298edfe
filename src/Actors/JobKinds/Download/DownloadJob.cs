using System.Text.Json;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>
/// A prepared download: a task per URL, each holding a permit of its host (<c>http:HOST</c>, created on first use with
/// <c>--per-host</c> permits) while it runs, so that the whole cluster keeps to the limit.
/// </summary>
internal sealed class DownloadJob(string urlsFile, DownloadOptions options, Downloader downloader) : IPreparedJob, ITaskResources
{
    /// <summary>The prefix of every host's resource: <c>http:example.org</c>, for http and https alike.</summary>
    public const string HostResourcePrefix = "http:";

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IReadOnlyList<TaskResource> ResourcesFor(ReadOnlyMemory<byte> task) =>
        // A host's turn comes when others finish with it, however long that takes: waiting is the politeness asked for.
        [new TaskResource(HostResourcePrefix + new Uri(Decode(task).Url).IdnHost, 1, CreatePermits: options.PerHost, Wait: Timeout.InfiniteTimeSpan)];

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        foreach (var entry in UrlList.Read(urlsFile, cancellationToken))
            yield return JsonSerializer.SerializeToUtf8Bytes(new DownloadTask(entry.Url.AbsoluteUri, entry.Target, entry.Line), DownloadJsonContext.Default.DownloadTask);
    }

    public async ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var result = await downloader.DownloadAsync(Decode(task), context).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(result, DownloadJsonContext.Default.DownloadResult);
    }

    public IJobReducer CreateReducer() => new DownloadReducer(options.OutFolder);

    private static DownloadTask Decode(ReadOnlyMemory<byte> task) =>
        JsonPayload.Decode(task.Span, DownloadJsonContext.Default.DownloadTask, "download task");
}
