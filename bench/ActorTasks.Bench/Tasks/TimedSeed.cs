using System.Diagnostics;
using System.Globalization;
using ActorTasks.Node.Hosting;
using Akka.Actor;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// A seed process on a given port (0: a free one), its clock started just before the process is: every output line is
/// kept with the time it arrived, and <see cref="FirstLineAsync"/> awaits the first line that contains a text, however
/// long ago it came.
/// </summary>
internal sealed class TimedSeed : IAsyncDisposable
{
    private const string UpLine = "seed node up at ";

    // Lines arrive on two threads (the process's standard output and error): the lock keeps the list and the waiters in step.
    private readonly object _gate = new();
    private readonly List<(TimeSpan At, string Line)> _lines = [];
    private readonly List<(string Text, TaskCompletionSource<(TimeSpan At, string Line)> Found)> _waiters = [];

    private TimedSeed(string name, int port, IReadOnlyList<string> arguments)
    {
        Clock = Stopwatch.StartNew();
        Process = NodeProcess.Start(name, ["seed", "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments], OnLine, redirectInput: true);
    }

    /// <summary>Time since just before the process started.</summary>
    public Stopwatch Clock { get; }

    public NodeProcess Process { get; }

    /// <summary>The seed's address, from its "seed node up at" line.</summary>
    public Address Address { get; private set; } = null!;

    /// <summary>When the seed printed that it was up.</summary>
    public TimeSpan Up { get; private set; }

    /// <summary>Starts a seed with <paramref name="arguments"/> and waits until it is up.</summary>
    public static async Task<TimedSeed> StartAsync(string name, int port, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var seed = new TimedSeed(name, port, arguments);
        try
        {
            var up = seed.FirstLineAsync(UpLine, timeout);
            if (await Task.WhenAny(up, seed.Process.WaitForExitAsync()) != up)
            {
                // Exited first (its output has been read to its end by then): say what it printed rather than wait out the timeout.
                throw new SeedExitedException($"{name} exited with {seed.Process.ExitCode} before it was up: " +
                    string.Join(" | ", seed.Lines().Select(l => l.Line).Take(5)));
            }
            var (at, line) = await up;
            seed.Up = at;
            seed.Address = Address.Parse(line[(line.IndexOf(UpLine, StringComparison.Ordinal) + UpLine.Length)..].Split(' ')[0]);
            return seed;
        }
        catch
        {
            await seed.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first output line that contains <paramref name="text"/>, with the time it arrived.</summary>
    public async Task<(TimeSpan At, string Line)> FirstLineAsync(string text, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<(TimeSpan, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var (at, line) in _lines)
            {
                if (line.Contains(text, StringComparison.Ordinal)) return (at, line);
            }
            _waiters.Add((text, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Process.Name} printed no line with '{text}' within {timeout.TotalSeconds:0} s" +
                $"{(Process.HasExited ? $" (it exited with {Process.ExitCode})" : "")}; its output:\n  {string.Join("\n  ", Lines().TakeLast(40).Select(l => l.Line))}");
        }
    }

    /// <summary>Every line so far, with the time it arrived.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Lines()
    {
        lock (_gate) return [.. _lines];
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private void OnLine(NodeProcess node, string line)
    {
        NodeLogs.ShowProblems(node, line);
        lock (_gate)
        {
            _lines.Add((Clock.Elapsed, line));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Text, StringComparison.Ordinal)) continue;
                _waiters[i].Found.TrySetResult((_lines[^1].At, line));
                _waiters.RemoveAt(i);
            }
        }
    }
}

/// <summary>A seed process that exited before it printed that it was up; the message holds what it printed.</summary>
internal sealed class SeedExitedException(string message) : Exception(message);
