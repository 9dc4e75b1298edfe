namespace ActorTasks.Node.Console;

/// <summary>One console command: its name, how to call it, what it does, and what it runs.</summary>
/// <remarks>
/// A command that <paramref name="Follows"/> something until it ends (<c>watch</c>) runs beside the console when there
/// is no terminal: commands piped in after it are read and run meanwhile, instead of waiting for the job to end.
/// </remarks>
public sealed record ConsoleCommand(string Name, string Usage, string Summary, Func<IReadOnlyList<string>, ConsoleContext, Task> RunAsync, bool Follows = false);

/// <summary>What a running console command can use: where to write, and a token Ctrl+C (or the node stopping) cancels.</summary>
public sealed record ConsoleContext(TextWriter Output, CancellationToken CancellationToken);

/// <summary>
/// A node's console: reads one command per line (from a terminal with a prompt, or from standard input for scripts
/// and tests), runs it, and keeps going until <c>quit</c>, the end of input, or the node stopping. A failing command
/// prints its error and the console carries on.
/// </summary>
public sealed class NodeConsole
{
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly Dictionary<string, ConsoleCommand> _commands = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _following = [];
    private const string Prompt = "actortasks> ";

    /// <summary>Creates a console; with <paramref name="interactive"/> it prints a prompt before each line.</summary>
    public NodeConsole(TextReader input, TextWriter output, bool interactive)
    {
        _input = input;
        // Without a terminal, a following command writes beside the commands after it.
        _output = interactive ? output : TextWriter.Synchronized(output);
        _interactive = interactive;
        Add(new ConsoleCommand("help", "help", "list the commands", (_, c) => { WriteHelp(c.Output); return Task.CompletedTask; }));
    }

    /// <summary>
    /// Makes the cancellation of one command from the node's token: a source cancelled with it, plus a scope the console
    /// disposes when the command ends (e.g. while it lives, Ctrl+C cancels the command rather than the node).
    /// </summary>
    public Func<CancellationTokenSource, IDisposable?>? OnCommandStarted { get; init; }

    /// <summary>Adds a command (replacing one of the same name).</summary>
    public NodeConsole Add(ConsoleCommand command)
    {
        _commands[command.Name] = command;
        return this;
    }

    /// <summary>Reads and runs commands until quit, end of input or <paramref name="stop"/>; returns why it ended.</summary>
    public async Task<ConsoleEnd> RunAsync(CancellationToken stop)
    {
        if (_interactive) await _output.WriteLineAsync("Type 'help' for the commands.").ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            if (_interactive) await _output.WriteAsync(Prompt).ConfigureAwait(false);
            string? line;
            // On this process's terminal, log events while it waits for a line are written over the prompt, not into it.
            using (_interactive && _output == System.Console.Out ? LiveLog.ShowPrompt(Prompt) : null)
            try
            {
                // Console.In reads synchronously even through ReadLineAsync, so the read gets a thread of its own (not a
                // thread-pool thread, which actors need): otherwise a signal could not end the wait for a line that never comes.
                line = await Task.Factory.StartNew(_input.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                    .WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ConsoleEnd.Stopped;
            }
            if (line is null) return ConsoleEnd.EndOfInput;
            IReadOnlyList<string> words;
            try
            {
                words = CommandLineSplitter.Split(line);
            }
            catch (FormatException e)
            {
                await _output.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                continue;
            }
            if (words.Count == 0 || words[0].StartsWith('#')) continue;
            if (words[0].Equals("quit", StringComparison.OrdinalIgnoreCase) || words[0].Equals("exit", StringComparison.OrdinalIgnoreCase))
            {
                // A script that watches and then quits means: quit once the watch is over.
                await WhenFollowingEndedAsync().ConfigureAwait(false);
                return ConsoleEnd.Quit;
            }
            if (!_interactive && _commands.TryGetValue(words[0], out var follows) && follows.Follows)
            {
                _following.RemoveAll(t => t.IsCompleted);
                _following.Add(RunCommandAsync(words, stop));
                continue;
            }
            await RunCommandAsync(words, stop).ConfigureAwait(false);
        }
        return ConsoleEnd.Stopped;
    }

    /// <summary>Completes when every following command started without a terminal has ended.</summary>
    public Task WhenFollowingEndedAsync() => Task.WhenAll(_following);

    private async Task RunCommandAsync(IReadOnlyList<string> words, CancellationToken stop)
    {
        if (!_commands.TryGetValue(words[0], out var command))
        {
            await _output.WriteLineAsync($"error: unknown command '{words[0]}'; type 'help' for the commands").ConfigureAwait(false);
            return;
        }
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var scope = OnCommandStarted?.Invoke(cancellation);
        try
        {
            await command.RunAsync(words.Skip(1).ToArray(), new ConsoleContext(_output, cancellation.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await _output.WriteLineAsync($"{command.Name}: interrupted").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await _output.WriteLineAsync($"{command.Name}: {e.Message}").ConfigureAwait(false);
        }
    }

    private void WriteHelp(TextWriter output)
    {
        var width = _commands.Values.Max(c => c.Usage.Length);
        foreach (var command in _commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            output.WriteLine($"  {command.Usage.PadRight(width)}  {command.Summary}");
        output.WriteLine($"  {"quit".PadRight(width)}  leave the cluster and stop this node");
    }
}

/// <summary>Why the console stopped reading.</summary>
public enum ConsoleEnd
{
    /// <summary>The user typed quit (or exit).</summary>
    Quit,

    /// <summary>Standard input ended (a script ran out, or the terminal closed).</summary>
    EndOfInput,

    /// <summary>The node is stopping (a signal, or it was downed).</summary>
    Stopped,
}
