using System.Collections;
using ActorTasks.Node.Configuration;
using ActorTasks.Tasks.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

public sealed class NodeConfigTests : IDisposable
{
    private const string Reference = "actortasks.conf (built in)";
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
    public void Actortasks_conf_is_the_lowest_layer_with_every_default_and_the_akka_settings_it_changes()
    {
        var config = NodeConfig.Load(null, null, [], NoEnvironment);
        var c = config.Config;
        Assert.Equal(TimeSpan.FromSeconds(10), c.GetTimeSpan("akka.actor.ask-timeout"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal("keep-oldest", c.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(4L << 20, c.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("127.0.0.1", c.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(256, c.GetInt("actortasks.tasks.prefetch"));
        Assert.Equal(3L << 20, c.GetByteSize("actortasks.tasks.max-result-bytes"));
        Assert.False(c.GetBoolean("actortasks.remote.allow-unencrypted"));
        Assert.Equal("info", c.GetString("actortasks.log.level"));
        Assert.Equal(Reference, config.SourceOf("actortasks.tasks.prefetch"));
        Assert.Equal(Reference, config.SourceOf("akka.actor.ask-timeout"));
        Assert.Null(config.SourceOf("actortasks.nothing.here"));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Node_and_task_settings_read_the_loaded_configuration()
    {
        var config = NodeConfig.Load("worker", null, ["actortasks.log.level=debug", "actortasks.tasks.prefetch=32", "akka.remote.dot-netty.tcp.port=4711"], NoEnvironment);
        var node = NodeSettings.Create(config);
        var tasks = TaskSystemSettings.Create(config.Config);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, node.LogLevel);
        Assert.Equal(4711, node.Port);
        Assert.Equal(["worker"], node.Roles);
        Assert.Equal("logs/worker", node.LogDirectory);
        Assert.True(node.IsLoopback);
        Assert.Equal(32, tasks.Prefetch);
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_it_and_SourceOf_names_the_layer()
    {
        var file = WriteConfig("actortasks.tasks { prefetch = 20, max-retries = 7, failures-kept = 3 }\nakka.actor.ask-timeout = 4s");
        var env = new Hashtable
        {
            ["ACTORTASKS__tasks__max-retries"] = "8",
            ["ACTORTASKS__tasks__failures-kept"] = "4",
            ["AKKA__actor__ask-timeout"] = "5s",
        };
        string[] defines = ["actortasks.tasks.failures-kept=5"];

        var config = NodeConfig.Load("worker", file, defines, env);
        var c = config.Config;

        Assert.Equal("info", c.GetString("actortasks.log.level"));                 // actortasks.conf
        Assert.Equal("logs/worker", c.GetString("actortasks.log.file-directory"));  // preset over actortasks.conf
        Assert.Equal(20, c.GetInt("actortasks.tasks.prefetch"));                     // file over preset
        Assert.Equal(8, c.GetInt("actortasks.tasks.max-retries"));                   // environment over file
        Assert.Equal(TimeSpan.FromSeconds(5), c.GetTimeSpan("akka.actor.ask-timeout")); // AKKA__ environment over file
        Assert.Equal(5, c.GetInt("actortasks.tasks.failures-kept"));                 // -D over environment

        Assert.Equal(Reference, config.SourceOf("actortasks.log.level"));
        Assert.Equal("hocon/worker.conf", config.SourceOf("actortasks.log.file-directory"));
        Assert.Equal(file, config.SourceOf("actortasks.tasks.prefetch"));
        Assert.Equal("environment variable ACTORTASKS__tasks__max-retries", config.SourceOf("actortasks.tasks.max-retries"));
        Assert.Equal("environment variable AKKA__actor__ask-timeout", config.SourceOf("akka.actor.ask-timeout"));
        Assert.Equal("-D actortasks.tasks.failures-kept=5", config.SourceOf("actortasks.tasks.failures-kept"));
    }

    [Fact]
    public void With_puts_a_layer_on_top_and_keeps_the_rest()
    {
        var config = NodeConfig.Load("seed", null, ["actortasks.tasks.prefetch=9"], NoEnvironment).With("--port", "akka.remote.dot-netty.tcp.port = 5000");
        Assert.Equal(5000, config.Config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("--port", config.SourceOf("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("-D actortasks.tasks.prefetch=9", config.SourceOf("actortasks.tasks.prefetch"));
    }

    [Fact]
    public void Presets_are_found_next_to_the_executable_and_differ_by_role()
    {
        var seed = NodeConfig.Load("seed", null, [], NoEnvironment);
        var worker = NodeConfig.Load("worker", null, [], NoEnvironment);
        Assert.Equal("logs/seed", seed.Config.GetString("actortasks.log.file-directory"));
        Assert.Equal(["seed"], seed.Config.GetStringList("akka.cluster.roles"));
        Assert.Equal(4053, seed.Config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("logs/worker", worker.Config.GetString("actortasks.log.file-directory"));
        Assert.Equal(["worker"], worker.Config.GetStringList("akka.cluster.roles"));
        Assert.Equal("cluster", worker.Config.GetString("akka.actor.provider"));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "hocon", "seed.conf")));
        Assert.Equal("hocon/seed.conf", seed.SourceOf("akka.cluster.roles"));
    }

    [Fact]
    public void Presets_are_also_embedded_in_the_executable()
    {
        var assembly = typeof(Cli).Assembly;
        Assert.Contains("ActorTasks.seed.conf", assembly.GetManifestResourceNames());
        Assert.Contains("ActorTasks.worker.conf", assembly.GetManifestResourceNames());
        using var stream = assembly.GetManifestResourceStream("ActorTasks.worker.conf")!;
        var embedded = ConfigurationFactory.ParseString(new StreamReader(stream).ReadToEnd());
        Assert.Equal(["worker"], embedded.GetStringList("akka.cluster.roles"));
        Assert.Equal("logs/worker", embedded.GetString("actortasks.log.file-directory"));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("../secrets")]
    [InlineData("Seed")]
    public void Unknown_or_malformed_presets_are_config_errors(string role) =>
        Assert.Contains(role, Assert.Throws<ConfigException>(() => NodeConfig.Load(role, null, [], NoEnvironment)).Message);

    [Fact]
    public void Environment_names_map_double_underscores_to_dots()
    {
        var env = new Hashtable
        {
            ["ACTORTASKS__tasks__prefetch"] = "50",
            ["ACTORTASKS__TASKS__MAX_RETRIES"] = "5",
            ["ACTORTASKS__log__level"] = "warning",
            ["ACTORTASKS__tasks__resources__disk"] = "2",
            ["ACTORTASKS__custom__list"] = "[a, b]",
            ["ACTORTASKS__custom__text"] = "a,b # not a comment",
            ["AKKA__loglevel"] = "DEBUG",
            ["AKKA__CLUSTER__FAILURE_DETECTOR__ACCEPTABLE_HEARTBEAT_PAUSE"] = "3s",
            ["UNRELATED"] = "x",
        };
        var config = NodeConfig.Load(null, null, [], env);
        var c = config.Config;
        Assert.Equal(50, c.GetInt("actortasks.tasks.prefetch"));
        Assert.Equal(5, c.GetInt("actortasks.tasks.max-retries"));
        Assert.Equal("warning", c.GetString("actortasks.log.level"));
        Assert.Equal(2, TaskSystemSettings.Create(c).Resources["disk"]);
        Assert.Equal(["a", "b"], c.GetStringList("actortasks.custom.list"));
        Assert.Equal("a,b # not a comment", c.GetString("actortasks.custom.text"));
        Assert.Equal("DEBUG", c.GetString("akka.loglevel"));
        Assert.Equal("environment variable AKKA__loglevel", config.SourceOf("akka.loglevel"));
        Assert.Equal(TimeSpan.FromSeconds(3), c.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.False(c.HasPath("unrelated"));
    }

    [Fact]
    public void Akka_loglevel_set_by_the_user_is_Akkas_level_and_the_log_takes_the_more_detailed_of_the_two()
    {
        var settings = NodeSettings.Create(NodeConfig.Load(null, null, ["actortasks.log.level=warning"], new Hashtable { ["AKKA__loglevel"] = "DEBUG" }));
        Assert.Equal("DEBUG", settings.AkkaLogLevel);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, settings.LogLevel);

        var derived = NodeSettings.Create(NodeConfig.Load(null, null, ["actortasks.log.level=warning"], new Hashtable()));
        Assert.Equal("WARNING", derived.AkkaLogLevel);
        Assert.Equal(Serilog.Events.LogEventLevel.Warning, derived.LogLevel);

        var bad = Assert.Throws<ConfigException>(() => NodeSettings.Create(NodeConfig.Load(null, null, ["akka.loglevel=chatty"], new Hashtable())));
        Assert.Contains("-D akka.loglevel=chatty: akka.loglevel: expected DEBUG, INFO, WARNING, ERROR or OFF", bad.Message);
    }

    [Fact]
    public void Environment_variable_with_an_empty_path_element_is_an_error_naming_it()
    {
        var env = new Hashtable { ["ACTORTASKS__tasks____prefetch"] = "1" };
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, null, [], env));
        Assert.Contains("ACTORTASKS__tasks____prefetch", e.Message);
    }

    [Fact]
    public void Defines_parse_values_as_hocon_and_later_ones_win()
    {
        var config = NodeConfig.Load(null, null,
            ["actortasks.tasks.prefetch=1", "actortasks.tasks.prefetch = 2", "x.\"quoted.key\"=[1, 2]", "x.s=hello world", "x.empty=", "x.size=4 MiB"],
            NoEnvironment);
        var c = config.Config;
        Assert.Equal(2, c.GetInt("actortasks.tasks.prefetch"));
        Assert.Equal("-D actortasks.tasks.prefetch = 2", config.SourceOf("actortasks.tasks.prefetch"));
        Assert.Equal([1, 2], c.GetIntList("x.\"quoted.key\""));
        Assert.Equal("hello world", c.GetString("x.s"));
        Assert.Equal("", c.GetString("x.empty"));
        Assert.Equal(4L << 20, c.GetByteSize("x.size"));
    }

    [Theory]
    [InlineData("actortasks.tasks.prefetch", "expected key=value")]
    [InlineData("=5", "expected a key")]
    [InlineData("a..b=1", "expected a key path")]
    public void Bad_define_syntax_is_an_error_naming_the_argument(string define, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, null, [define], NoEnvironment));
        Assert.StartsWith($"-D {define}: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Substitutions_resolve_within_a_file_and_one_to_another_layer_is_an_error_naming_the_file()
    {
        // Akka resolves a file's substitutions when it parses it, before the layers are merged (and reads no
        // environment variables), so a substitution can only name keys of its own file.
        var good = WriteConfig("base = /srv/actortasks\nactortasks.log.file-directory = ${base}/logs\n", "good.conf");
        Assert.Equal("/srv/actortasks/logs", NodeConfig.Load(null, good, [], NoEnvironment).Config.GetString("actortasks.log.file-directory"));

        var bad = WriteConfig("actortasks.log.file-directory = ${HOME}/actortasks/${actortasks.log.level}\n", "bad.conf");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, bad, ["actortasks.log.level=debug"], new Hashtable { ["HOME"] = "/home/u" }));
        Assert.StartsWith($"{bad}: ", e.Message);
        Assert.Contains("HOME", e.Message);
        Assert.Contains("same file", e.Message);
    }

    [Fact]
    public void A_bad_config_file_fails_with_file_line_column_and_the_problem()
    {
        var file = WriteConfig("actortasks {\n  tasks {\n    prefetch = [1,\n  }\n}\n", "bad.conf");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, file, [], NoEnvironment));
        Assert.Equal($"{file}: line 4, column 3: unexpected '}}' in the list opened at line 3, column 16", e.Message);
    }

    [Fact]
    public void A_missing_config_file_is_an_error_naming_it()
    {
        var missing = Path.Combine(_dir.FullName, "nothere.conf");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, missing, [], NoEnvironment));
        Assert.StartsWith(missing, e.Message);
        Assert.Contains("no such file", e.Message);
    }

    [Fact]
    public void Process_environment_is_used_when_none_is_given()
    {
        // A name no other test reads, so that tests running alongside are not affected.
        const string name = "ACTORTASKS__test__from-process";
        Environment.SetEnvironmentVariable(name, "on");
        try
        {
            var config = NodeConfig.Load(null, null, []);
            Assert.True(config.Config.GetBoolean("actortasks.test.from-process"));
            Assert.Equal($"environment variable {name}", config.SourceOf("actortasks.test.from-process"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
