using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace ActorTasks.Node.Console;

/// <summary>
/// Keeps console log lines out of a live view (a <c>watch</c> redrawn in place): while one is on screen, the console
/// sink leaves its events to <see cref="Sink"/>, which holds them until the view writes them above itself. The log
/// file gets every event as always.
/// </summary>
public static class LiveLog
{
    private static readonly ConcurrentQueue<string> Held = new();
    private static int _views;
    private static volatile string? _prompt;

    /// <summary>True while a live view is on screen.</summary>
    public static bool Active => Volatile.Read(ref _views) > 0;

    /// <summary>A live view begins; disposing the scope ends it and writes what is still held to the console.</summary>
    public static IDisposable Begin()
    {
        Interlocked.Increment(ref _views);
        return new Scope();
    }

    /// <summary>The prompt the console shows while it waits for a line (null when it does not wait at a prompt).</summary>
    public static string? Prompt => _prompt;

    /// <summary>
    /// The console shows <paramref name="prompt"/> and waits for a line until the scope is disposed: log events meanwhile
    /// are written over the prompt (<see cref="PromptSink"/>), which is shown again under them.
    /// </summary>
    public static IDisposable ShowPrompt(string prompt)
    {
        _prompt = prompt;
        return new PromptScope(prompt);
    }

    /// <summary>Console events while the console waits at its prompt: the prompt's row is erased, the event written, the prompt shown again.</summary>
    public sealed class PromptSink(string outputTemplate, TextWriter? output = null) : ILogEventSink
    {
        private readonly ITextFormatter _formatter = new MessageTemplateTextFormatter(outputTemplate);

        public void Emit(LogEvent logEvent)
        {
            var text = Format(_formatter, logEvent);
            // One write, so that events from two threads do not interleave.
            (output ?? System.Console.Out).Write(_prompt is { } prompt ? $"\r\u001b[2K{text}{prompt}" : text);
        }
    }

    private sealed class PromptScope(string prompt) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref _prompt, null, prompt);
    }

    /// <summary>The held lines, oldest first, each ending with its newline: the view writes them above itself.</summary>
    public static IEnumerable<string> TakeHeld()
    {
        while (Held.TryDequeue(out var line)) yield return line;
    }

    /// <summary>The console events while a live view is on (see <see cref="NodeLogging"/>); formatted as the console sink formats them.</summary>
    public sealed class Sink(string outputTemplate) : ILogEventSink
    {
        private readonly ITextFormatter _formatter = new MessageTemplateTextFormatter(outputTemplate);

        public void Emit(LogEvent logEvent)
        {
            Held.Enqueue(Format(_formatter, logEvent));
            // The view may have ended between the check that sent the event here and now: then nobody would take it.
            if (!Active) WriteHeld(System.Console.Out);
        }
    }

    private static string Format(ITextFormatter formatter, LogEvent logEvent)
    {
        var text = new StringWriter();
        formatter.Format(logEvent, text);
        return text.ToString();
    }

    private static void WriteHeld(TextWriter output)
    {
        foreach (var line in TakeHeld()) output.Write(line);
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            Interlocked.Decrement(ref _views);
            if (!Active) WriteHeld(System.Console.Out);
        }
    }
}
