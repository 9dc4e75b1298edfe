using System.CommandLine;
using System.Diagnostics;
using ActorTasks.Node.Commands;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

/// <summary>Bash completion: System.CommandLine's <c>[suggest]</c> directive offers verbs, options and job kinds, and the script asks it.</summary>
public sealed class CompletionCommandTests
{
    private static string[] Suggest(string line)
    {
        var output = new StringWriter();
        var exit = Cli.CreateRootCommand().Parse([$"[suggest:{line.Length}]", line]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void Every_verb_is_offered()
    {
        var verbs = Suggest("actortasks ");
        foreach (var verb in new[] { "seed", "worker", "submit", "jobs", "status", "watch", "cancel", "results", "nodes", "resources", "completion" })
            Assert.Contains(verb, verbs);
    }

    [Fact]
    public void A_verbs_options_are_offered()
    {
        var options = Suggest("actortasks results 3 --");
        Assert.Contains("--seed", options);
        Assert.Contains("--json", options);
        Assert.Contains("--out", options);
        Assert.Contains("--tls-cert", options);
    }

    [Fact]
    public void Submit_offers_the_job_kinds_where_the_kind_goes_and_not_after_it()
    {
        Assert.Equal(["primes"], Suggest("actortasks submit --seed h:1 pri"));
        var kinds = Suggest("actortasks submit ");
        Assert.Contains("grep", kinds);
        Assert.Contains("noop", kinds);
        Assert.DoesNotContain("grep", Suggest("actortasks submit noop "));
    }

    [Fact]
    public void Submit_offers_the_plug_in_kinds_of_the_plug_ins_folder_its_settings_name()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "completion-plugins");
        Assert.True(File.Exists(Path.Combine(folder, "ReverseLines.dll")), $"the example plug-in was not built into {folder}");
        var config = Path.Combine(Path.GetTempPath(), $"actortasks-completion-{Guid.NewGuid():N}.conf");
        File.WriteAllText(config, $"actortasks.tasks.plugins-directory = \"{folder.Replace("\\", "\\\\", StringComparison.Ordinal)}\"\n");
        try
        {
            Assert.Equal(["reverse-lines"], Suggest($"actortasks submit --config {config} --seed h:1 rev"));
        }
        finally
        {
            File.Delete(config);
        }
        Assert.Empty(Suggest("actortasks submit --seed h:1 rev"));
        // Settings that cannot be read still leave the built-in kinds.
        Assert.Equal(["primes"], Suggest("actortasks submit --config /nonexistent/actortasks.conf --seed h:1 pri"));
    }

    [Fact]
    public async Task The_bash_script_completes_through_the_executable()
    {
        if (OperatingSystem.IsWindows()) return; // no bash
        var folder = Directory.CreateTempSubdirectory("actortasks-completion-");
        try
        {
            var wrapper = Path.Combine(folder.FullName, "actortasks");
            await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "actortasks.dll")}\" \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var script = """
                eval "$(actortasks completion bash)"
                COMP_LINE="actortasks can"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(actortasks can); COMP_CWORD=1
                _actortasks_complete; printf '%s\n' "${COMPREPLY[@]}"
                COMP_LINE="actortasks submit --seed h:1 wor"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(actortasks submit --seed h:1 wor); COMP_CWORD=4
                _actortasks_complete; printf '%s\n' "${COMPREPLY[@]}"
                """;
            var start = new ProcessStartInfo("bash", ["--norc", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = $"{folder.FullName}:{Environment.GetEnvironmentVariable("PATH")}";
            using var bash = Process.Start(start)!;
            var output = bash.StandardOutput.ReadToEndAsync();
            var error = bash.StandardError.ReadToEndAsync();
            await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(bash.ExitCode == 0, await error);
            Assert.Equal(["cancel", "wordcount"], (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
