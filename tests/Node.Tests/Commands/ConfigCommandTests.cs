using System.Collections;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
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
    public void Prints_the_resolved_configuration_as_hocon_with_origin_comments()
    {
        var (exit, output, error) = Run("config");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("actortasks {\n    actor {\n        # reference.conf:", output);
        Assert.Matches(@"# reference\.conf:\d+\n        throughput = 30\n", output);
        Assert.Contains("ask-timeout = 10s", output);
    }

    [Fact]
    public void Shows_each_layer_as_the_origin_of_the_values_it_set()
    {
        var file = Path.Combine(_dir.FullName, "node.conf");
        File.WriteAllText(file, "actortasks.actor.mailbox-capacity = 64\n");
        ConfigCommand.EnvironmentOverride = new Hashtable { ["ACTORTASKS__log__level"] = "debug" };

        var (exit, output, _) = Run("config", "--role", "worker", "--config", file, "-D", "actortasks.actor.ask-timeout=2s", "actortasks");

        Assert.Equal(0, exit);
        Assert.Matches(@"# hocon/worker\.conf:\d+\n\s+throughput = 10\n", output);
        Assert.Contains($"# {file}:1\n    mailbox-capacity = 64\n", output);
        Assert.Contains("# environment variable ACTORTASKS__log__level\n    level = debug\n", output);
        Assert.Contains("# -D actortasks.actor.ask-timeout=2s\n    ask-timeout = 2s\n", output);
    }

    [Fact]
    public void Json_option_prints_json()
    {
        var (exit, output, _) = Run("config", "--json", "-Dactortasks.actor.throughput=7");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(7, doc.RootElement.GetProperty("actortasks").GetProperty("actor").GetProperty("throughput").GetInt32());
    }

    [Fact]
    public void Path_argument_prints_one_subtree_or_value()
    {
        var (_, subtree, _) = Run("config", "actortasks.actor.dead-letters");
        Assert.StartsWith("# reference.conf:", subtree);
        Assert.Contains("log-max-per-interval = 10", subtree);
        Assert.DoesNotContain("throughput", subtree);

        var (exit, leaf, _) = Run("config", "-D", "actortasks.actor.throughput=12", "actortasks.actor.throughput");
        Assert.Equal(0, exit);
        Assert.Equal("# -D actortasks.actor.throughput=12\nactortasks.actor.throughput = 12\n", leaf);

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
        File.WriteAllText(file, "actortasks {\n  actor {\n    throughput = [1,\n  }\n}\n");
        var (exit, output, error) = Run("config", "--config", file);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"{file}:4:3: expected a value but found '}}'\n", error.Replace("\r\n", "\n"));
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

        var ok = await RunProcessAsync(dll, "config", "--role", "seed", "-D", "actortasks.actor.throughput=7", "actortasks");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("# -D actortasks.actor.throughput=7\n    throughput = 7\n", ok.Output);
        Assert.Matches(@"# hocon/seed\.conf:\d+\n\s+file-directory = logs/seed\n", ok.Output);

        var bad = Path.Combine(_dir.FullName, "broken.conf");
        File.WriteAllText(bad, "a = {\n");
        var failed = await RunProcessAsync(dll, "config", "--config", bad);
        Assert.Equal(2, failed.ExitCode);
        Assert.StartsWith($"{bad}:2:1: expected '}}'", failed.Error);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.FullName,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("ACTORTASKS__", StringComparison.OrdinalIgnoreCase)))
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).Replace("\r\n", "\n"), (await error).Replace("\r\n", "\n"));
    }
}
