using System.Diagnostics;
using System.Text.Json;
using ActorTasks.Hocon;

namespace ActorTasks.Bench;

/// <summary>
/// Parse and resolve test04.conf (the corpus' real-world reference config) plus hocon/reference.conf;
/// baseline: System.Text.Json parsing the same two trees written as JSON, in the same run.
/// </summary>
public sealed class HoconParseBench : IBenchmark
{
    private const double TargetMs = 5;
    private const double TargetRatio = 10;

    public string Name => "hocon-parse";

    public string Description => "parse+resolve test04.conf + hocon/reference.conf vs JsonDocument.Parse of the same trees";

    public Task<BenchResult> RunAsync(BenchOptions options)
    {
        var root = FindRepoRoot();
        var test04 = File.ReadAllText(Path.Combine(root, "..", "shared", "hocon-conformance", "test04.conf"));
        var reference = File.ReadAllText(Path.Combine(root, "hocon", "reference.conf"));
        var noEnvironment = new ConfigResolveOptions { UseEnvironment = false };

        // The JSON equivalent is written the way a person writes a config file (indented), not minified;
        // compact JSON is timed too and reported as an extra.
        var tree04 = ConfigFactory.ParseString(test04, "test04.conf").Resolve(noEnvironment);
        var treeRef = ConfigFactory.ParseString(reference, "reference.conf").Resolve(noEnvironment);
        var json04 = tree04.ToJson(indented: true);
        var jsonRef = treeRef.ToJson(indented: true);
        var compact04 = tree04.ToJson(indented: false);
        var compactRef = treeRef.ToJson(indented: false);
        Console.WriteLine($"input: test04.conf {test04.Length} chars + reference.conf {reference.Length} chars; " +
                          $"as indented JSON {json04.Length + jsonRef.Length} chars, compact {compact04.Length + compactRef.Length}");

        var keep = 0;
        void Hocon()
        {
            keep += ConfigFactory.ParseString(test04, "test04.conf").Resolve(noEnvironment).Root.Count;
            keep += ConfigFactory.ParseString(reference, "reference.conf").Resolve(noEnvironment).Root.Count;
        }
        void Json()
        {
            using var a = JsonDocument.Parse(json04);
            using var b = JsonDocument.Parse(jsonRef);
            keep += a.RootElement.GetPropertyCount() + b.RootElement.GetPropertyCount();
        }
        void CompactJson()
        {
            using var a = JsonDocument.Parse(compact04);
            using var b = JsonDocument.Parse(compactRef);
            keep += a.RootElement.GetPropertyCount() + b.RootElement.GetPropertyCount();
        }

        var warmup = options.Quick ? 200 : 2000;
        for (var i = 0; i < warmup; i++)
        {
            Hocon();
            Json();
            CompactJson();
        }

        var samples = options.Quick ? 30 : 100;
        var hoconMs = new List<double>();
        var jsonMs = new List<double>();
        var compactMs = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            // Interleaved, so that load from other processes on a shared machine falls on both alike.
            for (var s = 0; s < samples; s++)
            {
                hoconMs.Add(Sample(Hocon, batch: 20));
                jsonMs.Add(Sample(Json, batch: 200));
                compactMs.Add(Sample(CompactJson, batch: 200));
            }
            Console.WriteLine($"run {run + 1}: hocon {Measure.Median(hoconMs):F4} ms, json {Measure.Median(jsonMs):F4} ms (medians so far)");
        }

        var value = Measure.Median(hoconMs);
        var baseline = Measure.Median(jsonMs);
        var sorted = hoconMs.OrderBy(v => v).ToArray();
        var p90 = Measure.Percentile(sorted, 90);
        var factor = value / baseline;
        Console.WriteLine($"hocon parse+resolve: median {value:F4} ms, p90 {p90:F4} ms (target < {TargetMs} ms)");
        var compact = Measure.Median(compactMs);
        Console.WriteLine($"json baseline:       median {baseline:F4} ms; hocon takes {factor:F1}x the json time (target <= {TargetRatio}x)");
        Console.WriteLine($"compact json:        median {compact:F4} ms; hocon takes {value / compact:F1}x that");
        GC.KeepAlive(keep);

        return Task.FromResult(new BenchResult(Name, value, "ms", baseline, HigherIsBetter: false, new Dictionary<string, object>
        {
            ["target_ms"] = TargetMs,
            ["target_factor_vs_json"] = TargetRatio,
            ["factor_vs_json"] = Math.Round(factor, 2),
            ["p90_ms"] = Math.Round(p90, 4),
            ["compact_json_ms"] = Math.Round(compact, 4),
            ["factor_vs_compact_json"] = Math.Round(value / compact, 2),
            ["meets_targets"] = value < TargetMs && factor <= TargetRatio,
        }));
    }

    /// <summary>Milliseconds per call, averaged over a batch of calls.</summary>
    private static double Sample(Action action, int batch)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < batch; i++)
            action();
        return sw.Elapsed.TotalMilliseconds / batch;
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ActorTasks.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("ActorTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
