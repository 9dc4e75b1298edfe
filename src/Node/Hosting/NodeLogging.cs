using ActorTasks.Configuration;
using ActorTasks.Hocon;
using Serilog;
using Serilog.Core;

namespace ActorTasks.Node.Hosting;

/// <summary>A node's Serilog logger: the console (unless <c>actortasks.log.console = off</c>) and a rolling file per node.</summary>
public static class NodeLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Creates the logger of node <paramref name="nodeName"/> (e.g. <c>seed-4053</c>): one file per node and day,
    /// <c>{actortasks.log.file-directory}/{nodeName}-yyyyMMdd.log</c>, the last 7 kept.
    /// </summary>
    public static Logger Create(Config config, string nodeName)
    {
        var settings = RuntimeSettings.Create(config);
        var directory = config.GetString("actortasks.log.file-directory", "logs");
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(settings.LogLevel)
            .Enrich.WithProperty("Node", nodeName)
            .WriteTo.File(Path.Combine(directory, nodeName + "-.log"), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 7, outputTemplate: FileTemplate, shared: true);
        if (config.GetBoolean("actortasks.log.console", true))
        {
            logger = logger.WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: Serilog.Events.LogEventLevel.Error);
        }
        return logger.CreateLogger();
    }
}
