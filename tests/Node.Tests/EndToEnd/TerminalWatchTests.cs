using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary><c>actortasks watch</c> in a real terminal (Debian's tmux): the pane shows one progress line, redrawn in place, never torn.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed partial class TerminalWatchTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Width = 80;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly NodeProcesses _nodes = new(log, Timeout);
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-tmux-").FullName;
    private readonly string _socket = $"actortasks-test-{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (HasTmux()) await TmuxAsync("kill-server");
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [SkippableFact]
    public async Task Watch_redraws_one_line_that_fits_the_pane_and_ends_with_how_the_job_ended()
    {
        Skip.IfNot(HasTmux(), "no tmux on this machine: apt-get install tmux to run this test (.ci/run installs it)");
        var (_, seed) = await _nodes.StartAsync("seed", "seed", "--port", "0", "-D", "actortasks.tasks.run-consumers=on", "-D", $"actortasks.log.file-directory={_folder}");
        var submitted = await ActorTasksCommand.RunAsync(_folder, Timeout, "submit", "hash", "60000", "--rounds", "100", "--seed", seed);
        Assert.Equal(0, submitted.ExitCode);

        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        await TmuxAsync("new-session", "-d", "-s", "w", "-x", $"{Width}", "-y", "24",
            $"cd '{_folder}' && dotnet '{dll}' watch 1 --seed {seed}; echo WATCH-EXIT=$?; sleep 600");

        var running = await PaneAsync(p => ProgressRow().IsMatch(p));
        CheckNotTorn(running);
        var ended = await PaneAsync(p => p.Contains("WATCH-EXIT=", StringComparison.Ordinal));
        CheckNotTorn(ended);
        Assert.Contains("WATCH-EXIT=0", ended);
        Assert.Contains("job 1 Completed: 60,000 done, 0 failed", ended);
        Assert.Contains("job 1 100%", ended);
    }

    [SkippableFact]
    public async Task Submit_wait_json_draws_the_live_line_on_the_terminal_s_standard_error_while_the_document_goes_to_standard_output()
    {
        Skip.IfNot(HasTmux(), "no tmux on this machine: apt-get install tmux to run this test (.ci/run installs it)");
        var (_, seed) = await _nodes.StartAsync("seed", "seed", "--port", "0", "-D", "actortasks.tasks.run-consumers=on", "-D", $"actortasks.log.file-directory={_folder}");
        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        await TmuxAsync("new-session", "-d", "-s", "w", "-x", $"{Width}", "-y", "24",
            $"cd '{_folder}' && dotnet '{dll}' submit --seed {seed} --wait --json hash 60000 --rounds 100 > job.json; echo SUBMIT-EXIT=$?; sleep 600");

        var running = await PaneAsync(p => p.Split('\n').Any(ProgressRow().IsMatch) && !p.Contains("SUBMIT-EXIT=", StringComparison.Ordinal));
        CheckNotTorn(running);
        var ended = await PaneAsync(p => p.Contains("SUBMIT-EXIT=", StringComparison.Ordinal));
        CheckNotTorn(ended);
        Assert.Contains("SUBMIT-EXIT=0", ended);
        // The live view (the nodes' counts on a row of their own under the job's), not the plain lines written once a second,
        // nodes and all on one line, where standard error is no terminal.
        var rows = ended.Split('\n');
        var job = Array.FindIndex(rows, ProgressRow().IsMatch);
        Assert.StartsWith("  :", rows[job + 1]);
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "job.json")));
        Assert.Equal("Completed", document.RootElement.GetProperty("state").GetString());
        Assert.Equal(60000, document.RootElement.GetProperty("done").GetInt64());
    }

    // Redrawn in place: one progress row, whole (a row torn by wrapping would start in the middle of it).
    private void CheckNotTorn(string pane)
    {
        log.WriteLine(pane);
        var rows = pane.Split('\n');
        Assert.Single(rows, r => ProgressRow().IsMatch(r));
        Assert.All(rows.Where(r => r.Contains(" failed ·", StringComparison.Ordinal) || r.Contains("/s ·", StringComparison.Ordinal)),
            r => Assert.StartsWith("job 1 ", r));
        Assert.All(rows, r => Assert.True(r.TrimEnd().Length <= Width, r));
    }

    // The pane's text once it matches; polled, since a terminal says nothing when it changes.
    private async Task<string> PaneAsync(Func<string, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var pane = await TmuxAsync("capture-pane", "-p", "-t", "w");
            if (match(pane)) return pane;
            if (clock.Elapsed > Timeout) throw new TimeoutException($"the pane did not show what was awaited within {Timeout.TotalSeconds:0} s:\n{pane}");
            await Task.Delay(200);
        }
    }

    private async Task<string> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-L", _socket }.Concat(arguments)) start.ArgumentList.Add(a);
        using var tmux = Process.Start(start)!;
        var output = tmux.StandardOutput.ReadToEndAsync();
        await tmux.StandardError.ReadToEndAsync();
        await tmux.WaitForExitAsync().WaitAsync(Timeout);
        return await output;
    }

    private static bool HasTmux() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "tmux")));

    [GeneratedRegex(@"^job 1 +\d+%")]
    private static partial Regex ProgressRow();
}
