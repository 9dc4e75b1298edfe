using ActorTasks.Tasks.JobKinds;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class JobKindRegistryTests
{
    private sealed class Named(string name) : IJobKind
    {
        public string Name => name;
        public string Usage => name;
        public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
    }

    [Fact]
    public void Finds_a_registered_kind_by_name_and_lists_kinds_in_name_order()
    {
        var registry = new JobKindRegistry().Register(new Named("wordcount")).Register(new Named("grep"));
        Assert.True(registry.TryGet("grep", out var grep));
        Assert.Equal("grep", grep.Name);
        Assert.False(registry.TryGet("GREP", out _));
        Assert.Equal(["grep", "wordcount"], registry.All.Select(k => k.Name));
    }

    [Fact]
    public void Refuses_a_second_kind_with_the_same_name()
    {
        var registry = new JobKindRegistry().Register(new Named("grep"));
        var error = Assert.Throws<ArgumentException>(() => registry.Register(new Named("grep")));
        Assert.Contains("'grep' is already registered", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void Refuses_a_name_that_is_not_one_word(string name) =>
        Assert.Throws<ArgumentException>(() => new JobKindRegistry().Register(new Named(name)));

    [Fact]
    public void The_built_in_registry_holds_every_built_in_kind_with_a_usage_that_starts_with_its_name()
    {
        var registry = JobKindRegistry.CreateBuiltIn();
        Assert.Equal(["csv-stats", "download", "grep", "hash", "images", "noop", "primes", "wordcount"], registry.All.Select(k => k.Name));
        Assert.All(registry.All, k => Assert.StartsWith(k.Name + " ", k.Usage));
    }
}
