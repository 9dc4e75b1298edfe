using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs.Journal;
using ActorTasks.Tasks.Producers;
using Akka.Event;

namespace ActorTasks.Tasks.Jobs;

/// <summary>
/// Accepts jobs, starts a <see cref="Producer"/> and a <see cref="Collector"/> for each, tells registered consumers
/// when jobs start and end, and answers status, list, results, watch and cancel requests.
/// </summary>
/// <remarks>
/// A job's arguments are checked (the kind's <c>Prepare</c>) before anything starts, so a bad argument is a
/// <see cref="JobRejected"/> naming it, never a failed job. Finished jobs are kept for their results, the most
/// recent <see cref="TaskSystemSettings.FinishedJobsKept"/> of them.
/// <para>
/// With a job journal (<see cref="TaskSystemSettings.Durable"/>; see JobManager.Journal.cs) the manager first reads it,
/// lists the jobs it holds and resumes the unfinished ones from their last settled results, and a job is accepted only
/// once the journal holds it.
/// </para>
/// </remarks>
public sealed partial class JobManager : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly JobKindRegistry _registry;
    private readonly TaskSystemSettings _settings;
    private readonly ILoggingAdapter _log;
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
        Receive<GetJobResults>(g => Reply(g.JobId, job => job.WireFinished is { } f ? f : job.Status()));
        Receive<GetJobLines>(g => Reply(g.JobId, job => job.Finished is { } f ? ResultPages.Page(f, g.From, g.MaxLines) : job.Status()));
        Receive<ListJobs>(_ => Sender.Tell(new JobList([.. _jobs.Values.OrderBy(j => j.Number).Select(j => j.Status())]), Self));
        Receive<CancelJob>(OnCancel);
        Receive<WatchJob>(OnWatch);
        Receive<UnwatchJob>(OnUnwatch);
        Receive<RegisterConsumer>(OnRegisterConsumer);
        // The journal's handlers first: its ledger's Terminated is its own.
        ReceiveJournal();
        Receive<Terminated>(OnTerminated);
        Receive<CollectorReady>(OnCollectorReady);
        Receive<JobClaimed>(c =>
        {
            if (!_jobs.TryGetValue(c.JobId, out var job)) return;
            job.Claimed = true;
            Timers.Cancel(ClaimTimerKey(c.JobId));
        });
        Receive<JobDeclined>(OnDeclined);
        Receive<ClaimTimeout>(t =>
        {
            if (!_jobs.TryGetValue(t.JobId, out var job) || job.State != JobState.Running || job.Claimed) return;
            FailUnclaimed(job, $"no consumer took the job within {_settings.StartTimeout.TotalSeconds:0.#} s ({_consumers.Count} registered{DeclinesText(job, "; ")})");
        });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <summary>Props for a job manager.</summary>
    public static Props Props(JobKindRegistry registry, TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Actor.Props.Create(() => new JobManager(registry, settings));
    }

    // A job actor that fails is stopped, and its job fails (see OnTerminated); restarting it would lose its state.
    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

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
        if (JobLimits.ArgumentBytes(arguments) is var size and > JobLimits.MaxArgumentBytes)
        {
            Reject(kindName, "ARGS", $"the job's arguments are {size:N0} bytes, more than the {JobLimits.MaxArgumentBytes:N0} a job may carry to every node");
            return;
        }
        IPreparedJob prepared;
        try
        {
            // Paths typed on the seed's console are relative to the seed's folder (a client made its own absolute):
            // made absolute here, every worker reads the same files.
            arguments = kind.ResolvePaths(arguments, Environment.CurrentDirectory);
            prepared = kind.Prepare(arguments);
        }
        catch (JobArgumentException e)
        {
            Reject(kindName, e.Argument, e.Message);
            return;
        }
        catch (Exception e)
        {
            _log.Warning(e, "Job kind {Kind} failed to prepare a job", DisplayText.Escape(kindName));
            Reject(kindName, null, $"{kindName} could not prepare the job: {e.GetType().Name}: {e.Message}");
            return;
        }

        if (!CanAcceptJobs(out var journalProblem))
        {
            Reject(kindName, null, journalProblem);
            return;
        }
        var number = ++_lastJobNumber;
        var accepted = submit with { Kind = kindName, Arguments = [.. arguments], Options = options };
        var job = StartJob(number, accepted, prepared, Sender, DateTimeOffset.UtcNow);
        // Accepted once journaled (at once without a journal): the job already runs meanwhile, but its submitter hears of it only then.
        job.AcceptPending = true;
        RecordEvent(new JobAcceptedEvent(number, accepted, job.SubmittedAt), () => Accepted(job), () => NotJournaled(job));
    }

    // The journal failed to write the job's acceptance: a durable job that is not in the journal is not accepted. Its
    // actors stop and its submitter hears why; one that has already ended (nothing left to lose) counts as accepted.
    private void NotJournaled(JobRecord job)
    {
        if (job.State != JobState.Running)
        {
            Accepted(job);
            return;
        }
        job.AcceptPending = false;
        StopJobActors(job);
        AnnounceEnd(job, JobState.Cancelled);
        _jobs.Remove(job.JobId);
        CanAcceptJobs(out var problem);
        _log.Warning("Job {JobId} not accepted: {Problem}", job.JobId, problem);
        if (!job.Submitter.IsNobody()) job.Submitter.Tell(new JobRejected(job.Kind, null, problem), Self);
        foreach (var watcher in job.Watchers) watcher.Tell(new JobUnknown(job.JobId), Self);
    }

    private void Accepted(JobRecord job)
    {
        job.AcceptPending = false;
        _log.Info("Job {JobId} accepted: {Kind} {Arguments}", job.JobId, DisplayText.Escape(job.Kind), DisplayText.Escape(job.Arguments));
        if (job.Submitter.IsNobody()) return;
        job.Submitter.Tell(new JobAccepted(job.JobId, job.Kind), Self);
        if (job.WireFinished is { } finished) job.Submitter.Tell(finished, Self);
    }

    // The collector starts first; the producer once the collector has restored what the journal holds of the job
    // (OnCollectorReady), so that it never hands out a task whose result is already counted.
    private JobRecord StartJob(long number, SubmitJob submit, IPreparedJob prepared, IActorRef submitter, DateTimeOffset submittedAt)
    {
        var jobId = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var job = new JobRecord(number, jobId, submit, submitter, submittedAt) { Prepared = prepared };
        var self = Self;
        var collector = Context.ActorOf(
            Akka.Actor.Props.Create(() => new Collector(jobId, number, prepared, _settings, self)), $"collector-{jobId}");
        job.Collector = collector;
        Context.Watch(collector);
        _jobByActor[collector] = job;
        _jobs.Add(jobId, job);
        return job;
    }

    private void OnCollectorReady(CollectorReady ready)
    {
        if (!_jobs.TryGetValue(ready.JobId, out var job) || job.State != JobState.Running || job.Producer is not null || job.EndAnnounced) return;
        var options = job.Options;
        var maxRetries = options.MaxRetries ?? _settings.MaxRetries;
        var prepared = job.Prepared!;
        var collector = job.Collector!;
        Func<long, bool>? settled = ready.Settled.Count > 0 ? ready.Settled.Contains : null;
        var handedOut = ready.HandedOut;
        var producer = Context.ActorOf(
            Akka.Actor.Props.Create(() => new Producer(job.JobId, prepared, maxRetries, options.FailFast, _settings, collector, settled, handedOut)), $"producer-{job.JobId}");
        job.Producer = producer;
        Context.Watch(producer);
        _jobByActor[producer] = job;

        var started = new JobStarted(job.JobId, job.Kind, job.Arguments, producer);
        foreach (var consumer in _consumers) consumer.Tell(started, Self);
        if (_settings.StartTimeout > TimeSpan.Zero) Timers.StartSingleTimer(ClaimTimerKey(job.JobId), new ClaimTimeout(job.JobId), _settings.StartTimeout);
    }

    private static string ClaimTimerKey(string jobId) => "claim-" + jobId;

    private void OnDeclined(JobDeclined declined)
    {
        if (!_jobs.TryGetValue(declined.JobId ?? "", out var job) || job.State != JobState.Running || job.Claimed) return;
        job.Declines[Sender] = (declined.Node ?? "?", declined.Reason ?? "");
        _log.Debug("Job {JobId} declined by {Consumer}: {Reason}", job.JobId, Sender.Path, DisplayText.Escape(declined.Reason));
        if (_consumers.Count > 0 && _consumers.All(job.Declines.ContainsKey))
            FailUnclaimed(job, $"no consumer could prepare the job{DeclinesText(job, ": ")}");
    }

    // Consumers of one node decline for the same reason: each node and reason once.
    private static string DeclinesText(JobRecord job, string lead) => job.Declines.Count == 0 ? "" :
        lead + string.Join("; ", job.Declines.Values.Distinct().GroupBy(d => d.Reason).Select(g => $"{string.Join(", ", g.Select(d => d.Node))}: {g.Key}"));

    // As a cancel does: no more tasks, consumers drop the job, and the collector ends it with what it has (nothing).
    private void FailUnclaimed(JobRecord job, string reason)
    {
        _log.Warning("Job {JobId} fails: {Reason}", job.JobId, DisplayText.Escape(reason));
        StopProducer(job);
        AnnounceEnd(job, JobState.Failed);
        job.Collector?.Tell(new EndJob(JobState.Failed, reason), Self);
    }

    private void StopProducer(JobRecord job)
    {
        if (job.Producer is not { } producer) return;
        Context.Unwatch(producer);
        _jobByActor.Remove(producer);
        Context.Stop(producer);
        job.Producer = null;
    }

    private void Reject(string kind, string? argument, string reason)
    {
        _log.Info("Job of kind {Kind} rejected: {Reason}", DisplayText.Escape(kind), DisplayText.Escape(reason));
        Sender.Tell(new JobRejected(kind, argument, reason), Self);
    }

    private void OnCollectorFinished(CollectorFinished message)
    {
        var full = message.Finished;
        if (!_jobs.TryGetValue(full.JobId, out var job) || job.State != JobState.Running) return;
        job.State = full.State;
        job.Finished = full;
        var finished = job.WireFinished!;
        job.Progress = message.FinalProgress;
        job.FinishedAt = DateTimeOffset.UtcNow;
        var collector = job.Collector;
        StopJobActors(job, keepCollector: true);
        AnnounceEnd(job);
        _log.Info("Job {JobId} {State}: {Done} done, {Failed} failed in {Elapsed}{Reason}",
            job.JobId, finished.State, finished.Done, finished.Failed, finished.Elapsed, finished.Reason is null ? "" : $" ({finished.Reason})");

        var told = new HashSet<IActorRef>(job.Watchers);
        job.Watchers.Clear();
        foreach (var watcher in told)
        {
            watcher.Tell(message.FinalProgress, Self);
            watcher.Tell(finished, Self);
            ForgetWatcher(watcher);
        }
        // A submitter still waiting for JobAccepted hears the end right after it (Accepted).
        foreach (var other in job.AcceptPending ? job.Cancellers : job.Cancellers.Prepend(job.Submitter))
            if (!other.IsNobody() && told.Add(other)) other.Tell(finished, Self);
        job.Cancellers.Clear();

        // Once the end is in the journal, the job's task journal is no longer needed: the collector deletes it and stops.
        RecordEvent(new JobEndedEvent(job.Number, full, message.FinalProgress, job.FinishedAt.Value), () => collector?.Tell(ForgetJob.Instance, Self));
        _finishedOrder.Enqueue(job.JobId);
        ForgetOldest();
    }

    private void ForgetOldest()
    {
        while (_finishedOrder.Count > _settings.FinishedJobsKept)
        {
            if (_jobs.Remove(_finishedOrder.Dequeue(), out var forgotten)) RecordEvent(new JobForgottenEvent(forgotten.Number), null);
        }
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
        _log.Info("Job {JobId}: cancel requested by {Sender}", job.JobId, Sender.Path);
        // Production stops now, and consumers cancel running tasks now; the collector then ends the job with what it has.
        StopProducer(job);
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
        if (job.WireFinished is { } finished)
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
                EndWithoutCollector(job, "the job's collector stopped unexpectedly");
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

    private void EndWithoutCollector(JobRecord job, string reason) => OnCollectorFinished(new CollectorFinished(
        new JobFinished(job.JobId, JobState.Failed, [], [], job.Progress?.Done ?? 0, job.Progress?.Failed ?? 0,
            job.Progress?.Total, [], reason, DateTimeOffset.UtcNow - job.SubmittedAt),
        job.Progress ?? new JobProgress(job.JobId, 0, 0, null, 0, null, TimeSpan.Zero,
            new Dictionary<string, long>(), new Dictionary<string, long>())));

    // The collector of an ended job may stay a moment, to delete its task journal (ForgetJob); it stops itself then.
    private void StopJobActors(JobRecord job, bool keepCollector = false)
    {
        foreach (var actor in new[] { job.Producer, job.Collector })
        {
            if (actor is null) continue;
            Context.Unwatch(actor);
            _jobByActor.Remove(actor);
            if (!keepCollector || !actor.Equals(job.Collector)) Context.Stop(actor);
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

/// <summary>A job's start timeout: it fails unless a consumer has claimed it by now.</summary>
internal sealed record ClaimTimeout(string JobId) : INoSerializationVerificationNeeded;


