using System.Diagnostics;
using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using Akka.Actor;

namespace ActorTasks.Bench.Tasks;

/// <summary>A job submitted by <see cref="TaskCluster.Submit"/>: its id once accepted, its result once finished, and the time since submit.</summary>
internal sealed record SubmittedJob(Task<string> Accepted, Task<JobFinished> Finished, Stopwatch Clock);

/// <summary>
/// A seed and worker processes on this machine (<c>dotnet actortasks.dll</c> from this benchmark's output folder) and a
/// client node in this process that submits jobs to the seed and times each from submit to its result.
/// </summary>
internal sealed class TaskCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly NodeLogs _logs;

    private TaskCluster(LocalCluster nodes, NodeHost client, NodeLogs logs)
    {
        Nodes = nodes;
        Client = client;
        _logs = logs;
    }

    public LocalCluster Nodes { get; }

    public NodeHost Client { get; }

    /// <summary>Starts a seed and <paramref name="workers"/> workers, each given <paramref name="workerArguments"/> (e.g. <c>-D key=value</c>).</summary>
    public static Task<TaskCluster> StartAsync(int workers, params string[] workerArguments) => StartAsync(workers, null, [], workerArguments);

    /// <summary>As <see cref="StartAsync(int, string[])"/>; every node's output line also goes to <paramref name="observe"/>.</summary>
    public static Task<TaskCluster> StartAsync(int workers, Action<NodeProcess, string>? observe, params string[] workerArguments) =>
        StartAsync(workers, observe, [], workerArguments);

    /// <summary>As <see cref="StartAsync(int, Action{NodeProcess, string}?, string[])"/>, the seed alone also given <paramref name="seedArguments"/>.</summary>
    public static async Task<TaskCluster> StartAsync(int workers, Action<NodeProcess, string>? observe, IReadOnlyList<string> seedArguments,
        IReadOnlyList<string> workerArguments)
    {
        var logs = NodeLogs.Create();
        LocalCluster nodes;
        try
        {
            nodes = await LocalCluster.StartAsync(0, [.. logs.NodeArguments, .. seedArguments], observe is null ? NodeLogs.ShowProblems : (node, line) =>
            {
                NodeLogs.ShowProblems(node, line);
                observe(node, line);
            }, StartTimeout);
        }
        catch
        {
            logs.Dispose();
            throw;
        }
        try
        {
            // Workers are started with the seed's arguments first; the common ones again undo what was the seed's alone.
            await nodes.AddWorkersAsync(workers, [.. logs.NodeArguments, .. workerArguments]);
            // A client, as `actortasks submit` is: no member, it reaches the seed's job manager over Akka.Remote.
            var config = NodeConfig.Load(null, null, ["akka.remote.dot-netty.tcp.port=0", "actortasks.log.level=warning", logs.FileDirectorySetting]);
            var client = await NodeHost.StartAsync(NodeRole.Client, config, nodes.SeedEndpoint, CancellationToken.None);
            Console.WriteLine($"  seed pid {nodes.Seed.Process.Id} at {nodes.Seed.Address}; {workers} worker process(es) {string.Join(' ', workerArguments)}");
            return new TaskCluster(nodes, client, logs);
        }
        catch
        {
            await nodes.DisposeAsync();
            logs.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> more workers.</summary>
    public Task<IReadOnlyList<ClusterNode>> AddWorkersAsync(int count, params string[] workerArguments) =>
        Nodes.AddWorkersAsync(count, [.. _logs.NodeArguments, .. workerArguments]);

    /// <summary>Submits a job and returns at once; the clock starts at the submit.</summary>
    public SubmittedJob Submit(string kind, string[] arguments)
    {
        var accepted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<JobFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        Client.System.ActorOf(Props.Create(() => new JobClient(Client.JobManager, new SubmitJob(kind, arguments, JobOptions.Default), accepted, finished)));
        return new SubmittedJob(accepted.Task, finished.Task, clock);
    }

    /// <summary>Runs a job to its end; returns its result and the time from submit to result. A job that does not complete cleanly throws.</summary>
    public async Task<(JobFinished Finished, TimeSpan Elapsed)> RunAsync(string kind, string[] arguments, TimeSpan timeout)
    {
        var job = Submit(kind, arguments);
        var result = await job.Finished.WaitAsync(timeout);
        var elapsed = job.Clock.Elapsed;
        if (result.State != JobState.Completed || result.Failed > 0)
            throw new InvalidOperationException($"{kind} {string.Join(' ', arguments)} ended {result.State} with {result.Failed} failed tasks: {result.Reason}");
        return (result, elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Nodes.DisposeAsync();
        _logs.Dispose();
    }
}
