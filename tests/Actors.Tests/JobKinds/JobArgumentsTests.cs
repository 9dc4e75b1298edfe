using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Common;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class JobArgumentsTests
{
    private static readonly JobOption[] Options = [new("--glob", TakesValue: true, Repeatable: true), new("--top", TakesValue: true), new("--fast", TakesValue: false)];

    [Fact]
    public void Reads_options_in_both_forms_anywhere_and_keeps_positionals_in_order()
    {
        var parsed = JobArguments.Parse(["--glob=*.log", "a", "--top", "5", "b", "--glob", "*.txt", "--fast"], "u", ["A", "B"], Options);
        Assert.Equal(["a", "b"], parsed.Positionals);
        Assert.Equal(["*.log", "*.txt"], parsed.All("--glob"));
        Assert.Equal(5, parsed.Number("--top", 20, 1, 10));
        Assert.True(parsed.Has("--fast"));
    }

    [Fact]
    public void A_double_dash_ends_options_and_single_dash_words_are_positional()
    {
        var parsed = JobArguments.Parse(["-5", "--", "--top"], "u", ["A", "B"], Options);
        Assert.Equal(["-5", "--top"], parsed.Positionals);
        Assert.False(parsed.Has("--top"));
    }

    [Fact]
    public void Numbers_accept_underscores_and_whole_exponents_and_name_the_argument_when_out_of_range()
    {
        Assert.Equal(1_000_000, JobArguments.ParseNumber("N", "1_000_000", 0, long.MaxValue));
        Assert.Equal(1_000_000_000, JobArguments.ParseNumber("N", "1e9", 0, long.MaxValue));
        var error = Assert.Throws<JobArgumentException>(() => JobArguments.ParseNumber("--chunk", "0", 1, 10));
        Assert.Equal("--chunk: 0 is out of range; it must be between 1 and 10", error.Message);
        Assert.Equal("N: '2.5' is not a whole number", Assert.Throws<JobArgumentException>(() => JobArguments.ParseNumber("N", "2.5", 0, 10)).Message);
    }

    [Fact]
    public void A_non_repeatable_option_given_twice_is_refused()
    {
        var error = Assert.Throws<JobArgumentException>(() => JobArguments.Parse(["a", "--top", "1", "--top", "2"], "u", ["A"], Options));
        Assert.Equal("--top", error.Argument);
        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void An_unknown_option_lists_the_accepted_ones()
    {
        var error = Assert.Throws<JobArgumentException>(() => JobArguments.Parse(["a", "--glbo", "x"], "grep …", ["A"], Options));
        Assert.Equal("--glbo: unknown option; it takes --glob, --top, --fast (usage: grep …)", error.Message);
    }
}
