using System.Globalization;
using System.Text;

namespace ActorTasks.Node.Demo;

/// <summary>The demo's inputs, generated into a temporary folder: a tree of log files to grep and a CSV to summarise.</summary>
internal sealed class DemoData : IDisposable
{
    public DemoData()
    {
        Root = Directory.CreateTempSubdirectory("actortasks-demo-").FullName;
        LogTree = Path.Combine(Root, "logs");
        Csv = Path.Combine(Root, "orders.csv");
        var random = new Random(42);
        for (var dir = 0; dir < 6; dir++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(LogTree, $"service-{dir}")).FullName;
            for (var file = 0; file < 50; file++)
            {
                var lines = new StringBuilder();
                for (var line = 0; line < 200; line++)
                {
                    var level = random.Next(500) == 0 ? "ERROR" : random.Next(10) == 0 ? "WARN" : "INFO";
                    lines.Append(CultureInfo.InvariantCulture, $"2026-11-22T10:{line / 60:00}:{line % 60:00} {level} request {dir}-{file}-{line} took {random.Next(1, 900)} ms\n");
                }
                File.WriteAllText(Path.Combine(folder, $"app-{file:000}.log"), lines.ToString());
            }
        }
        using var csv = new StreamWriter(Csv);
        csv.WriteLine("order_id,customer,price,quantity");
        for (var i = 1; i <= 200_000; i++)
            csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},c{random.Next(5000)},{Math.Round(5 + random.NextDouble() * random.NextDouble() * 495, 2)},{random.Next(1, 10)}"));
    }

    public string Root { get; }

    public string LogTree { get; }

    public string Csv { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a file still open somewhere: the temp folder is cleaned up by the OS later
        }
    }

    /// <summary>The number of primes below <paramref name="limit"/>, by a plain sieve in this process: the demo's check.</summary>
    public static long CountPrimesBelow(int limit)
    {
        var composite = new bool[limit];
        long count = 0;
        for (var i = 2; i < limit; i++)
        {
            if (composite[i]) continue;
            count++;
            for (var j = (long)i * i; j < limit; j += i) composite[j] = true;
        }
        return count;
    }
}
