using ActorTasks.Hocon;
using Xunit;

namespace ActorTasks.Hocon.Tests.Conformance;

/// <summary>What the corpus README asks of test01…test04, cycle.conf, bom.conf and env-variables.conf.</summary>
public class CorpusFileTests
{
    private static Config Load(string name) => ConfigFactory.ParseFile(Corpus.PathOf(name));

    [Fact]
    public void Test04_an_actor_system_reference_config_parses_and_every_key_reads_back()
    {
        var config = Load("test04.conf").Resolve();
        var leaves = Leaves(config.Root, "").ToList();

        // 118 assignments in the file, one of them (max-items) repeated.
        Assert.Equal(117, leaves.Count);
        foreach (var (path, value) in leaves)
        {
            Assert.True(config.HasPath(path), path);
            Assert.Same(value, config.GetValue(path));
            if (value is ConfigString or ConfigNumber or ConfigBoolean)
                Assert.Equal(value.TextForConcatenationForTests(), config.GetString(path));
        }
        Assert.Equal("2.0-SNAPSHOT", config.GetString("akka.version"));
        Assert.Equal(5, config.GetInt("akka.actor.throughput"));
        Assert.Equal(8.0, config.GetDouble("akka.actor.default-dispatcher.core-pool-size-factor"));
        Assert.True(config.GetBoolean("akka.event-handler-dispatcher.allow-core-timeout"));
        Assert.False(config.GetBoolean("akka.actor.serialize-messages"));
        Assert.Equal(["wallace:2552", "gromit:2552"], config.GetStringList("akka.actor.deployment.\"/app/service-ping\".remote.nodes"));
        Assert.Equal(9223372036854775807L, config.GetLong("akka.actor.mailbox.file-based.max-journal-size-absolute"));
        Assert.Equal("mongodb://localhost/akka.mailbox", config.GetString("akka.actor.mailbox.mongodb.uri"));
        Assert.Empty(config.GetStringList("akka.enabled-modules"));
        Assert.Equal("1.0", config.GetString("akka.test.timefactor"));
    }

    [Fact]
    public void Test01_reads_back_ints_strings_lists_durations_and_sizes()
    {
        var c = ConfigFactory.ParseFile(Corpus.PathOf("test01.conf")).Resolve(new ConfigResolveOptions { UseEnvironment = false });

        Assert.Equal(42, c.GetInt("ints.fortyTwoAgain"));
        Assert.Equal(0.33, c.GetDouble("floats.pointThirtyThreeAgain"));
        Assert.Equal("abcd", c.GetString("strings.abcdAgain"));
        Assert.Equal("null bar 42 baz true 3.14 hi", c.GetString("strings.concatenated"));
        Assert.True(c.GetBoolean("strings.yes"));
        Assert.False(c.GetBoolean("strings.no"));
        Assert.Equal(57, c.GetInt("strings.number"));
        Assert.Equal(["a", "b", "c"], c.GetStringList("arrays.ofString"));
        Assert.Equal(3, c.GetList("arrays.ofArray").Count);
        Assert.Equal([1, 2, 3], c.GetIntList("arrays.ofInt"));
        Assert.Equal(TimeSpan.FromSeconds(1), c.GetTimeSpan("durations.second"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.GetTimeSpan("durations.halfSecond"));
        Assert.Equal(TimeSpan.FromMilliseconds(1), c.GetTimeSpan("durations.millis"));
        Assert.Equal(TimeSpan.FromMilliseconds(2), c.GetTimeSpan("durations.micros"));
        Assert.Equal(TimeSpan.FromSeconds(1), c.GetTimeSpan("durations.secondAsNumber"));
        Assert.Equal(TimeSpan.FromTicks(48789553554352722), c.GetTimeSpan("durations.largeNanos"));
        Assert.Equal(TimeSpan.FromTicks(48789553554352722), c.GetTimeSpan("durations.plusLargeNanos"));
        Assert.Equal(TimeSpan.FromTicks(-48789553554352722), c.GetTimeSpan("durations.minusLargeNanos"));
        Assert.Equal(1024 * 1024, c.GetByteSize("memsizes.meg"));
        Assert.Equal(512 * 1024, c.GetByteSize("memsizes.halfMeg"));
        Assert.Equal(1048576, c.GetByteSize("memsizes.megAsNumber"));
        Assert.False(c.HasPath("system.not_here"));
        Assert.Equal("Your Java version is  and your user.home is ", c.GetString("system.concatenated"));
    }

    [Fact]
    public void Test02_quoted_keys_and_empty_path_elements_work_in_keys_and_substitutions()
    {
        var c = Load("test02.conf");
        Assert.Equal(42, c.GetInt("42_a"));
        Assert.Equal(42, c.GetInt("42_b"));
        Assert.Equal(42, c.GetInt("\"\".\"\".\"\""));
        Assert.Equal(57, c.GetInt("57_a"));
        Assert.Equal(57, c.GetInt("57_b"));
        Assert.Equal(103, c.GetInt("103_a"));
        Assert.Equal(103, c.GetInt("\"a.b.c\""));
        Assert.Equal(261, c.GetInt("\"-\""));
    }

    [Fact]
    public void Test03_includes_merge_and_their_substitutions_fall_back_to_the_including_file()
    {
        var c = Load("test03.conf");
        Assert.Equal(42, c.GetInt("test01.booleans"));
        Assert.Equal(42, c.GetInt("test01.ints.fortyTwo"));
        Assert.Equal(1, c.GetInt("test01.fromJson1"));
        Assert.Equal("abc", c.GetString("test01.fromProps.abc"));
        Assert.Equal(1, c.GetInt("test01.fromProps.one"));
        Assert.Equal(42, c.GetInt("test02.42_a"));
        Assert.Equal(42, c.GetInt("equiv01.ints.fortyTwo"));
        Assert.True(c.GetConfig("nonexistent").IsEmpty);
        Assert.Equal("This is in the included file", c.GetString("foo"));
        Assert.Equal("This is in the included file", c.GetString("a"));
        Assert.Equal("This is in the including file", c.GetString("b"));
        Assert.Equal("This is in the included file", c.GetString("subtree.a"));
        Assert.Equal("This is in the including file", c.GetString("subtree.b"));
    }

    [Fact]
    public void Cycle_conf_fails_with_a_clear_include_cycle_error()
    {
        var e = Assert.Throws<ConfigException>(() => Load("cycle.conf"));
        Assert.Contains("cycle", e.Message);
        Assert.Contains("cycle.conf", e.Message);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Bom_conf_ignores_the_byte_order_mark()
    {
        Assert.Equal(0xEF, File.ReadAllBytes(Corpus.PathOf("bom.conf"))[0]);
        Assert.Equal("bar", Load("bom.conf").GetString("foo"));
        Assert.Equal("bar", ConfigFactory.ParseBytes(File.ReadAllBytes(Corpus.PathOf("bom.conf"))).GetString("foo"));
        Assert.Equal("bar", ConfigFactory.ParseString("\uFEFFfoo = bar").GetString("foo"));
    }

    [Fact]
    public void Env_variables_conf_keeps_defaults_when_the_variables_are_unset()
    {
        var c = Load("env-variables.conf").Resolve(new ConfigResolveOptions { Environment = _ => null });
        Assert.Equal("a", c.GetString("secret"));
        Assert.Empty(c.GetStringList("secrets"));
    }

    [Fact]
    public void Env_variables_conf_takes_values_from_the_environment_when_set()
    {
        var env = new Dictionary<string, string> { ["SECRET_A"] = "A", ["SECRET_B"] = "B", ["SECRET_C"] = "C" };
        var c = Load("env-variables.conf").Resolve(new ConfigResolveOptions { Environment = env.GetValueOrDefault });
        Assert.Equal("A", c.GetString("secret"));
        Assert.Equal(["B", "C"], c.GetStringList("secrets"));
    }

    [Fact]
    public void Env_variables_conf_reads_the_real_process_environment_by_default()
    {
        Environment.SetEnvironmentVariable("SECRET_A", "from-process");
        try
        {
            Assert.Equal("from-process", Load("env-variables.conf").GetString("secret"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRET_A", null);
        }
    }

    [Fact]
    public void Every_corpus_file_meant_to_stand_alone_parses_and_resolves()
    {
        string[] needContext = ["cycle.conf", "test03-included.conf", "test13-reference-bad-substitutions.conf", "include-from-list.conf"];
        var files = System.IO.Directory.GetFiles(Corpus.Directory, "*.conf", SearchOption.AllDirectories)
            .Where(f => !needContext.Contains(Path.GetFileName(f)));
        foreach (var file in files)
            ConfigFactory.ParseFile(file).Resolve(new ConfigResolveOptions { UseEnvironment = false });
    }

    [Fact]
    public void Include_inside_a_list_element_resolves_relative_to_that_element()
    {
        var c = Load("include-from-list.conf");
        var element = Assert.IsType<ConfigObject>(c.GetList("a")[0]);
        var ints = Assert.IsType<ConfigObject>(element["ints"]);
        Assert.Equal("42", ((ConfigNumber)ints["fortyTwoAgain"]).Text);
    }

    private static IEnumerable<(string Path, ConfigValue Value)> Leaves(ConfigObject obj, string prefix)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? ConfigPathForTests.Key(key) : prefix + "." + ConfigPathForTests.Key(key);
            if (value is ConfigObject child && child.Count > 0)
            {
                foreach (var leaf in Leaves(child, path))
                    yield return leaf;
            }
            else
            {
                yield return (path, value);
            }
        }
    }
}

internal static class ConfigPathForTests
{
    /// <summary>A key as a path element: quoted unless it is a plain word.</summary>
    public static string Key(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && key.Length > 0 ? key : "\"" + key.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string TextForConcatenationForTests(this ConfigValue v) => v switch
    {
        ConfigString s => s.Value,
        ConfigNumber n => n.Text,
        ConfigBoolean b => b.Value ? "true" : "false",
        _ => throw new ArgumentException("not a simple value"),
    };
}
