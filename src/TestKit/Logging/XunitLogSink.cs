using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace ActorTasks.Testing;

/// <summary>A Serilog sink that writes to the output of an xunit test; lines logged after the test has ended are dropped.</summary>
public sealed class XunitLogSink(ITestOutputHelper output) : ILogEventSink
{
    private readonly ITestOutputHelper _output = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>Writes one line: time, level, source actor, message, and the exception if any.</summary>
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var line = new StringBuilder()
            .Append(logEvent.Timestamp.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))
            .Append(" [").Append(LevelTag(logEvent.Level)).Append("] ");
        if (SourceOf(logEvent) is { } source) line.Append(source).Append(": ");
        line.Append(logEvent.RenderMessage(CultureInfo.InvariantCulture));
        if (logEvent.Exception is { } e) line.AppendLine().Append(e);
        try
        {
            _output.WriteLine(line.ToString());
        }
        catch (InvalidOperationException)
        {
            // xunit throws this once the test that owns the helper has finished; actors still stopping may log after
            // that, and those lines have nowhere to go.
        }
    }

    /// <summary>The actor that logged the event (the runtime's <c>ActorPath</c> property), if any.</summary>
    internal static string? SourceOf(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("ActorPath", out var value) && value is ScalarValue { Value: string path } ? path : null;

    internal static string LevelTag(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };
}
