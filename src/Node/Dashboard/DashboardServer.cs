using System.Net;
using System.Net.Sockets;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// The web dashboard a node serves from its own process (Kestrel): the page, the JSON API under <c>/api</c>, live
/// updates as Server-Sent Events and Prometheus metrics at <c>/metrics</c>, all answered by asking the node's actors.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardMetrics _metrics;
    private readonly CancellationTokenSource _stopping;

    private DashboardServer(WebApplication app, DashboardMetrics metrics, CancellationTokenSource stopping, Uri url)
    {
        _app = app;
        _metrics = metrics;
        _stopping = stopping;
        Url = url;
    }

    /// <summary>Where the dashboard is, with the port it got (e.g. <c>http://127.0.0.1:8080/</c>).</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts the dashboard for <paramref name="host"/>; null (after a warning naming the setting) when its port is taken,
    /// so that a second seed on a machine still runs.
    /// </summary>
    public static async Task<DashboardServer?> StartAsync(NodeHost host, DashboardSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(settings);
        var askTimeout = host.System.Settings.AskTimeout;
        // The empty builder: no configuration files, so nothing watches the working directory (the slim builder's
        // appsettings.json with reload-on-change put an inotify watch on every folder under it), and no logging providers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(settings.Address, settings.Port));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var metrics = new DashboardMetrics(host, askTimeout);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (AskTimeoutException e) when (!context.Response.HasStarted)
            {
                await DashboardApi.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable,
                    $"no answer from the seed's managers within {askTimeout.TotalSeconds:0.#} s (akka.actor.ask-timeout): {e.Message}");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
        });
        DashboardSecurity.Use(app, settings.Token);
        DashboardPages.Map(app);
        new DashboardApi(host, new JobCommands(host.System, host.JobManager, host.ResourceManager, askTimeout), askTimeout).Map(app);
        new DashboardEvents(host, askTimeout, stopping.Token).Map(app);
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            host.Log.Warning("the dashboard did not start: {Address}:{Port} is already in use (actortasks.dashboard.port, or --dashboard-port; 0 picks a free port)",
                settings.Address, settings.Port);
            await metrics.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            return null;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", Dns.GetHostName(), StringComparison.Ordinal) + "/");
        host.Log.Information("dashboard at {Url}{Token}", url, settings.Token is null ? "" : " (it asks for its token, actortasks.dashboard.token)");
        return new DashboardServer(app, metrics, stopping, url);
    }

    /// <summary>Ends the live streams, stops Kestrel and the metrics.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _metrics.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
