using System.Collections;
using System.Diagnostics;
using System.Text;
using ActorTasks.Node.Configuration;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

/// <summary>
/// Text that Akka's HOCON parser reads without complaint (or crashes on) is refused before it is used, with a message
/// naming the file, the line and the problem: a broken file must never run with settings the user did not write.
/// </summary>
public sealed class HoconTextTests : IDisposable
{
    private static readonly Hashtable NoEnvironment = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actortasks-hocon");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteConfig(string text, string name = "node.conf")
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("actortasks {\n  tasks {\n    prefetch = 64\n  }\n", "line 5, column 1: the '{' opened at line 1, column 12 is never closed")]
    [InlineData("actortasks.tasks.prefetch = ", "line 1, column 29: the key 'actortasks.tasks.prefetch' has no value after its separator")]
    [InlineData("a =\nb = 2\n", "line 1, column 4: the key 'a' has no value after its separator")]
    [InlineData("a = 1\n}\nb = 2\n", "line 2, column 1: '}' closes nothing")]
    [InlineData("a = [1, 2\nb = 3\n", "line 2, column 3: unexpected '=' in the list opened at line 1, column 5")]
    [InlineData("a = [1, 2\n", "the '[' opened at line 1, column 5 is never closed")]
    [InlineData("a = \"abc\nb = 2\n", "line 1, column 5: the quoted string is not closed on its line")]
    [InlineData("a {\n  b = 1\n", "the '{' opened at line 1, column 3 is never closed")]
    [InlineData("a b c\n", "the key 'abc' has no value")]
    public void Malformed_text_that_Akka_would_accept_is_refused_naming_the_source_line_and_problem(string text, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => HoconText.Parse(text, "node.conf"));
        Assert.StartsWith("node.conf: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_self_referential_substitution_is_refused_instead_of_overflowing_the_stack()
    {
        var e = Assert.Throws<ConfigException>(() => HoconText.Parse("a = 1\na = ${a}${a}\n", "loop.conf"));
        Assert.Equal("loop.conf: the value of 'a' refers to itself through its substitutions", e.Message);
        var cycle = Assert.Throws<ConfigException>(() => HoconText.Parse("a = ${b}\nb = ${a}\n", "cycle.conf"));
        Assert.StartsWith("cycle.conf: ", cycle.Message);
        Assert.Contains("refers to itself", cycle.Message);
    }

    [Fact]
    public void A_substitution_that_doubles_at_each_of_40_lines_fails_fast_with_a_message()
    {
        var text = new StringBuilder("a0 = \"0123456789\"\n");
        for (var i = 1; i <= 40; i++) text.Append($"a{i} = ${{a{i - 1}}}${{a{i - 1}}}\n");
        var clock = Stopwatch.StartNew();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var e = Assert.Throws<ConfigException>(() => HoconText.Parse(text.ToString(), "bomb.conf"));

        Assert.StartsWith("bomb.conf: the value of 'a", e.Message);
        Assert.Contains($"grows past {HoconText.MaxResolvedLength:N0} characters", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        // 10 characters doubled 40 times would be 10 TiB: a few MiB at most may have been touched.
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - memoryBefore < 200L << 20, "the check used hundreds of MiB");
    }

    [Fact]
    public void A_substitution_that_stays_small_resolves()
    {
        var c = HoconText.Parse("a0 = ab\na1 = ${a0}${a0}\na2 = ${a1}-${a1}\nlist = [${a0}, ${a1}]\n", "ok.conf");
        Assert.Equal("abab-abab", c.GetString("a2"));
        Assert.Equal(["ab", "abab"], c.GetStringList("list"));
    }

    [Fact]
    public void Includes_are_read_relative_to_the_including_file_and_a_broken_one_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "conf.d"));
        WriteConfig("actortasks.tasks.prefetch = 12\n", Path.Combine("conf.d", "tasks.conf"));
        var main = WriteConfig("include \"conf.d/tasks.conf\"\nactortasks.tasks.max-retries = 1\n");
        var config = NodeConfig.Load(null, main, [], NoEnvironment);
        Assert.Equal(12, config.Config.GetInt("actortasks.tasks.prefetch"));
        Assert.Equal(1, config.Config.GetInt("actortasks.tasks.max-retries"));

        var broken = WriteConfig("a = {\n", Path.Combine("conf.d", "broken.conf"));
        var includer = WriteConfig("include \"conf.d/broken.conf\"\n", "includer.conf");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, includer, [], NoEnvironment));
        Assert.StartsWith(broken, e.Message);

        var missing = WriteConfig("include \"conf.d/none.conf\"\n", "missing.conf");
        var gone = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, missing, [], NoEnvironment));
        Assert.StartsWith($"{missing}: include \"conf.d/none.conf\": no such file", gone.Message);
    }

    [Fact]
    public void A_file_including_itself_is_refused()
    {
        var self = WriteConfig("include \"node.conf\"\na = 1\n");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, self, [], NoEnvironment));
        Assert.Contains("include itself", e.Message);
    }

    [Theory]
    [InlineData("actortasks {\n  tasks {\n    prefetch = 64\n  }\n")]
    [InlineData("a =\nb = 2\n")]
    [InlineData("a = 1\na = ${a}${a}\n")]
    public void Through_the_node_configuration_the_message_names_the_file(string text)
    {
        var file = WriteConfig(text, "broken.conf");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load("seed", file, [], NoEnvironment));
        Assert.StartsWith($"{file}: ", e.Message);
    }
}
