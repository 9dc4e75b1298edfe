using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>A Serilog sink that keeps every event (rendered) so tests can await and count log lines.</summary>
public sealed class CapturingSink : ILogEventSink
{
    public AwaitableLog<CapturedLine> Lines { get; } = new();

    public void Emit(LogEvent logEvent) =>
        Lines.Add(new CapturedLine(logEvent.Level, logEvent.RenderMessage(CultureInfo.InvariantCulture)));

    public Task<CapturedLine> WaitForAsync(LogEventLevel level, string contains, TimeSpan timeout) =>
        Lines.WaitForAsync(l => l.Level == level && l.Text.Contains(contains, StringComparison.Ordinal), timeout, $"a {level} line containing '{contains}'");

    public int Count(LogEventLevel level, string contains) =>
        Lines.Snapshot().Count(l => l.Level == level && l.Text.Contains(contains, StringComparison.Ordinal));
}

public sealed record CapturedLine(LogEventLevel Level, string Text)
{
    public override string ToString() => $"[{Level}] {Text}";
}
