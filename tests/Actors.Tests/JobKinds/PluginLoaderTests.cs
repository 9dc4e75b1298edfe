using System.Globalization;
using System.Runtime.Loader;
using System.Text;
using ActorTasks.Tasks.JobKinds;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class PluginLoaderTests : IDisposable
{
    // Built by this test project (see its .csproj) and copied next to the tests, as a node's plug-in folder would hold them.
    private static readonly string ExamplePlugins = Path.Combine(AppContext.BaseDirectory, "plugins");
    private static readonly string FixturePlugins = Path.Combine(AppContext.BaseDirectory, "fixture-plugins");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Loads_the_example_plugin_and_runs_its_job_through_the_interfaces()
    {
        var registry = JobKindRegistry.CreateBuiltIn();
        var report = registry.LoadPlugins(ExamplePlugins);

        Assert.Empty(report.Problems);
        var loaded = Assert.Single(report.Registered);
        Assert.Equal("reverse-lines", loaded.Name);
        Assert.EndsWith("ReverseLines.dll", loaded.File);
        Assert.True(registry.TryGet("reverse-lines", out var kind));
        // Its own load context, yet the very IJobKind type of the host.
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(kind.GetType().Assembly));
        Assert.Contains(typeof(IJobKind), kind.GetType().GetInterfaces());

        var lines = Enumerable.Range(0, 2500).Select(i => $"line {i}: abc é{(i % 3 == 0 ? "" : " e\u0301!")}").ToList();
        var file = _temp.Write("input.txt", string.Join("\n", lines) + "\n");
        var run = await JobHarness.RunShuffledAsync(kind.Prepare([file, "--lines-per-task", "100"]), seed: 5);

        Assert.Equal(25, run.Tasks);
        Assert.Equal("2500", run.Output.Get("lines"));
        Assert.Equal(lines.Select(Reverse), run.Output.Lines);
        Assert.Equal("!e\u0301 é cba :1 enil", run.Output.Lines[1]);
        Assert.Equal(2500, run.Counters["lines"]);
    }

    /// <summary>Reverses by grapheme (text element), the plug-in's definition, written here independently.</summary>
    private static string Reverse(string line)
    {
        var indexes = StringInfo.ParseCombiningCharacters(line);
        var result = new StringBuilder(line.Length);
        for (var i = indexes.Length - 1; i >= 0; i--)
        {
            var end = i + 1 < indexes.Length ? indexes[i + 1] : line.Length;
            result.Append(line, indexes[i], end - indexes[i]);
        }
        return result.ToString();
    }

    [Fact]
    public void The_example_plugin_rejects_bad_arguments_with_job_argument_errors()
    {
        var registry = new JobKindRegistry();
        registry.LoadPlugins(ExamplePlugins);
        Assert.True(registry.TryGet("reverse-lines", out var kind));
        Assert.Equal("PATH", Assert.Throws<JobArgumentException>(() => kind.Prepare([Path.Combine(_temp.Path, "nope.txt")])).Argument);
        Assert.Equal("--lines-per-task", Assert.Throws<JobArgumentException>(() => kind.Prepare([_temp.Write("x.txt", "x"), "--lines-per-task", "0"])).Argument);
    }

    [Fact]
    public void A_missing_folder_loads_nothing_and_reports_nothing()
    {
        var registry = new JobKindRegistry();
        var report = registry.LoadPlugins(Path.Combine(_temp.Path, "no-such-folder"));
        Assert.Empty(report.Registered);
        Assert.Empty(report.Problems);
        Assert.Empty(registry.All);
    }

    [Fact]
    public async Task A_type_whose_dependency_is_missing_is_reported_and_the_other_kinds_of_its_file_still_load()
    {
        // BrokenPlugins.dll alone in its folder: MissingDependency.dll, which one of its kinds derives from, is not there.
        var folder = Path.Combine(_temp.Path, "plugins");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(FixturePlugins, "BrokenPlugins.dll"), Path.Combine(folder, "BrokenPlugins.dll"));
        Assert.False(File.Exists(Path.Combine(FixturePlugins, "MissingDependency.dll")));

        var registry = JobKindRegistry.CreateBuiltIn();
        var report = registry.LoadPlugins(folder);

        Assert.Equal(["echo"], report.Registered.Select(k => k.Name));
        var problem = Assert.Single(report.Problems, p => p.Message.Contains("MissingDependency"));
        Assert.EndsWith("BrokenPlugins.dll", problem.File);
        Assert.StartsWith("a type cannot be loaded: ", problem.Message);
        Assert.False(registry.TryGet("licensed", out _));
        Assert.True(registry.TryGet("echo", out var echo));
        Assert.Equal(["still", "works"], (await JobHarness.RunShuffledAsync(echo.Prepare(["still", "works"]))).Output.Lines);
    }

    [Fact]
    public void A_file_that_cannot_be_read_at_all_is_a_problem_not_an_exception()
    {
        var folder = Path.Combine(_temp.Path, "plugins");
        Directory.CreateDirectory(folder);
        // An empty file, and a file cut off in its middle.
        File.WriteAllBytes(Path.Combine(folder, "empty.dll"), []);
        var bytes = File.ReadAllBytes(Path.Combine(ExamplePlugins, "ReverseLines.dll"));
        File.WriteAllBytes(Path.Combine(folder, "truncated.dll"), bytes[..(bytes.Length / 2)]);

        var report = new JobKindRegistry().LoadPlugins(folder);

        Assert.Empty(report.Registered);
        Assert.Contains(report.Problems, p => p.File.EndsWith("empty.dll"));
        Assert.Contains(report.Problems, p => p.File.EndsWith("truncated.dll"));
    }

    [Fact]
    public async Task Bad_files_and_bad_kinds_are_reported_by_file_and_the_good_kinds_still_load()
    {
        var folder = Path.Combine(_temp.Path, "plugins");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(FixturePlugins, "BrokenPlugins.dll"), Path.Combine(folder, "BrokenPlugins.dll"));
        File.Copy(Path.Combine(ExamplePlugins, "ReverseLines.dll"), Path.Combine(folder, "ReverseLines.dll"));
        File.Copy(Path.Combine(ExamplePlugins, "ReverseLines.dll"), Path.Combine(folder, "ReverseLines-copy.dll"));
        File.WriteAllText(Path.Combine(folder, "notes.dll"), "not an assembly at all");
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "ignored: not a .dll");

        var registry = JobKindRegistry.CreateBuiltIn();
        var report = registry.LoadPlugins(folder);

        // Files load in ordinal name order: "ReverseLines-copy.dll" ('-') comes before "ReverseLines.dll" ('.').
        Assert.Equal(["echo", "reverse-lines"], report.Registered.Select(k => k.Name));
        Assert.EndsWith("ReverseLines-copy.dll", report.Registered[1].File);
        Assert.Equal(5, report.Problems.Count);
        Assert.Contains(report.Problems, p => p.File.EndsWith("notes.dll") && p.Message.StartsWith("not a .NET assembly"));
        Assert.Contains(report.Problems, p => p.File.EndsWith("BrokenPlugins.dll") && p.Message.Contains("MissingDependency"));
        Assert.Contains(report.Problems, p => p.File.EndsWith("BrokenPlugins.dll")
            && p.Message.Contains("BrokenPlugins.ThrowingJobKind") && p.Message.Contains("the licence server is unreachable"));
        Assert.Contains(report.Problems, p => p.File.EndsWith("BrokenPlugins.dll")
            && p.Message == "job kind BrokenPlugins.ImpostorGrepJobKind not registered: the name 'grep' is already taken by ActorTasks.Tasks.JobKinds.Grep.GrepJobKind (built in)");
        Assert.Contains(report.Problems, p => p.File.EndsWith("ReverseLines.dll") && p.Message.Contains("the name 'reverse-lines' is already taken")
            && p.Message.EndsWith("ReverseLines-copy.dll)"));

        // The built-in grep kept its name; the good kind from the broken file works.
        Assert.True(registry.TryGet("grep", out var grep));
        Assert.Equal(typeof(ActorTasks.Tasks.JobKinds.Grep.GrepJobKind), grep.GetType());
        Assert.True(registry.TryGet("echo", out var echo));
        Assert.Equal(["hi", "there"], (await JobHarness.RunShuffledAsync(echo.Prepare(["hi", "there"]))).Output.Lines);
    }
}
