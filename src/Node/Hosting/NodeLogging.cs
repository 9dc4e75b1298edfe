using ActorTasks.Node.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// A node's Serilog logger: the console (unless <c>actortasks.log.console = off</c>) and a rolling file per node.
/// Akka's own log events reach it through Akka.Logger.Serilog, at the same level (<see cref="AkkaConfig"/>).
/// </summary>
public static class NodeLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Creates the logger of node <paramref name="nodeName"/> (e.g. <c>seed-4053</c>): one file per node and day,
    /// <c>{actortasks.log.file-directory}/{nodeName}-yyyyMMdd.log</c>, the last 7 kept.
    /// </summary>
    /// <remarks>
    /// Serilog's file sink drops events without a word when it cannot write; so the folder is tried first, and when it
    /// cannot be written the node logs to the console only and says so (<paramref name="problem"/>).
    /// </remarks>
    /// <param name="peers">What the cluster knows of its peers, so that Akka.Remote's repeats about a gone one are DEBUG (<see cref="ExpectedRemoteEvents"/>).</param>
    internal static Logger Create(NodeSettings settings, string nodeName, ClusterPeers peers, out string? problem)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(settings.LogLevel)
            .Filter.ByExcluding(RepeatsATlsRefusal)
            .Enrich.WithProperty("Node", nodeName);
        problem = CheckWritable(settings.LogDirectory);
        if (problem is null)
        {
            logger = logger.WriteTo.File(Path.Combine(settings.LogDirectory, nodeName + "-.log"), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 7, outputTemplate: FileTemplate, shared: true);
        }
        if (settings.LogToConsole || problem is not null)
        {
            // While a live view (watch) is on screen, console events wait for it to write them above itself; while the
            // console waits at its prompt, they are written over the prompt, which then comes again.
            logger = logger
                .WriteTo.Logger(c => c.Filter.ByExcluding(_ => Console.LiveLog.Active || Console.LiveLog.Prompt is not null)
                    .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Error))
                .WriteTo.Logger(c => c.Filter.ByIncludingOnly(_ => Console.LiveLog.Active)
                    .WriteTo.Sink(new Console.LiveLog.Sink(ConsoleTemplate)))
                .WriteTo.Logger(c => c.Filter.ByIncludingOnly(_ => !Console.LiveLog.Active && Console.LiveLog.Prompt is not null)
                    .WriteTo.Sink(new Console.LiveLog.PromptSink(ConsoleTemplate)));
        }
        return ExpectedRemoteEvents.Wrap(logger.CreateLogger(), settings.LogLevel, peers);
    }

    private static string? CheckWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"actortasks.log.file-directory: cannot write log files in '{directory}' ({e.Message}); logging to the console only";
        }
    }

    /// <summary>
    /// Akka.Remote reports a refused TLS handshake with several events, two of them pages long (stack trace and
    /// troubleshooting tips) on every attempt. Each side keeps its one-line event, which says what happened:
    /// "Certificate pinning failed for … thumbprint … not in allowed list" where a certificate was refused, and
    /// "Rejected incoming connection from … due to TLS handshake failure" on the node that refused a connection.
    /// </summary>
    internal static bool RepeatsATlsRefusal(LogEvent e)
    {
        if (e.Level < LogEventLevel.Error) return false;
        var text = e.MessageTemplate.Text;
        return text.StartsWith("TLS handshake failed on channel", StringComparison.Ordinal)
            || (text.StartsWith("Error caught channel", StringComparison.Ordinal) && e.Exception?.GetType().Name == "NotSslRecordException");
    }

    /// <summary>The Akka settings that send Akka's log events to Serilog at the node's level.</summary>
    public static string AkkaConfig(NodeSettings settings) =>
        $$"""
        akka.loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
        akka.loglevel = {{settings.AkkaLogLevel}}
        """;
}
