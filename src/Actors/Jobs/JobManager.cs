using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
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
/// With a <see cref="JobJournal"/>, the manager first reads it (stashing what arrives meanwhile): it lists the jobs the
/// journal holds, keeps the results of those that ended, and starts again, from their first task, those that had not
/// ended. A job is accepted (<see cref="JobAccepted"/>) once it is in the journal, so an accepted job is never lost
/// by a restart of the seed.
/// </para>
/// </remarks>
public sealed class JobManager : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly JobKindRegistry _registry;
    private readonly TaskSystemSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, JobRecord> _jobByActor = [];
    private readonly Queue<string> _finishedOrder = new();
    private readonly HashSet<IActorRef> _consumers = [];
    // Null when there is none, or when it could not be read (writing to it then could overwrite jobs it holds).
    private JobJournal? _journal;
    private long _lastJobNumber;

    /// <summary>Creates the manager; job kinds are looked up in <paramref name="registry"/>; jobs are journaled in <paramref name="journal"/> when given.</summary>
    public JobManager(JobKindRegistry registry, TaskSystemSettings settings, JobJournal? journal = null)
    {
        _registry = registry;
        _settings = settings;
        _journal = journal;
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
        Receive<Terminated>(OnTerminated);
        Receive<Journaled>(OnJournaled);
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

    /// <summary>Props for a job manager; with <paramref name="journal"/>, its jobs outlive it (see <see cref="JobJournal"/>).</summary>
    public static Props Props(JobKindRegistry registry, TaskSystemSettings settings, JobJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Actor.Props.Create(() => new JobManager(registry, settings, journal));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_journal is null) return;
        BecomeStacked(Recovering);
        _journal.LoadAsync().PipeTo(Self, Self, failure: e => new JournalUnreadable(e));
    }

    // Until the journal is read, every message waits: a job number or a status answered now could be wrong.
    private bool Recovering(object message)
    {
        switch (message)
        {
            case JournalSnapshot snapshot:
                Recover(snapshot);
                break;
            case JournalUnreadable failure:
                _log.Error(failure.Cause, "Job journal {Path} could not be read; the manager starts with no jobs and journals none until the seed is started again with a journal it can read",
                    _journal!.Path);
                _journal = null;
                break;
            default:
                Stash.Stash();
                return true;
        }
        UnbecomeStacked();
        Stash.UnstashAll();
        return true;
    }

    private void Recover(JournalSnapshot snapshot)
    {
        _lastJobNumber = Math.Max(_lastJobNumber, snapshot.LastNumber);
        var ended = new List<JobRecord>();
        foreach (var journaled in snapshot.Jobs)
        {
            if (journaled.Finished is not { } finished) continue;
            var job = new JobRecord(journaled.Number, journaled.JobId, journaled.Submit, ActorRefs.Nobody, journaled.SubmittedAt)
            {
                State = finished.State,
                Finished = finished,
                Progress = journaled.FinalProgress,
                FinishedAt = journaled.FinishedAt ?? journaled.SubmittedAt,
                EndAnnounced = true,
            };
            _jobs.Add(job.JobId, job);
            ended.Add(job);
        }
        // Oldest end first, as they ended: the ones forgotten first when more are kept than finished-jobs-kept.
        foreach (var job in ended.OrderBy(j => j.FinishedAt).ThenBy(j => j.Number)) _finishedOrder.Enqueue(job.JobId);
        ForgetOldest();
        var unfinished = snapshot.Jobs.Where(j => j.Finished is null).ToList();
        foreach (var journaled in unfinished) Resume(journaled);
        _log.Info("Job journal {Path}: {Ended} ended jobs kept, {Resumed} unfinished jobs started again; the next job is {Next}",
            _journal!.Path, ended.Count, unfinished.Count, _lastJobNumber + 1);
    }

    // The journal keeps jobs, not their tasks' progress: an unfinished job runs again from its first task.
    private void Resume(JournaledJob journaled)
    {
        var submit = journaled.Submit;
        string? problem = null;
        IPreparedJob? prepared = null;
        if (!_registry.TryGet(submit.Kind, out var kind))
            problem = $"job kind '{submit.Kind}' is not loaded on this node";
        else
        {
            try
            {
                prepared = kind.Prepare(submit.Arguments);
            }
            catch (Exception e)
            {
                problem = e is JobArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            }
        }
        if (prepared is null)
        {
            var job = new JobRecord(journaled.Number, journaled.JobId, submit, ActorRefs.Nobody, journaled.SubmittedAt);
            _jobs.Add(job.JobId, job);
            _log.Warning("Job {JobId} from the journal could not be started again: {Problem}", job.JobId, problem);
            EndWithoutCollector(job, $"could not be started again after a restart: {problem}");
            return;
        }
        StartJob(journaled.Number, submit, prepared, ActorRefs.Nobody, journaled.SubmittedAt);
        _log.Info("Job {JobId} from the journal started again from its first task: {Kind} {Arguments}", journaled.JobId, DisplayText.Escape(submit.Kind), DisplayText.Escape(submit.Arguments));
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

        var number = ++_lastJobNumber;
        var accepted = submit with { Kind = kindName, Arguments = [.. arguments], Options = options };
        var job = StartJob(number, accepted, prepared, Sender, DateTimeOffset.UtcNow);
        _log.Info("Job {JobId} accepted: {Kind} {Arguments}", job.JobId, DisplayText.Escape(kindName), DisplayText.Escape(arguments));
        if (_journal is null)
        {
            Sender.Tell(new JobAccepted(job.JobId, kindName), Self);
            return;
        }
        // Accepted once journaled: the job already runs meanwhile, but its submitter hears of it only then.
        job.AcceptPending = true;
        _journal.RecordStartedAsync(new JournaledJob(number, accepted, job.SubmittedAt))
            .PipeTo(Self, Self, () => new Journaled(job, null), e => new Journaled(job, e));
    }

    private void OnJournaled(Journaled journaled)
    {
        var job = journaled.Job;
        if (journaled.Failure is { } failure)
            _log.Error(failure, "Job {JobId} runs but is not in the journal {Path}: a restart would not start it again", job.JobId, _journal!.Path);
        job.AcceptPending = false;
        if (job.Submitter.IsNobody()) return;
        job.Submitter.Tell(new JobAccepted(job.JobId, job.Kind), Self);
        if (job.WireFinished is { } finished) job.Submitter.Tell(finished, Self);
    }

    private JobRecord StartJob(long number, SubmitJob submit, IPreparedJob prepared, IActorRef submitter, DateTimeOffset submittedAt)
    {
        var jobId = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var job = new JobRecord(number, jobId, submit, submitter, submittedAt);
        var options = submit.Options ?? JobOptions.Default;
        var self = Self;
        var collector = Context.ActorOf(
            Akka.Actor.Props.Create(() => new Collector(jobId, prepared, _settings, self)), $"collector-{jobId}");
        var maxRetries = options.MaxRetries ?? _settings.MaxRetries;
        var producer = Context.ActorOf(
            Akka.Actor.Props.Create(() => new Producer(jobId, prepared, maxRetries, options.FailFast, _settings, collector)), $"producer-{jobId}");
        job.Collector = collector;
        job.Producer = producer;
        Context.Watch(collector);
        Context.Watch(producer);
        _jobByActor[collector] = job;
        _jobByActor[producer] = job;
        _jobs.Add(jobId, job);

        var started = new JobStarted(jobId, job.Kind, job.Arguments, producer);
        foreach (var consumer in _consumers) consumer.Tell(started, Self);
        if (_settings.StartTimeout > TimeSpan.Zero) Timers.StartSingleTimer(ClaimTimerKey(jobId), new ClaimTimeout(jobId), _settings.StartTimeout);
        return job;
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
        StopJobActors(job);
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
        // A submitter still waiting for JobAccepted hears the end right after it (OnJournaled).
        foreach (var other in job.AcceptPending ? job.Cancellers : job.Cancellers.Prepend(job.Submitter))
            if (!other.IsNobody() && told.Add(other)) other.Tell(finished, Self);
        job.Cancellers.Clear();

        _journal?.RecordFinishedAsync(job.Number, full, message.FinalProgress, job.FinishedAt.Value);
        _finishedOrder.Enqueue(job.JobId);
        ForgetOldest();
    }

    private void ForgetOldest()
    {
        while (_finishedOrder.Count > _settings.FinishedJobsKept)
        {
            if (_jobs.Remove(_finishedOrder.Dequeue(), out var forgotten)) _journal?.ForgetAsync(forgotten.Number);
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

/// <summary>The journal has (or could not) record a job's start: its submitter may now hear that it was accepted.</summary>
internal sealed record Journaled(JobRecord Job, Exception? Failure) : INoSerializationVerificationNeeded;

/// <summary>A job's start timeout: it fails unless a consumer has claimed it by now.</summary>
internal sealed record ClaimTimeout(string JobId) : INoSerializationVerificationNeeded;

/// <summary>The journal could not be read when the manager started.</summary>
internal sealed record JournalUnreadable(Exception Cause) : INoSerializationVerificationNeeded;
