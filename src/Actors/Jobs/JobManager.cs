using ActorTasks.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Producers;
using Serilog;

namespace ActorTasks.Tasks.Jobs;

/// <summary>
/// Accepts jobs, starts a <see cref="Producer"/> and a <see cref="Collector"/> for each, tells registered consumers
/// when jobs start and end, and answers status, list, results, watch and cancel requests.
/// </summary>
/// <remarks>
/// A job's arguments are checked (the kind's <c>Prepare</c>) before anything starts, so a bad argument is a
/// <see cref="JobRejected"/> naming it, never a failed job. Finished jobs are kept for their results, the most
/// recent <see cref="TaskSystemSettings.FinishedJobsKept"/> of them.
/// </remarks>
public sealed class JobManager : ReceiveActor
{
    private readonly JobKindRegistry _registry;
    private readonly TaskSystemSettings _settings;
    private readonly ILogger _log;
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, JobRecord> _jobByActor = [];
    private readonly Queue<string> _finishedOrder = new();
    private readonly HashSet<IActorRef> _consumers = [];
    private long _lastJobNumber;

    /// <summary>Creates the manager; job kinds are looked up in <paramref name="registry"/>.</summary>
    public JobManager(JobKindRegistry registry, TaskSystemSettings settings)
    {
        _registry = registry;
        _settings = settings;
        _log = Context.GetLogger();

        Receive<SubmitJob>(OnSubmit);
        Receive<CollectorFinished>(OnCollectorFinished);
        Receive<JobProgress>(p =>
        {
            if (_jobs.TryGetValue(p.JobId, out var job) && job.State == JobState.Running) job.Progress = p;
        });
        Receive<GetJobStatus>(g => Reply(g.JobId, job => job.Status()));
        Receive<GetJobResults>(g => Reply(g.JobId, job => job.Finished is { } f ? f : job.Status()));
        Receive<ListJobs>(_ => Sender.Tell(new JobList([.. _jobs.Values.OrderBy(j => j.Number).Select(j => j.Status())]), Self));
        Receive<CancelJob>(OnCancel);
        Receive<WatchJob>(OnWatch);
        Receive<UnwatchJob>(OnUnwatch);
        Receive<RegisterConsumer>(OnRegisterConsumer);
        Receive<Terminated>(OnTerminated);
    }

    /// <summary>Props for a job manager.</summary>
    public static Props Props(JobKindRegistry registry, TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        return Actor.Props.CreateBy(() => new JobManager(registry, settings));
    }

    // A job actor that fails is stopped, and its job fails (see OnTerminated); restarting it would lose its state.
    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Actor.SupervisorStrategy.StoppingStrategy;

    private void OnSubmit(SubmitJob submit)
    {
        var kindName = submit.Kind ?? "";
        var arguments = submit.Arguments ?? [];
        var options = submit.Options ?? JobOptions.Default;
        if (!_registry.TryGet(kindName, out var kind))
        {
            var known = string.Join(", ", _registry.All.Select(k => k.Name));
            Reject(kindName, "KIND", $"unknown job kind '{kindName}'; known kinds: {(known.Length == 0 ? "(none)" : known)}");
            return;
        }
        if (options.MaxRetries is < 0)
        {
            Reject(kindName, "--max-retries", $"must not be negative but is {options.MaxRetries}");
            return;
        }
        IPreparedJob prepared;
        try
        {
            prepared = kind.Prepare(arguments);
        }
        catch (JobArgumentException e)
        {
            Reject(kindName, e.Argument, e.Message);
            return;
        }
        catch (Exception e)
        {
            _log.Warning(e, "Job kind {Kind} failed to prepare a job", kindName);
            Reject(kindName, null, $"{kindName} could not prepare the job: {e.GetType().Name}: {e.Message}");
            return;
        }

        var jobId = (++_lastJobNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var job = new JobRecord(_lastJobNumber, jobId, submit with { Kind = kindName, Arguments = [.. arguments] }, Sender, DateTimeOffset.UtcNow);
        var self = Self;
        var collector = Context.ActorOf(
            Actor.Props.CreateBy(() => new Collector(jobId, prepared, _settings, self)), $"collector-{jobId}");
        var maxRetries = options.MaxRetries ?? _settings.MaxRetries;
        var producer = Context.ActorOf(
            Actor.Props.CreateBy(() => new Producer(jobId, prepared, maxRetries, options.FailFast, _settings, collector)), $"producer-{jobId}");
        job.Collector = collector;
        job.Producer = producer;
        Context.Watch(collector);
        Context.Watch(producer);
        _jobByActor[collector] = job;
        _jobByActor[producer] = job;
        _jobs.Add(jobId, job);
        _log.Information("Job {JobId} accepted: {Kind} {Arguments}", jobId, kindName, arguments);
        Sender.Tell(new JobAccepted(jobId, kindName), Self);

        var started = new JobStarted(jobId, kindName, job.Arguments, producer);
        foreach (var consumer in _consumers) consumer.Tell(started, Self);
    }

    private void Reject(string kind, string? argument, string reason)
    {
        _log.Information("Job of kind {Kind} rejected: {Reason}", kind, reason);
        Sender.Tell(new JobRejected(kind, argument, reason), Self);
    }

    private void OnCollectorFinished(CollectorFinished message)
    {
        var finished = message.Finished;
        if (!_jobs.TryGetValue(finished.JobId, out var job) || job.State != JobState.Running) return;
        job.State = finished.State;
        job.Finished = finished;
        job.Progress = message.FinalProgress;
        job.FinishedAt = DateTimeOffset.UtcNow;
        StopJobActors(job);
        AnnounceEnd(job);
        _log.Information("Job {JobId} {State}: {Done} done, {Failed} failed in {Elapsed}{Reason}",
            job.JobId, finished.State, finished.Done, finished.Failed, finished.Elapsed, finished.Reason is null ? "" : $" ({finished.Reason})");

        var told = new HashSet<IActorRef>(job.Watchers);
        job.Watchers.Clear();
        foreach (var watcher in told)
        {
            watcher.Tell(message.FinalProgress, Self);
            watcher.Tell(finished, Self);
            ForgetWatcher(watcher);
        }
        foreach (var other in job.Cancellers.Prepend(job.Submitter))
            if (!other.IsNobody() && told.Add(other)) other.Tell(finished, Self);
        job.Cancellers.Clear();

        _finishedOrder.Enqueue(job.JobId);
        while (_finishedOrder.Count > _settings.FinishedJobsKept) _jobs.Remove(_finishedOrder.Dequeue());
    }

    private void OnCancel(CancelJob cancel)
    {
        if (!_jobs.TryGetValue(cancel.JobId ?? "", out var job))
        {
            Sender.Tell(new JobUnknown(cancel.JobId ?? ""), Self);
            return;
        }
        if (job.State != JobState.Running)
        {
            Sender.Tell(new JobAlreadyFinished(job.JobId, job.State), Self);
            return;
        }
        if (!Sender.IsNobody()) job.Cancellers.Add(Sender);
        _log.Information("Job {JobId}: cancel requested by {Sender}", job.JobId, Sender.Path);
        // Production stops now, and consumers cancel running tasks now; the collector then ends the job with what it has.
        if (job.Producer is { } producer)
        {
            Context.Unwatch(producer);
            _jobByActor.Remove(producer);
            Context.Stop(producer);
            job.Producer = null;
        }
        AnnounceEnd(job, JobState.Cancelled);
        job.Collector?.Tell(new EndJob(JobState.Cancelled, "cancelled by request"), Self);
        Sender.Tell(new JobCancelling(job.JobId), Self);
    }

    private void OnWatch(WatchJob watch)
    {
        if (!_jobs.TryGetValue(watch.JobId ?? "", out var job))
        {
            Sender.Tell(new JobUnknown(watch.JobId ?? ""), Self);
            return;
        }
        if (job.Finished is { } finished)
        {
            if (job.Progress is { } last) Sender.Tell(last, Self);
            Sender.Tell(finished, Self);
            return;
        }
        if (Sender.IsNobody()) return;
        if (job.Watchers.Add(Sender)) Context.Watch(Sender);
        job.Collector?.Forward(watch);
    }

    private void OnUnwatch(UnwatchJob unwatch)
    {
        if (!_jobs.TryGetValue(unwatch.JobId ?? "", out var job) || !job.Watchers.Remove(Sender)) return;
        ForgetWatcher(Sender);
        job.Collector?.Forward(unwatch);
    }

    private void OnRegisterConsumer(RegisterConsumer register)
    {
        var consumer = register.Consumer;
        if (consumer.IsNobody()) return;
        if (_consumers.Add(consumer))
        {
            Context.Watch(consumer);
            _log.Debug("Consumer {Consumer} registered", consumer.Path);
        }
        consumer.Tell(new ConsumerRegistered(consumer), Self);
        foreach (var job in _jobs.Values)
        {
            if (job.State == JobState.Running && !job.EndAnnounced && job.Producer is { } producer)
                consumer.Tell(new JobStarted(job.JobId, job.Kind, job.Arguments, producer), Self);
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        var actor = terminated.ActorRef;
        if (_consumers.Remove(actor))
        {
            _log.Debug("Consumer {Consumer} is gone", actor.Path);
            return;
        }
        if (_jobByActor.Remove(actor, out var job))
        {
            if (job.State != JobState.Running) return;
            if (actor.Equals(job.Collector))
            {
                // Without its collector the job's results are lost: end it here.
                job.Collector = null;
                OnCollectorFinished(new CollectorFinished(
                    new JobFinished(job.JobId, JobState.Failed, [], [], job.Progress?.Done ?? 0, job.Progress?.Failed ?? 0,
                        job.Progress?.Total, [], "the job's collector stopped unexpectedly", DateTimeOffset.UtcNow - job.SubmittedAt),
                    job.Progress ?? new JobProgress(job.JobId, 0, 0, null, 0, null, TimeSpan.Zero,
                        new Dictionary<string, long>(), new Dictionary<string, long>())));
            }
            else
            {
                job.Producer = null;
                job.Collector?.Tell(new EndJob(JobState.Failed, "the job's producer stopped unexpectedly"), Self);
            }
            return;
        }
        foreach (var watched in _jobs.Values) watched.Watchers.Remove(actor);
    }

    private void StopJobActors(JobRecord job)
    {
        foreach (var actor in new[] { job.Producer, job.Collector })
        {
            if (actor is null) continue;
            Context.Unwatch(actor);
            _jobByActor.Remove(actor);
            Context.Stop(actor);
        }
        job.Producer = null;
        job.Collector = null;
    }

    private void AnnounceEnd(JobRecord job, JobState? state = null)
    {
        if (job.EndAnnounced) return;
        job.EndAnnounced = true;
        var ended = new JobEnded(job.JobId, state ?? job.State);
        foreach (var consumer in _consumers) consumer.Tell(ended, Self);
    }

    private void ForgetWatcher(IActorRef watcher)
    {
        // Stay watching while the watcher still watches another job (or is a consumer).
        if (_consumers.Contains(watcher) || _jobs.Values.Any(j => j.Watchers.Contains(watcher))) return;
        Context.Unwatch(watcher);
    }

    private void Reply(string? jobId, Func<JobRecord, object> answer) =>
        Sender.Tell(_jobs.TryGetValue(jobId ?? "", out var job) ? answer(job) : new JobUnknown(jobId ?? ""), Self);
}
