using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// A seed and worker processes on this machine (<c>dotnet actortasks.dll</c> from this benchmark's output folder) and a
/// client node in this process that submits jobs to the seed and times each from submit to its result.
/// </summary>
internal sealed class TaskCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _logs;

    private TaskCluster(LocalCluster nodes, NodeHost client, string logs)
    {
        Nodes = nodes;
        Client = client;
        _logs = logs;
    }

    public LocalCluster Nodes { get; }

    public NodeHost Client { get; }

    /// <summary>Starts a seed and <paramref name="workers"/> workers, each given <paramref name="workerArguments"/> (e.g. <c>-D key=value</c>).</summary>
    public static Task<TaskCluster> StartAsync(int workers, params string[] workerArguments) => StartAsync(workers, null, workerArguments);

    /// <summary>As <see cref="StartAsync(int, string[])"/>; every node's output line also goes to <paramref name="observe"/>.</summary>
    public static async Task<TaskCluster> StartAsync(int workers, Action<NodeProcess, string>? observe, params string[] workerArguments)
    {
        var logs = Directory.CreateTempSubdirectory("actortasks-bench-logs-").FullName;
        string[] common = ["-D", "actortasks.log.level=warning", "-D", $"actortasks.log.file-directory=\"{logs}\""];
        var nodes = await LocalCluster.StartAsync(0, common, observe is null ? OnLine : (node, line) =>
        {
            OnLine(node, line);
            observe(node, line);
        }, StartTimeout);
        try
        {
            await nodes.AddWorkersAsync(workers, workerArguments);
            var config = ConfigFactory.ParseString($"""
                actortasks.actor.provider = remote
                actortasks.remote.port = 0
                actortasks.log.level = warning
                actortasks.log.file-directory = "{logs}"
                """).WithFallback(ConfigLoader.Load(null, null, []));
            var client = await NodeHost.StartAsync(NodeRole.Client, config, nodes.Seed.Address, CancellationToken.None);
            Console.WriteLine($"  seed pid {nodes.Seed.Process.Id} at {nodes.Seed.Address}; {workers} worker process(es) {string.Join(' ', workerArguments)}");
            return new TaskCluster(nodes, client, logs);
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> more workers.</summary>
    public Task AddWorkersAsync(int count, params string[] workerArguments) => Nodes.AddWorkersAsync(count, workerArguments);

    /// <summary>Runs a job to its end; returns its result and the time from submit to result. A job that does not complete cleanly throws.</summary>
    public async Task<(JobFinished Finished, TimeSpan Elapsed)> RunAsync(string kind, string[] arguments, TimeSpan timeout)
    {
        var finished = new TaskCompletionSource<JobFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        Client.System.ActorOf(Props.CreateBy(() => new JobClient(Client.JobManager, new SubmitJob(kind, arguments, JobOptions.Default), finished)));
        var result = await finished.Task.WaitAsync(timeout);
        var elapsed = clock.Elapsed;
        if (result.State != JobState.Completed || result.Failed > 0)
            throw new InvalidOperationException($"{kind} {string.Join(' ', arguments)} ended {result.State} with {result.Failed} failed tasks: {result.Reason}");
        return (result, elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Nodes.DisposeAsync();
        try
        {
            Directory.Delete(_logs, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Only the nodes' problems are worth showing next to a benchmark's lines.
    private static void OnLine(NodeProcess node, string line)
    {
        if (line.Contains(" WRN]", StringComparison.Ordinal) || line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
            Console.WriteLine($"  [{node.Name}] {line}");
    }
}
