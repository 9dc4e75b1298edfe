using System.Collections;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private static readonly Hashtable NoEnvironment = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actortasks-config");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteConfig(string text, string name = "app.conf")
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reference_conf_is_the_lowest_layer_with_every_runtime_default()
    {
        var c = ConfigLoader.Load(null, null, [], NoEnvironment);
        Assert.Equal("local", c.GetString("actortasks.actor.provider"));
        Assert.Equal(30, c.GetInt("actortasks.actor.throughput"));
        Assert.Equal(TimeSpan.FromSeconds(10), c.GetTimeSpan("actortasks.actor.ask-timeout"));
        Assert.Equal(0, c.GetInt("actortasks.actor.mailbox-capacity"));
        Assert.True(c.GetBoolean("actortasks.actor.dead-letters.log"));
        Assert.Equal(10, c.GetInt("actortasks.actor.dead-letters.log-max-per-interval"));
        Assert.Equal(TimeSpan.FromSeconds(10), c.GetTimeSpan("actortasks.actor.dead-letters.log-interval"));
        Assert.True(c.GetBoolean("actortasks.actor.log-unhandled"));
        Assert.Equal("info", c.GetString("actortasks.log.level"));
        Assert.StartsWith("reference.conf:", c.GetValue("actortasks.actor.throughput").Origin.ToString());
    }

    [Fact]
    public void Runtime_settings_read_the_loaded_configuration()
    {
        var c = ConfigLoader.Load("worker", null, ["actortasks.log.level=debug", "actortasks.actor.ask-timeout=3s"], NoEnvironment);
        var settings = RuntimeSettings.Create(c);
        Assert.Equal(10, settings.Throughput);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.AskTimeout);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, settings.LogLevel);
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_it()
    {
        var file = WriteConfig("actortasks.actor { throughput = 20, mailbox-capacity = 100, dead-letters.log-max-per-interval = 3 }");
        var env = new Hashtable
        {
            ["ACTORTASKS__actor__mailbox-capacity"] = "200",
            ["ACTORTASKS__actor__dead-letters__log-max-per-interval"] = "4",
        };
        string[] defines = ["actortasks.actor.dead-letters.log-max-per-interval=5"];

        var c = ConfigLoader.Load("worker", file, defines, env);

        Assert.Equal("info", c.GetString("actortasks.log.level"));                      // reference.conf
        Assert.Equal("logs/worker", c.GetString("actortasks.log.file-directory"));       // preset over reference
        Assert.Equal(20, c.GetInt("actortasks.actor.throughput"));                        // file over preset
        Assert.Equal(200, c.GetInt("actortasks.actor.mailbox-capacity"));                 // environment over file
        Assert.Equal(5, c.GetInt("actortasks.actor.dead-letters.log-max-per-interval")); // -D over environment

        Assert.StartsWith("reference.conf:", c.GetValue("actortasks.log.level").Origin.ToString());
        Assert.StartsWith("hocon/worker.conf", c.GetValue("actortasks.log.file-directory").Origin.ToString());
        Assert.StartsWith(file, c.GetValue("actortasks.actor.throughput").Origin.ToString());
        Assert.Equal("environment variable ACTORTASKS__actor__mailbox-capacity", c.GetValue("actortasks.actor.mailbox-capacity").Origin.ToString());
        Assert.Equal("-D actortasks.actor.dead-letters.log-max-per-interval=5", c.GetValue("actortasks.actor.dead-letters.log-max-per-interval").Origin.ToString());
    }

    [Fact]
    public void Presets_are_found_next_to_the_executable_and_differ_by_role()
    {
        Assert.Equal("logs/seed", ConfigLoader.Load("seed", null, [], NoEnvironment).GetString("actortasks.log.file-directory"));
        Assert.Equal("logs/worker", ConfigLoader.Load("worker", null, [], NoEnvironment).GetString("actortasks.log.file-directory"));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "hocon", "seed.conf")));
    }

    [Fact]
    public void Presets_are_also_embedded_in_the_executable()
    {
        var assembly = typeof(Cli).Assembly;
        Assert.Contains("ActorTasks.seed.conf", assembly.GetManifestResourceNames());
        Assert.Contains("ActorTasks.worker.conf", assembly.GetManifestResourceNames());
        var embedded = ConfigFactory.ParseResource(assembly, "ActorTasks.worker.conf");
        Assert.Equal(10, embedded.GetInt("actortasks.actor.throughput"));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("../secrets")]
    [InlineData("Seed")]
    public void Unknown_or_malformed_presets_are_config_errors(string role) =>
        Assert.Contains(role, Assert.Throws<ConfigException>(() => ConfigLoader.Load(role, null, [], NoEnvironment)).Message);

    [Fact]
    public void Environment_names_map_double_underscores_to_dots()
    {
        var env = new Hashtable
        {
            ["ACTORTASKS__actor__throughput"] = "50",
            ["ACTORTASKS__ACTOR__ASK_TIMEOUT"] = "3s",
            ["ACTORTASKS__log__level"] = "warning",
            ["ACTORTASKS__custom__list"] = "[a, b]",
            ["ACTORTASKS__custom__text"] = "a,b # not a comment",
            ["UNRELATED"] = "x",
        };
        var c = ConfigLoader.Load(null, null, [], env);
        Assert.Equal(50, c.GetInt("actortasks.actor.throughput"));
        Assert.IsType<ConfigNumber>(c.GetValue("actortasks.actor.throughput"));
        Assert.Equal(TimeSpan.FromSeconds(3), c.GetTimeSpan("actortasks.actor.ask-timeout"));
        Assert.Equal("warning", c.GetString("actortasks.log.level"));
        Assert.Equal(["a", "b"], c.GetStringList("actortasks.custom.list"));
        Assert.Equal("a,b # not a comment", c.GetString("actortasks.custom.text"));
        Assert.False(c.HasPath("unrelated"));
    }

    [Fact]
    public void Environment_variable_with_an_empty_path_element_is_an_error_naming_it()
    {
        var env = new Hashtable { ["ACTORTASKS__actor____throughput"] = "1" };
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, null, [], env));
        Assert.Contains("ACTORTASKS__actor____throughput", e.Message);
    }

    [Fact]
    public void Defines_parse_values_as_hocon_and_later_ones_win()
    {
        var c = ConfigLoader.Load(null, null,
            ["actortasks.actor.throughput=1", "actortasks.actor.throughput = 2", "x.\"quoted.key\"=[1, 2]", "x.s=hello world", "x.empty="],
            NoEnvironment);
        Assert.Equal(2, c.GetInt("actortasks.actor.throughput"));
        Assert.Equal([1, 2], c.GetIntList("x.\"quoted.key\""));
        Assert.Equal("hello world", c.GetString("x.s"));
        Assert.Equal("", c.GetString("x.empty"));
    }

    [Theory]
    [InlineData("actortasks.actor.throughput", "expected key=value")]
    [InlineData("=5", "expected a key")]
    [InlineData("a..b=1", "expected a key path")]
    public void Bad_define_syntax_is_an_error_naming_the_argument(string define, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, null, [define], NoEnvironment));
        Assert.StartsWith($"-D {define}: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Substitutions_resolve_across_layers_and_against_the_given_environment()
    {
        var file = WriteConfig("actortasks.log.file-directory = ${HOME}/actortasks/${actortasks.log.level}");
        var env = new Hashtable { ["HOME"] = "/home/u" };
        var c = ConfigLoader.Load(null, file, ["actortasks.log.level=debug"], env);
        Assert.Equal("/home/u/actortasks/debug", c.GetString("actortasks.log.file-directory"));
    }

    [Fact]
    public void A_bad_config_file_fails_with_file_line_column_expected_and_found()
    {
        var file = WriteConfig("actortasks {\n  actor {\n    throughput = [1,\n  }\n}\n", "bad.conf");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, file, [], NoEnvironment));
        Assert.Equal($"{file}:4:3: expected a value but found '}}'", e.Message);
    }

    [Fact]
    public void A_missing_config_file_is_an_error_naming_it()
    {
        var missing = Path.Combine(_dir.FullName, "nothere.conf");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, missing, [], NoEnvironment));
        Assert.StartsWith(missing, e.Message);
    }

    [Fact]
    public void Process_environment_is_used_when_none_is_given()
    {
        Environment.SetEnvironmentVariable("ACTORTASKS__test__from-process", "yes");
        try
        {
            Assert.True(ConfigLoader.Load(null, null, []).GetBoolean("actortasks.test.from-process"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ACTORTASKS__test__from-process", null);
        }
    }
}
