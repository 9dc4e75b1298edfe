using System.Reflection;
using System.Text.Json;
using ActorTasks.Bench;

// Benchmarks are discovered in this assembly only (never from outside input).
var benchmarks = typeof(Program).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToDictionary(b => b.Name, StringComparer.Ordinal);

var quick = args.Contains("--quick");
var runs = quick ? 1 : 3;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--runs" && (!int.TryParse(args[i + 1], out runs) || runs < 1))
    {
        Console.Error.WriteLine($"--runs: expected a positive whole number but found '{args[i + 1]}'");
        return 2;
    }
}

var name = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _));
if (name is null || !benchmarks.TryGetValue(name, out var bench))
{
    if (name is not null)
        Console.Error.WriteLine($"unknown benchmark '{name}'");
    Console.Error.WriteLine("usage: ActorTasks.Bench <name> [--quick] [--runs N] [--keep]  (chaos: [--minutes M] [--seed N] [--faults none])");
    foreach (var b in benchmarks.Values)
        Console.Error.WriteLine($"  {b.Name,-22} {b.Description}");
    return 2;
}

Console.WriteLine($"{bench.Name}: {bench.Description}");
Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} cores, runs={runs}{(quick ? " (quick)" : "")}");
var result = await bench.RunAsync(new BenchOptions(quick, runs, args.Contains("--keep")) { Arguments = args });
var json = new Dictionary<string, object?>
{
    ["bench"] = result.Bench,
    ["value"] = Math.Round(result.Value, 3),
    ["unit"] = result.Unit,
    ["baseline"] = result.Baseline is { } bl ? Math.Round(bl, 3) : null,
    ["ratio"] = result.Ratio is { } r ? Math.Round(r, 3) : null,
};
if (result.Extra is not null)
    foreach (var (k, v) in result.Extra)
        json[k] = v;
Console.WriteLine(JsonSerializer.Serialize(json));
return 0;
