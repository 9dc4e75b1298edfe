using System.Buffers.Binary;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Consumers;

/// <summary>A task whose result is too large to reach the seed fails with a clear error; the job ends instead of waiting for it.</summary>
public sealed class OversizedResultTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    /// <summary><c>sizes A B …</c>: task i returns A, B, … zero bytes; the reducer counts the bytes.</summary>
    private sealed class SizesKind : IJobKind
    {
        public string Name => "sizes";

        public string Usage => "sizes N...";

        public IPreparedJob Prepare(IReadOnlyList<string> arguments) => new Job([.. arguments.Select(int.Parse)]);

        private sealed class Job(int[] sizes) : IPreparedJob
        {
            public IReadOnlyDictionary<string, int> ResourcesPerTask => new Dictionary<string, int>();

            public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken) =>
                sizes.Select(size => (ReadOnlyMemory<byte>)BitConverter.GetBytes(size));

            public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(new byte[BinaryPrimitives.ReadInt32LittleEndian(task.Span)]);

            public IJobReducer CreateReducer() => new Reducer();
        }

        private sealed class Reducer : IJobReducer
        {
            private long _bytes;

            public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _bytes += result.Length;

            public JobOutput Complete() => new([new("bytes", _bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);
        }
    }

    /// <summary><c>payloads A B …</c>: task i carries A, B, … bytes and returns their count; the reducer adds them up.</summary>
    private sealed class PayloadsKind : IJobKind
    {
        public string Name => "payloads";

        public string Usage => "payloads N...";

        public IPreparedJob Prepare(IReadOnlyList<string> arguments) => new Job([.. arguments.Select(int.Parse)]);

        private sealed class Job(int[] sizes) : IPreparedJob
        {
            public IReadOnlyDictionary<string, int> ResourcesPerTask => new Dictionary<string, int>();

            public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken) =>
                sizes.Select(size => (ReadOnlyMemory<byte>)new byte[size]);

            public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(BitConverter.GetBytes(task.Length));

            public IJobReducer CreateReducer() => new Reducer();
        }

        private sealed class Reducer : IJobReducer
        {
            private long _bytes;

            public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _bytes += BinaryPrimitives.ReadInt32LittleEndian(result.Span);

            public JobOutput Complete() => new([new("bytes", _bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);
        }
    }

    [Fact]
    public void A_task_too_large_to_send_to_a_consumer_fails_and_the_job_completes_with_the_others()
    {
        var settings = TaskSystemSettings.Default with { MaxResultBytes = 1000, MaxRetries = 3, RetryBackoffMin = TimeSpan.FromMilliseconds(10), ConsumersPerNode = 2 };
        var actors = TaskSystem.StartLocal(Sys, new JobKindRegistry().Register(new PayloadsKind()), settings);

        actors.JobManager.Tell(new SubmitJob("payloads", ["100", "5000", "200", "900", "900"], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>(TimeSpan.FromSeconds(10));
        var finished = ExpectMsg<JobFinished>(TimeSpan.FromSeconds(20));

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        Assert.Equal((4L, 1L, 5L), (finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Equal("2100", finished.Summary.Single(kv => kv.Key == "bytes").Value);
        var failure = Assert.Single(finished.Failures);
        // Never sent, so never retried: the payload will not shrink.
        Assert.Equal((1L, 1, ActorTasks.Tasks.Producers.Producer.TaskTooLargeError), (failure.TaskIndex, failure.Attempts, failure.ErrorType));
    }

    [Fact]
    public void The_job_completes_with_failures_the_oversized_task_failed_and_the_others_counted()
    {
        var settings = TaskSystemSettings.Default with { MaxResultBytes = 1000, MaxRetries = 1, RetryBackoffMin = TimeSpan.FromMilliseconds(10), ConsumersPerNode = 1 };
        var actors = TaskSystem.StartLocal(Sys, new JobKindRegistry().Register(new SizesKind()), settings);

        actors.JobManager.Tell(new SubmitJob("sizes", ["100", "5000", "200"], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>(TimeSpan.FromSeconds(10));
        var finished = ExpectMsg<JobFinished>(TimeSpan.FromSeconds(20));

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        Assert.Equal((2L, 1L), (finished.Done, finished.Failed));
        Assert.Equal("300", finished.Summary.Single(kv => kv.Key == "bytes").Value);
        var failure = Assert.Single(finished.Failures);
        Assert.Equal((1L, 2, Consumer.ResultTooLargeError), (failure.TaskIndex, failure.Attempts, failure.ErrorType));
        Assert.Contains("5000 bytes, more than actortasks.tasks.max-result-bytes (1000)", failure.Message);
    }
}
