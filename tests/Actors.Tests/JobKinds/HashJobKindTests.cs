using System.Security.Cryptography;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Hash;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class HashJobKindTests
{
    private readonly HashJobKind _kind = new();

    /// <summary>The job's digest computed the plain way: every task's iterated SHA-256, XORed together.</summary>
    private static string Reference(int tasks, int rounds)
    {
        var total = new byte[32];
        using var sha = SHA256.Create();
        for (long i = 0; i < tasks; i++)
        {
            var digest = sha.ComputeHash(BitConverter.IsLittleEndian ? BitConverter.GetBytes(i) : BitConverter.GetBytes(i).Reverse().ToArray());
            for (var r = 1; r < rounds; r++)
                digest = sha.ComputeHash(digest);
            for (var b = 0; b < 32; b++)
                total[b] ^= digest[b];
        }
        return Convert.ToHexString(total).ToLowerInvariant();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 7)]
    [InlineData(25, 1000)]
    public async Task Digest_equals_the_xor_of_each_tasks_iterated_sha256(int tasks, int rounds)
    {
        var job = _kind.Prepare([tasks.ToString(), "--rounds", rounds.ToString()]);
        var expected = Reference(tasks, rounds);
        for (var seed = 1; seed <= 3; seed++)
        {
            var run = await JobHarness.RunShuffledAsync(job, seed);
            Assert.Equal(expected, run.Output.Get("digest"));
            Assert.Equal(tasks.ToString(), run.Output.Get("tasks"));
        }
    }

    [Fact]
    public async Task Defaults_to_a_thousand_rounds()
    {
        var run = await JobHarness.RunShuffledAsync(_kind.Prepare(["3"]));
        Assert.Equal("1000", run.Output.Get("rounds"));
        Assert.Equal(Reference(3, 1000), run.Output.Get("digest"));
    }

    [Fact]
    public async Task A_partial_result_says_how_many_tasks_it_holds()
    {
        var output = await JobHarness.RunPartialAsync(_kind.Prepare(["4", "--rounds", "2"]), i => i < 2);
        Assert.Equal(Reference(2, 2), output.Get("digest"));
        Assert.Contains("partial: 2 of 4 tasks", output.Lines.Single());
    }

    [Fact]
    public async Task A_cancelled_task_stops()
    {
        var job = _kind.Prepare(["1", "--rounds", "100000000"]);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var task = job.Split(CancellationToken.None).First();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await job.ProcessAsync(task, new TaskContext(cancel.Token)));
    }

    [Theory]
    [InlineData(new[] { "0" }, "N")]
    [InlineData(new[] { "5", "--rounds", "0" }, "--rounds")]
    [InlineData(new[] { "5", "--rounds" }, "--rounds")]
    [InlineData(new[] { "5", "--rounds", "many" }, "--rounds")]
    [InlineData(new[] { "5", "--salt", "x" }, "--salt")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument) =>
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => _kind.Prepare(arguments)).Argument);
}
