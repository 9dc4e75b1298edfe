using Xunit;

namespace ActorTasks.Hocon.Tests;

/// <summary>Hostile input ends in a ConfigException, never a stack overflow.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("a = ", "[", 100_000)]
    [InlineData("a = ", "{ b = ", 100_000)]
    [InlineData("", "a { ", 100_000)]
    [InlineData("a = ", "[{ x = ", 50_000)]
    public void Deep_nesting_is_rejected_with_a_config_exception(string prefix, string opener, int depth)
    {
        var text = prefix + string.Concat(Enumerable.Repeat(opener, depth));
        var e = Assert.Throws<ConfigException>(() => ConfigFactory.ParseString(text));
        Assert.Contains("nested", e.Message);
    }

    [Fact]
    public void Nesting_within_the_limit_parses_resolves_and_renders()
    {
        const int depth = 500;
        var text = "a = " + string.Concat(Enumerable.Repeat("{ b = ", depth)) + "${x}" + new string('}', depth) + "\nx = 1";
        var c = ConfigFactory.ParseString(text).Resolve(new ConfigResolveOptions { UseEnvironment = false });
        Assert.Equal(1, c.GetInt("a" + string.Concat(Enumerable.Repeat(".b", depth))));
        Assert.NotEmpty(c.ToJson());
        Assert.NotEmpty(c.ToHocon());
    }

    [Fact]
    public void Deep_nesting_is_rejected_even_on_a_small_stack()
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                ConfigFactory.ParseString("a = " + string.Concat(Enumerable.Repeat("[", 900)));
            }
            catch (Exception e)
            {
                caught = e;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.IsType<ConfigException>(caught);
    }

    [Fact]
    public void Very_long_substitution_chains_fail_cleanly()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => $"k{i} = ${{k{i + 1}}}").Append("k20000 = end");
        var c = ConfigFactory.ParseString(string.Join('\n', lines));
        var e = Assert.Throws<ConfigException>(() => c.Resolve(new ConfigResolveOptions { UseEnvironment = false }));
        Assert.Contains("too deep", e.Message);
    }
}
