using System.Net;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>
/// <c>download URLS_FILE OUT [--per-host 4] [--retries 3] [--timeout 30s] [--max-bytes 1GiB]</c>: every URL of a file
/// downloaded into a folder, with at most <c>--per-host</c> downloads from one host at a time across the cluster.
/// </summary>
/// <remarks>
/// One kind per node (the node's registry), so one <see cref="HttpClient"/> and one connection pool per node, shared by
/// every task of every download job there.
/// </remarks>
public sealed class DownloadJobKind : IJobKind
{
    private readonly DownloadTuning _tuning;
    private readonly Lazy<HttpClient> _client;

    /// <summary>A download kind with the default retry pacing.</summary>
    public DownloadJobKind() : this(DownloadTuning.Default)
    {
    }

    internal DownloadJobKind(DownloadTuning tuning)
    {
        _tuning = tuning;
        _client = new Lazy<HttpClient>(CreateClient);
    }

    /// <inheritdoc />
    public string Name => "download";

    /// <inheritdoc />
    public string Usage => "download URLS_FILE OUT [--per-host 4] [--retries 3] [--timeout 30s] [--max-bytes 1GiB]";

    private static readonly JobOption[] Options =
    [
        new JobOption("--per-host", TakesValue: true),
        new JobOption("--retries", TakesValue: true),
        new JobOption("--timeout", TakesValue: true),
        new JobOption("--max-bytes", TakesValue: true),
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) =>
        JobArguments.ResolvePaths(arguments, Options, position => position <= 1, directory);

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["URLS_FILE", "OUT"], Options);
        var options = new DownloadOptions(
            CheckOut(parsed.Positionals[1]),
            (int)parsed.Number("--per-host", 4, 1, 1000),
            (int)parsed.Number("--retries", 3, 0, 100),
            parsed.Duration("--timeout", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            parsed.Size("--max-bytes", 1L << 30, 1, 1L << 50));
        var urls = parsed.Positionals[0];
        if (urls.Length == 0) throw new JobArgumentException("URLS_FILE", "is empty; name a file of URLs");
        UrlList.Check(urls);
        return new DownloadJob(urls, options, new Downloader(_client.Value, options, _tuning));
    }

    // OUT may not exist yet (tasks create it), but it must not be a file, nor lie under one.
    private static string CheckOut(string path)
    {
        if (path.Length == 0) throw new JobArgumentException("OUT", "is empty; name the folder to download into");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new JobArgumentException("OUT", $"'{path}' is not a usable folder name ({e.Message})");
        }
        for (var at = full; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) throw new JobArgumentException("OUT", at == full ? $"'{full}' is a file, not a folder" : $"'{full}' lies under '{at}', which is a file");
            if (Directory.Exists(at)) break;
        }
        return full;
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        // Redirects are followed by the downloader, which refuses a change of scheme; bodies are saved as served.
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // Connections are renewed now and then, so a host that moves to another address is found there.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        // Timeouts are the job's --timeout, per response and per read, not one for a whole body.
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "ActorTasks-download/1.0" } },
    };
}
