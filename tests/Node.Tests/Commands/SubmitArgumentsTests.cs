using ActorTasks.Node.Commands;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

public sealed class SubmitArgumentsTests
{
    [Fact]
    public void The_job_kinds_own_options_stay_with_the_job_and_the_commands_move_before_the_separator() =>
        Assert.Equal(
            ["submit", "--seed", "h:1", "--wait", "-Da.b=1", "--", "grep", "x", ".", "--glob", "*.log", "--ignore-case"],
            SubmitCommand.SeparateJobWords(["submit", "grep", "x", ".", "--glob", "*.log", "--seed", "h:1", "--wait", "--ignore-case", "-Da.b=1"]));

    [Fact]
    public void Other_commands_and_an_explicit_separator_are_left_alone()
    {
        Assert.Equal(["seed", "--port", "1"], SubmitCommand.SeparateJobWords(["seed", "--port", "1"]));
        Assert.Equal(["submit", "--seed", "h:1", "--", "noop", "5"], SubmitCommand.SeparateJobWords(["submit", "--seed", "h:1", "--", "noop", "5"]));
    }
}
