using ActorTasks.Messages;
using ActorTasks.Node.Commands;
using ActorTasks.Node.Jobs;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

public sealed class SubmitArgumentsTests
{
    [Fact]
    public void The_job_kinds_own_options_stay_with_the_job_and_the_commands_move_before_the_separator() =>
        Assert.Equal(
            ["submit", "-Da.b=1", "--seed", "h:1", "--wait", "--", "grep", "x", ".", "--glob", "*.log", "--ignore-case"],
            SubmitCommand.SeparateJobWords(["submit", "-Da.b=1", "grep", "x", ".", "--glob", "*.log", "--seed", "h:1", "--wait", "--ignore-case"]));

    [Fact]
    public void Other_commands_and_an_explicit_separator_are_left_alone()
    {
        Assert.Equal(["seed", "--port", "1"], SubmitCommand.SeparateJobWords(["seed", "--port", "1"]));
        Assert.Equal(["submit", "--seed", "h:1", "--", "noop", "5"], SubmitCommand.SeparateJobWords(["submit", "--seed", "h:1", "--", "noop", "5"]));
    }

    [Fact]
    public void The_documented_form_with_the_jobs_double_dash_before_submits_options_keeps_that_double_dash_for_the_job()
    {
        var words = SubmitCommand.SeparateJobWords(["submit", "grep", "--", "--force", "DIR", "--seed", "H:P", "--wait"]);

        Assert.Equal(["submit", "--seed", "H:P", "--wait", "--", "grep", "--", "--force", "DIR"], words);
        var (kind, arguments, options) = JobCommands.ParseSubmit(words[(Array.IndexOf(words, "--") + 1)..]);
        Assert.Equal(("grep", JobOptions.Default), (kind, options));
        Assert.Equal(["--", "--force", "DIR"], arguments);
    }

    [Fact]
    public void With_the_seed_first_the_jobs_double_dash_is_not_swallowed() =>
        Assert.Equal(["submit", "--seed", "H:P", "--", "grep", "--", "--force", "DIR"],
            SubmitCommand.SeparateJobWords(["submit", "--seed", "H:P", "grep", "--", "--force", "DIR"]));

    [Fact]
    public void Fail_fast_and_max_retries_after_the_jobs_double_dash_are_the_jobs_words()
    {
        var (_, arguments, options) = JobCommands.ParseSubmit(["grep", "--", "--fail-fast", "DIR", "--max-retries", "3"]);

        Assert.Equal(JobOptions.Default, options);
        Assert.Equal(["--", "--fail-fast", "DIR", "--max-retries", "3"], arguments);
        Assert.Equal(new JobOptions(FailFast: true, MaxRetries: null), JobCommands.ParseSubmit(["grep", "x", "--fail-fast", "DIR"]).Options);
    }

    [Fact]
    public void Short_options_after_the_kind_stay_the_jobs_and_before_it_are_submits() =>
        Assert.Equal(["submit", "-w", "--seed", "H:P", "--wait", "--", "grep", "-w", "DIR", "-s", "-o", "x"],
            SubmitCommand.SeparateJobWords(["submit", "-w", "grep", "-w", "DIR", "-s", "-o", "x", "--seed", "H:P", "--wait"]));

    [Theory]
    [InlineData("submit --seed H:P grep x DIR --max-retries=3")]
    [InlineData("submit --seed H:P grep x DIR --max-retries 3")]
    [InlineData("submit --max-retries=3 --seed H:P grep x DIR")]
    [InlineData("submit --max-retries 3 --seed H:P grep x DIR")]
    public void Max_retries_is_read_in_both_forms_before_or_after_the_kind(string line)
    {
        var words = SubmitCommand.SeparateJobWords(line.Split(' '));
        var (kind, arguments, options) = JobCommands.ParseSubmit(words[(Array.IndexOf(words, "--") + 1)..]);

        Assert.Equal(("grep", 3), (kind, options.MaxRetries));
        Assert.Equal(["x", "DIR"], arguments);
    }

    [Theory]
    [InlineData("--max-retries=many")]
    [InlineData("--max-retries=-1")]
    public void A_bad_max_retries_is_refused_naming_it(string word) =>
        Assert.StartsWith("--max-retries: ", Assert.Throws<ArgumentException>(() => JobCommands.ParseSubmit(["grep", "x", "DIR", word])).Message);
}
