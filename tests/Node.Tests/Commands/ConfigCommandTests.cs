using System.Collections;
using System.CommandLine;
using System.Diagnostics;
using ActorTasks.Node.Tests.Support;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTasks.Node.Commands;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actortasks-cli");

    public ConfigCommandTests() => ConfigCommand.EnvironmentOverride = new Hashtable();

    public void Dispose()
    {
        ConfigCommand.EnvironmentOverride = null;
        _dir.Delete(recursive: true);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Cli.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Prints_the_resolved_configuration_as_hocon_with_a_comment_naming_each_values_layer()
    {
        var (exit, output, error) = Run("config");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("actortasks {\n  dashboard {\n", output);
        Assert.Contains("\n  log {\n    # actortasks.conf (built in)\n    console = on\n", output);
        Assert.Contains("    # actortasks.conf (built in)\n    prefetch = 256\n", output);
        Assert.Contains("akka {\n  actor {\n    # actortasks.conf (built in)\n    ask-timeout = 10s\n", output);
    }

    [Fact]
    public void Shows_each_layer_as_the_source_of_the_values_it_set()
    {
        var file = Path.Combine(_dir.FullName, "node.conf");
        File.WriteAllText(file, "actortasks.tasks.prefetch = 64\n");
        ConfigCommand.EnvironmentOverride = new Hashtable { ["ACTORTASKS__log__level"] = "debug", ["AKKA__loglevel"] = "DEBUG" };

        var (exit, output, _) = Run("config", "--role", "worker", "--config", file, "-D", "actortasks.tasks.max-retries=2");

        Assert.Equal(0, exit);
        Assert.Contains("    # hocon/worker.conf\n    file-directory = \"logs/worker\"\n", output);
        Assert.Contains($"    # {file}\n    prefetch = 64\n", output);
        Assert.Contains("    # environment variable ACTORTASKS__log__level\n    level = debug\n", output);
        Assert.Contains("  # environment variable AKKA__loglevel\n  loglevel = DEBUG\n", output);
        Assert.Contains("    # -D actortasks.tasks.max-retries=2\n    max-retries = 2\n", output);
        Assert.Contains("    # hocon/worker.conf\n    roles = [worker]\n", output);
    }

    [Fact]
    public void Json_option_prints_json()
    {
        var (exit, output, _) = Run("config", "--json", "-Dactortasks.tasks.prefetch=7");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var tasks = doc.RootElement.GetProperty("actortasks").GetProperty("tasks");
        Assert.Equal(7, tasks.GetProperty("prefetch").GetInt32());
        Assert.False(tasks.GetProperty("run-consumers").GetBoolean());
        Assert.Equal("10s", doc.RootElement.GetProperty("akka").GetProperty("actor").GetProperty("ask-timeout").GetString());
    }

    [Fact]
    public void Path_argument_prints_one_subtree_or_value()
    {
        var (_, subtree, _) = Run("config", "akka.cluster.failure-detector");
        Assert.StartsWith("akka.cluster.failure-detector {\n  # actortasks.conf (built in)\n", subtree);
        Assert.Contains("heartbeat-interval = 500ms", subtree);
        Assert.DoesNotContain("prefetch", subtree);

        var (exit, leaf, _) = Run("config", "-D", "actortasks.tasks.prefetch=12", "actortasks.tasks.prefetch");
        Assert.Equal(0, exit);
        Assert.Equal("# -D actortasks.tasks.prefetch=12\nactortasks.tasks.prefetch = 12\n", leaf);

        var (jsonExit, json, _) = Run("config", "--json", "actortasks.log");
        Assert.Equal(0, jsonExit);
        Assert.Equal("info", JsonDocument.Parse(json).RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public void Unknown_path_exits_with_1()
    {
        var (exit, output, error) = Run("config", "actortasks.nothing.here");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("actortasks.nothing.here", error);
    }

    [Fact]
    public void Bad_config_file_exits_with_2_and_file_line_column()
    {
        var file = Path.Combine(_dir.FullName, "bad.conf");
        File.WriteAllText(file, "actortasks {\n  tasks {\n    prefetch = [1,\n  }\n}\n");
        var (exit, output, error) = Run("config", "--config", file);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"{file}: line 4, column 3: unexpected '}}' in the list opened at line 3, column 16\n", error.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_wrong_type_exits_with_2_naming_the_layer_and_the_key()
    {
        var (exit, output, error) = Run("config", "-D", "akka.cluster.failure-detector.heartbeat-interval=soon");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("-D akka.cluster.failure-detector.heartbeat-interval=soon: akka.cluster.failure-detector.heartbeat-interval: expected a duration such as 500ms or 10s, got \"soon\"\n",
            error.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_value_out_of_range_exits_with_2_naming_the_layer_and_the_key()
    {
        var (exit, output, error) = Run("config", "-D", "actortasks.tasks.prefetch=0");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("-D actortasks.tasks.prefetch=0: actortasks.tasks.prefetch: must be at least 1 but is 0\n", error.Replace("\r\n", "\n"));
    }

    [Fact]
    public void An_unknown_actortasks_key_is_a_warning_and_the_command_succeeds()
    {
        var (exit, output, error) = Run("config", "-D", "actortasks.tasks.typo=1", "actortasks.tasks.prefetch");
        Assert.Equal(0, exit);
        Assert.Equal("warning: -D actortasks.tasks.typo=1: actortasks.tasks.typo is not an ActorTasks setting and is ignored (see hocon/actortasks.conf for the settings)\n",
            error.Replace("\r\n", "\n"));
        Assert.Contains("prefetch = 256", output);
    }

    [Fact]
    public void Bad_define_exits_with_2_naming_the_argument()
    {
        var (exit, _, error) = Run("config", "-D", "nonsense");
        Assert.Equal(2, exit);
        Assert.StartsWith("-D nonsense: expected key=value", error);
    }

    [Fact]
    public async Task The_built_executable_prints_config_and_exits_2_on_a_bad_file()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        Assert.True(File.Exists(dll), dll);

        var ok = await RunProcessAsync(dll, "config", "--role", "seed", "-D", "actortasks.tasks.prefetch=7", "actortasks");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("    # -D actortasks.tasks.prefetch=7\n    prefetch = 7\n", ok.Output);
        Assert.Contains("    # hocon/seed.conf\n    file-directory = \"logs/seed\"\n", ok.Output);

        var bad = Path.Combine(_dir.FullName, "broken.conf");
        File.WriteAllText(bad, "a = {\n");
        var failed = await RunProcessAsync(dll, "config", "--config", bad);
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal("", failed.Output);
        Assert.Equal($"{bad}: line 2, column 1: the '{{' opened at line 1, column 5 is never closed\n", failed.Error);
    }

    [Theory]
    [InlineData("a =\nb = 2\n", "line 1, column 4: the key 'a' has no value after its separator (found the end of the line; a value starts on the line of its key)")]
    [InlineData("a = 1\na = ${a}${a}\n", "the value of 'a' refers to itself through its substitutions")]
    [InlineData("actortasks.tasks {\n  prefetch = many\n}\n", "actortasks.tasks.prefetch: expected a whole number, got \"many\"")]
    [InlineData("a = \"abc\n", "line 1, column 5: the quoted string is not closed on its line")]
    public async Task The_built_executable_exits_2_naming_the_file_for_input_Akka_would_let_through(string text, string problem)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        var bad = Path.Combine(_dir.FullName, "bad.conf");
        File.WriteAllText(bad, text);
        var failed = await RunProcessAsync(dll, "config", "--config", bad);
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal("", failed.Output);
        Assert.Equal($"{bad}: {problem}\n", failed.Error);
    }

    [Fact]
    public async Task The_built_executable_fails_fast_on_a_substitution_that_doubles_at_each_line()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        var bad = Path.Combine(_dir.FullName, "bomb.conf");
        var text = new System.Text.StringBuilder("a0 = \"0123456789\"\n");
        for (var i = 1; i <= 40; i++) text.Append($"a{i} = ${{a{i - 1}}}${{a{i - 1}}}\n");
        File.WriteAllText(bad, text.ToString());
        var clock = Stopwatch.StartNew();
        var failed = await RunProcessAsync(dll, "config", "--config", bad);
        Assert.Equal(2, failed.ExitCode);
        Assert.Matches($@"^{Regex.Escape(bad)}: the value of 'a\d+' grows past 1,048,576 characters once its substitutions are resolved\n$", failed.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string dll, params string[] args)
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "actortasks.dll"), dll);
        var result = await ActorTasksCommand.RunAsync(_dir.FullName, TimeSpan.FromSeconds(60), args);
        return (result.ExitCode, result.Output, result.Error);
    }
}
