using System.Globalization;
using System.Text;
using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds.Grep;
using ActorTasks.Tasks.JobKinds.WordCount;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests;

/// <summary>
/// Whole jobs whose output is larger than one task's result (<c>max-result-bytes</c>) or than one message: a big log
/// through grep, a file of distinct words through wordcount. Each would once fail its one task and end with nothing.
/// </summary>
public sealed class LargeResultTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    /// <summary>A log of <paramref name="lines"/> lines, two in three at INFO; its INFO lines as grep -n prints them.</summary>
    private (string File, List<string> Expected) WriteLog(int lines)
    {
        var text = new StringBuilder();
        var path = Path.Combine(_temp.Path, "app.log");
        var expected = new List<string>();
        for (var i = 0; i < lines; i++)
        {
            var line = i % 3 == 2
                ? $"2026-12-06T06:{i / 60 % 60:D2}:{i % 60:D2}Z WARN slow disk {i}"
                : $"2026-12-06T06:{i / 60 % 60:D2}:{i % 60:D2}Z INFO request {i} served in {i % 997} ms";
            text.Append(line).Append('\n');
            if (i % 3 != 2) expected.Add($"{path}:{i + 1}:{line}");
        }
        _temp.Write("app.log", text.ToString());
        return (path, expected);
    }

    /// <summary>The job's output: the lines its JobFinished carries, then every page the job manager gives.</summary>
    private List<string> AllLines(Akka.Actor.IActorRef jobs, JobFinished finished)
    {
        var lines = finished.Lines.ToList();
        while (lines.Count < finished.LineCount)
        {
            jobs.Tell(new GetJobLines(finished.JobId, lines.Count, int.MaxValue), TestActor);
            var page = ExpectMsg<JobLines>();
            Assert.Equal(lines.Count, page.From);
            Assert.NotEmpty(page.Lines);
            lines.AddRange(page.Lines);
        }
        return lines;
    }

    [Fact]
    public void Grep_over_a_log_whose_matches_outgrow_a_task_result_returns_every_matching_line_numbered()
    {
        var (file, expected) = WriteLog(60_000);
        var length = new FileInfo(file).Length;
        // Scaled down from the issue (20 MB, 189,274 matches, 3 MiB results): 3.5 MB, 40,000 matches, 256 KiB results.
        var settings = Settings() with { MaxResultBytes = 256 << 10 };
        var actors = Start(Sys, settings, new GrepJobKind(new GrepTuning(64, 64 << 10, RangeBytes: 64 << 10)));

        actors.JobManager.Tell(new SubmitJob("grep", ["INFO", file], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal((long)expected.Count, finished.LineCount);
        // The matches alone are several times what one task may return, and more than one message carries.
        Assert.True(expected.Sum(l => l.Length) > 10 * settings.MaxResultBytes);
        Assert.NotNull(finished.LinesTotal);
        Assert.Equal(expected, AllLines(actors.JobManager, finished));
        var summary = finished.Summary.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("1", "40000", "0"), (summary["files"], summary["matches"], summary["errors"]));
        Assert.Equal(((length + (64 << 10) - 1) / (64 << 10)).ToString(CultureInfo.InvariantCulture), summary["tasks"]);
    }

    [Fact]
    public void A_job_whose_only_task_returns_too_much_fails_instead_of_completing_empty()
    {
        var (file, _) = WriteLog(20_000);
        var settings = Settings() with { MaxResultBytes = 256 << 10, MaxRetries = 0 };
        // One range for the whole file: the task's result is larger than a result may be.
        var actors = Start(Sys, settings, new GrepJobKind(new GrepTuning(64, 64 << 20, RangeBytes: 64 << 20)));

        actors.JobManager.Tell(new SubmitJob("grep", ["INFO", file], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal(Consumer.ResultTooLargeError, Assert.Single(finished.Failures).ErrorType);
        Assert.StartsWith("every task failed (1 of 1)", finished.Reason);
    }

    [Fact]
    public void Wordcount_over_megabytes_of_distinct_words_completes_with_the_default_ranges_and_result_limit()
    {
        // 500,000 distinct words, 3.4 MB: one task for the whole file would return 4 MB, more than the 3 MiB a result may be.
        const int count = 500_000;
        var words = Enumerable.Range(0, count).Select(i => "w" + i.ToString("x", CultureInfo.InvariantCulture)).ToList();
        var file = _temp.Write("distinct.txt", string.Join(' ', words) + "\n");
        Assert.True(new FileInfo(file).Length > 3 << 20);
        var settings = Settings();
        Assert.Equal(3L << 20, settings.MaxResultBytes);
        var actors = Start(Sys, settings, new WordCountJobKind());

        actors.JobManager.Tell(new SubmitJob("wordcount", [file], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        var summary = finished.Summary.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("500000", "500000"), (summary["words"], summary["distinct words"]));
        Assert.Equal(words.Order(StringComparer.Ordinal).Take(20).Select(w => w + "\t1"), finished.Lines);
        Assert.Equal(0, finished.Failed);
    }
}
