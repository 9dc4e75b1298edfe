using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Tasks.Consumers;
using Akka.Actor;
using System.Diagnostics.Metrics;
using Prometheus;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// The metrics <c>/metrics</c> serves, in a registry of this node's own: the job manager's view (<see cref="JobMetrics"/>),
/// the members and the job manager's mailbox looked at when scraped, and the consumers' own measures
/// (<see cref="TaskMetrics"/>) when this node runs consumers. Which metric means what: README, "Metrics".
/// </summary>
internal sealed class DashboardMetrics : IAsyncDisposable
{
    private static readonly string[] Statuses = ["Joining", "WeaklyUp", "Up", "Leaving", "Exiting", "Down", "Removed"];

    private readonly NodeHost _host;
    private readonly TimeSpan _askTimeout;
    private readonly MeterListener _meters;
    private readonly IActorRef _jobs;
    private readonly Gauge _members, _unreachable, _mailbox;

    public DashboardMetrics(NodeHost host, TimeSpan askTimeout)
    {
        _host = host;
        _askTimeout = askTimeout;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        var jobMetrics = new JobMetrics.Metrics(
            factory.CreateCounter("actortasks_tasks_done_total", "Tasks done, by job kind", "kind"),
            factory.CreateCounter("actortasks_tasks_failed_total", "Tasks failed after their retries, by job kind", "kind"),
            factory.CreateCounter("actortasks_tasks_done_by_node_total", "Tasks done, by job kind and the node that ran them", "kind", "node"),
            factory.CreateGauge("actortasks_jobs", "Jobs the job manager keeps, by state", "state"),
            factory.CreateGauge("actortasks_tasks_pending", "Tasks of running jobs not settled yet (queued or in flight), for jobs whose split has ended"),
            factory.CreateGauge("actortasks_tasks_per_second", "Tasks settled per second over the running jobs (their collectors' recent rates)"));
        _members = factory.CreateGauge("actortasks_members", "Cluster members as this node sees them, by status", "status");
        _unreachable = factory.CreateGauge("actortasks_members_unreachable", "Cluster members this node cannot reach");
        _mailbox = factory.CreateGauge("actortasks_job_manager_mailbox_messages",
            "Messages waiting in the job manager's mailbox (NaN when the job manager runs on another seed)");
        Registry.AddBeforeCollectCallback(ScrapeAsync);
        _meters = ListenToConsumers(factory);
        factory.CreateGauge("actortasks_consumers", "Consumers (task runners) running on this node")
            .Set(host.Consumers is null ? 0 : host.Tasks.EffectiveConsumersPerNode);
        _jobs = host.System.ActorOf(Props.Create(() => new JobMetrics(host.JobManager, jobMetrics)), "dashboard-job-metrics");
    }

    public CollectorRegistry Registry { get; }

    // The consumers' measures (TaskMetrics) as Prometheus metrics of the same names; callbacks come on the consumers' threads.
    private static MeterListener ListenToConsumers(MetricFactory factory)
    {
        // Tasks take from microseconds (noop) to minutes (a large download).
        var duration = factory.CreateHistogram("actortasks_task_duration_seconds", "Seconds each task attempt took on this node, by job kind",
            ["kind"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00001, 4, 14) });
        var inFlight = factory.CreateGauge("actortasks_tasks_in_flight", "Tasks this node's consumers hold: handed out to them, not yet reported back");
        var busy = factory.CreateCounter("actortasks_consumer_busy_seconds_total", "Seconds this node's consumers spent running tasks");
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TaskMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "actortasks_task_duration_seconds") duration.WithLabels(Tag(tags, "kind")).Observe(value);
            else if (instrument.Name == "actortasks_consumer_busy_seconds") busy.Inc(value);
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "actortasks_tasks_in_flight") inFlight.Inc(value);
        });
        listener.Start();
        return listener;
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name) return tag.Value?.ToString() ?? "";
        }
        return "";
    }

    private async Task ScrapeAsync(CancellationToken cancellationToken)
    {
        var report = await _host.Members.Ask<MembersReport>(GetMembers.Instance, _askTimeout, cancellationToken);
        foreach (var status in Statuses) _members.WithLabels(status).Set(report.Members.Count(m => m.Status == status));
        _unreachable.Set(report.Members.Count(m => !m.Reachable));
        _mailbox.Set(await JobManagerBacklogAsync());
    }

    // The singleton itself, when it runs in this process: its cell counts what waits in its mailbox.
    private async Task<double> JobManagerBacklogAsync()
    {
        try
        {
            var manager = await _host.System.ActorSelection($"/user/{NodeHost.JobsManagerName}/singleton").ResolveOne(_askTimeout);
            return manager is ActorRefWithCell local ? local.Underlying.NumberOfMessages : double.NaN;
        }
        catch (ActorNotFoundException)
        {
            return double.NaN;
        }
    }

    public ValueTask DisposeAsync()
    {
        _meters.Dispose();
        _host.System.Stop(_jobs);
        return ValueTask.CompletedTask;
    }
}
