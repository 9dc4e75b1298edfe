using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ActorTasks.Tests.Fixtures.Http;

/// <summary>
/// A local web server for download tests (<see cref="HttpListener"/>, on free ports of 127.0.0.1 and 127.0.0.2 — two
/// hosts): serves files from memory with Range and If-Range, can answer chosen requests with a status, a cut or stalled
/// body or a redirect, and counts concurrent requests per host.
/// </summary>
/// <remarks>
/// HttpListener rather than Kestrel: it is part of the base framework, so a test project that starts node processes
/// from its own output folder does not pull in the ASP.NET Core framework, whose assemblies would displace the node's.
/// </remarks>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Step>> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostLoad> _hosts = new(StringComparer.Ordinal);
    private Task _accepting = Task.CompletedTask;

    private TestHttpServer()
    {
    }

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

    /// <summary>Every request: host, path, and its Range and If-Range headers (null when none).</summary>
    public ConcurrentQueue<(string Host, string Path, string? Range, string? IfRange)> Requests { get; } = new();

    /// <summary>The base URL of the first host (127.0.0.1), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The base URL of the second host (127.0.0.2).</summary>
    public string OtherHostUrl { get; private set; } = "";

    public static Task<TestHttpServer> StartAsync()
    {
        // HttpListener takes no port 0: ask the system for free ports, and try again should one be taken meanwhile.
        for (var tries = 1; ; tries++)
        {
            var server = new TestHttpServer();
            server.Url = $"http://127.0.0.1:{FreePort("127.0.0.1")}";
            server.OtherHostUrl = $"http://127.0.0.2:{FreePort("127.0.0.2")}";
            server._listener.Prefixes.Add(server.Url + "/");
            server._listener.Prefixes.Add(server.OtherHostUrl + "/");
            try
            {
                server._listener.Start();
            }
            catch (HttpListenerException) when (tries < 10)
            {
                server._listener.Close();
                continue;
            }
            server._accepting = Task.Run(server.AcceptAsync);
            return Task.FromResult(server);
        }
    }

    private static int FreePort(string address)
    {
        using var probe = new TcpListener(IPAddress.Parse(address), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => HandleAsync(context));
        }
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

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var host = request.Url!.Host;
        var path = request.Url.AbsolutePath;
        Requests.Enqueue((host, path, request.Headers["Range"], request.Headers["If-Range"]));
        var load = _hosts.GetOrAdd(host, _ => new HostLoad());
        load.Enter();
        var left = false;
        // A request counts until its last bytes start on their way: once the client has them it may let its permit go
        // and send the next request, while this handler still closes the response.
        void Leave()
        {
            if (left) return;
            left = true;
            load.Leave();
        }
        try
        {
            await ServeAsync(context, path, Leave);
            Leave();
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away (a download timed out or was cancelled), or the server is stopping.
            context.Response.Abort();
        }
        finally
        {
            Leave();
        }
    }

    private async Task ServeAsync(HttpListenerContext context, string path, Action lastBytes)
    {
        var response = context.Response;
        Step? step = _plans.TryGetValue(path, out var plan) && plan.TryDequeue(out var next) ? next : null;
        switch (step)
        {
            case Status status:
                response.StatusCode = status.Code;
                if (status.RetryAfter is not null) response.AddHeader("Retry-After", status.RetryAfter);
                return;
            case Redirect redirect:
                response.StatusCode = 302;
                response.RedirectLocation = redirect.Location;
                return;
        }
        if (!_files.TryGetValue(path, out var content))
        {
            response.StatusCode = 404;
            return;
        }
        var etag = $"\"{Sha256(content)[..16]}\"";
        if (SendETag) response.AddHeader("ETag", etag);
        long start = 0;
        var range = context.Request.Headers["Range"];
        var ifRange = context.Request.Headers["If-Range"];
        if (RangeSupport && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && (ifRange is null || ifRange == etag))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{content.Length}");
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}");
        }
        if (SendLength) response.ContentLength64 = content.Length - start;
        else response.SendChunked = true;
        var stopAt = step switch
        {
            Cut cut => Math.Min(content.Length, start + cut.Bytes),
            Stall stall => Math.Min(content.Length, start + stall.Bytes),
            _ => content.Length,
        };
        var body = response.OutputStream;
        for (var at = start; at < stopAt;)
        {
            var n = (int)Math.Min(ChunkBytes, stopAt - at);
            var last = at + n >= stopAt;
            if (last && step is null) lastBytes();
            await body.WriteAsync(content.AsMemory((int)at, n), _stopping.Token);
            await body.FlushAsync(_stopping.Token);
            at += n;
            if (ChunkDelay > TimeSpan.Zero && !last) await Task.Delay(ChunkDelay, _stopping.Token);
        }
        // A cut drops the connection; a stall holds it open, sending nothing, until the server stops.
        if (step is Cut) throw new IOException("cut as planned");
        if (step is Stall) await Task.Delay(Timeout.Infinite, _stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Close();
        await _accepting;
        _stopping.Dispose();
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
