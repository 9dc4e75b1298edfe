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
    private const string Base = "/home/user/work";

    [Fact]
    public void ResolvePaths_makes_the_chosen_positionals_absolute_and_leaves_option_values_and_other_words_alone()
    {
        var resolved = JobArguments.ResolvePaths(["--glob", "*.log", "pattern", "--top=5", "logs/app", "--fast", "/abs/path", "../up"], Options,
            position => position >= 1, Base);

        Assert.Equal(["--glob", "*.log", "pattern", "--top=5", $"{Base}/logs/app", "--fast", "/abs/path", "/home/user/up"], resolved);
    }

    [Fact]
    public void ResolvePaths_counts_positions_after_a_double_dash_and_leaves_a_dangling_option_for_Prepare_to_report()
    {
        Assert.Equal(["--", "--force", $"{Base}/dir"], JobArguments.ResolvePaths(["--", "--force", "dir"], Options, p => p == 1, Base));
        Assert.Equal([$"{Base}/dir", "--glob"], JobArguments.ResolvePaths(["dir", "--glob"], Options, _ => true, Base));
        Assert.Equal(["", "x"], JobArguments.ResolvePaths(["", "x"], Options, p => p == 0, Base));
    }

    [Theory]
    [InlineData("grep", new[] { "ERROR", "logs", "--glob", "*.log" }, new[] { "ERROR", "BASE/logs", "--glob", "*.log" })]
    [InlineData("grep", new[] { "--ignore-case", "--", "--force", "." }, new[] { "--ignore-case", "--", "--force", "BASE" })]
    [InlineData("csv-stats", new[] { "--column", "price.csv", "data/sales.csv" }, new[] { "--column", "price.csv", "BASE/data/sales.csv" })]
    [InlineData("csv-stats", new[] { "sales.csv", "--delimiter", ";", "--column", "x" }, new[] { "BASE/sales.csv", "--delimiter", ";", "--column", "x" })]
    [InlineData("wordcount", new[] { "a.txt", "--top", "5", "books/", "/abs" }, new[] { "BASE/a.txt", "--top", "5", "BASE/books/", "/abs" })]
    [InlineData("primes", new[] { "1000", "--chunk", "10" }, new[] { "1000", "--chunk", "10" })]
    public void Each_built_in_kind_makes_its_path_arguments_absolute_where_they_were_typed(string kind, string[] typed, string[] expected)
    {
        Assert.True(JobKindRegistry.CreateBuiltIn().TryGet(kind, out var jobKind));
        Assert.Equal(expected.Select(e => e.Replace("BASE", Base)), jobKind.ResolvePaths(typed, Base));
    }
}

