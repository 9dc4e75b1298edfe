using ActorTasks.Messages;
using ActorTasks.Node.Commands;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

public sealed class CliTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "submit", "grep", "x", "." }, "--seed")]
    [InlineData(new[] { "seed", "--port" }, "--port")]
    public void A_command_line_that_does_not_parse_exits_2_naming_the_problem_and_pointing_to_help(string[] args, string named)
    {
        var error = new StringWriter();

        Assert.Equal(2, Cli.Run(args, error));

        Assert.Contains(named, error.ToString());
        Assert.Contains("--help' lists the commands and options", error.ToString());
    }

    [Theory]
    [InlineData(JobState.Completed, 0)]
    [InlineData(JobState.Failed, 1)]
    [InlineData(JobState.Cancelled, 3)]
    [InlineData(JobState.CompletedWithFailures, 4)]
    public void Submit_wait_exits_with_how_the_job_ended_and_a_job_with_failed_tasks_is_not_a_clean_success(JobState state, int exit) =>
        Assert.Equal(exit, SubmitCommand.ExitCodeFor(state));
}
