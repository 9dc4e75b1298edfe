using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorTasks.Tests.Fixtures.Http;

/// <summary>
/// A local web server for download tests (Kestrel, port 0, on 127.0.0.1 and 127.0.0.2 — two hosts): serves files from
/// memory with Range and If-Range, can answer chosen requests with a status, a cut or stalled body or a redirect, and
/// counts concurrent requests per host.
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Step>> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostLoad> _hosts = new(StringComparer.Ordinal);

    private TestHttpServer(WebApplication app) => _app = app;

    /// <summary>What the server does with one request of a path, in place of serving the file.</summary>
    public abstract record Step;

    /// <summary>Answers with <paramref name="Code"/> and no body, with a Retry-After header when given.</summary>
    public sealed record Status(int Code, string? RetryAfter = null) : Step;

    /// <summary>Serves the file but drops the connection after <paramref name="Bytes"/> bytes of the body.</summary>
    public sealed record Cut(long Bytes) : Step;

    /// <summary>Serves <paramref name="Bytes"/> bytes of the body, then sends nothing more until the client gives up.</summary>
    public sealed record Stall(long Bytes) : Step;

    /// <summary>Answers 302 with <paramref name="Location"/>.</summary>
    public sealed record Redirect(string Location) : Step;

    /// <summary>Honour Range requests (on by default); when off, every GET gets the whole file with 200.</summary>
    public bool RangeSupport { get; set; } = true;

    /// <summary>Send an ETag (on by default), so resumed downloads are guarded by If-Range.</summary>
    public bool SendETag { get; set; } = true;

    /// <summary>Send Content-Length (on by default); when off, bodies are chunked.</summary>
    public bool SendLength { get; set; } = true;

    /// <summary>Pause between chunks of every body, so that downloads overlap in time.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Bytes per chunk written.</summary>
    public int ChunkBytes { get; set; } = 64 * 1024;

    /// <summary>Every request: host, path and its Range header (null when none).</summary>
    public ConcurrentQueue<(string Host, string Path, string? Range, string? IfRange)> Requests { get; } = new();

    /// <summary>The base URL of the first host (127.0.0.1), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The base URL of the second host (127.0.0.2).</summary>
    public string OtherHostUrl { get; private set; } = "";

    public static async Task<TestHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Parse("127.0.0.1"), 0);
            k.Listen(IPAddress.Parse("127.0.0.2"), 0);
        });
        var app = builder.Build();
        var server = new TestHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Url = addresses.Single(a => a.Contains("127.0.0.1")).TrimEnd('/');
        server.OtherHostUrl = addresses.Single(a => a.Contains("127.0.0.2")).TrimEnd('/');
        return server;
    }

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (e.g. <c>/a.bin</c>).</summary>
    public void Add(string path, byte[] content) => _files[path] = content;

    /// <summary>The next requests of <paramref name="path"/> get these steps, one each, before the file is served normally.</summary>
    public void Plan(string path, params Step[] steps)
    {
        var queue = _plans.GetOrAdd(path, _ => new ConcurrentQueue<Step>());
        foreach (var step in steps) queue.Enqueue(step);
    }

    /// <summary>The most requests of <paramref name="host"/> (e.g. <c>127.0.0.1</c>) that were ever in progress at once.</summary>
    public int MostConcurrent(string host) => _hosts.TryGetValue(host, out var load) ? load.Most : 0;

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Host;
        var path = request.Path.Value ?? "/";
        Requests.Enqueue((host, path, request.Headers.Range.FirstOrDefault(), request.Headers.IfRange.FirstOrDefault()));
        var load = _hosts.GetOrAdd(host, _ => new HostLoad());
        load.Enter();
        try
        {
            await ServeAsync(context, path);
        }
        finally
        {
            load.Leave();
        }
    }

    private async Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        Step? step = _plans.TryGetValue(path, out var plan) && plan.TryDequeue(out var next) ? next : null;
        switch (step)
        {
            case Status status:
                response.StatusCode = status.Code;
                if (status.RetryAfter is not null) response.Headers.RetryAfter = status.RetryAfter;
                return;
            case Redirect redirect:
                response.StatusCode = 302;
                response.Headers.Location = redirect.Location;
                return;
        }
        if (!_files.TryGetValue(path, out var content))
        {
            response.StatusCode = 404;
            return;
        }
        var etag = $"\"{Sha256(content)[..16]}\"";
        if (SendETag) response.Headers.ETag = etag;
        long start = 0;
        var range = context.Request.Headers.Range.FirstOrDefault();
        var ifRange = context.Request.Headers.IfRange.FirstOrDefault();
        if (RangeSupport && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && (ifRange is null || ifRange == etag))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        if (SendLength) response.ContentLength = content.Length - start;
        var stopAt = step switch
        {
            Cut cut => Math.Min(content.Length, start + cut.Bytes),
            Stall stall => Math.Min(content.Length, start + stall.Bytes),
            _ => content.Length,
        };
        for (var at = start; at < stopAt;)
        {
            var n = (int)Math.Min(ChunkBytes, stopAt - at);
            await response.Body.WriteAsync(content.AsMemory((int)at, n), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            at += n;
            if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay, context.RequestAborted);
        }
        if (step is Cut) context.Abort();
        // Holds the response open until the client, having waited its timeout, goes away.
        if (step is Stall) await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Requests in progress for one host, and the most there ever were.</summary>
    private sealed class HostLoad
    {
        private int _running;
        private int _most;

        public int Most => Volatile.Read(ref _most);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _running);
            for (var most = Most; now > most; most = Most)
                if (Interlocked.CompareExchange(ref _most, now, most) == most) break;
        }

        public void Leave() => Interlocked.Decrement(ref _running);
    }
}
