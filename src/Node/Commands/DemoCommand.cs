using System.CommandLine;
using ActorTasks.Actor;
using ActorTasks.Node.Demo;
using Serilog;

namespace ActorTasks.Node.Commands;

/// <summary><c>actortasks demo</c>: runs a job on a pool of actors in this process and checks its answer.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var options = new NodeConfigOptions();
        var limit = new Option<long>("--limit") { Description = "Count the primes below this number", DefaultValueFactory = _ => 5_000_000 };
        var workers = new Option<int>("--workers") { Description = "Worker actors in the pool", DefaultValueFactory = _ => Environment.ProcessorCount };
        var chunk = new Option<int>("--chunk") { Description = "Numbers per task", DefaultValueFactory = _ => 100_000 };
        var command = new Command("demo", "Count primes with a pool of worker actors, with a simulated crash, and check the answer");
        options.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(workers);
        command.Options.Add(chunk);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var (l, w, c) = (parseResult.GetValue(limit), parseResult.GetValue(workers), parseResult.GetValue(chunk));
            if (l < 3 || w < 1 || c < 1)
            {
                error.WriteLine($"demo: --limit must be at least 3 (got {l}), --workers and --chunk at least 1 (got {w}, {c})");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            var config = options.TryLoad(parseResult, null, error);
            if (config is null) return NodeConfigOptions.BadConfigurationExitCode;
            using var log = new LoggerConfiguration()
                .MinimumLevel.Warning()
                .WriteTo.Console(outputTemplate: "  [{Level:u3}] {Message:lj}{NewLine}", standardErrorFromLevel: Serilog.Events.LogEventLevel.Fatal)
                .CreateLogger();
            var system = ActorSystem.Create("demo", config, log);
            try
            {
                return await LocalDemo.RunAsync(system, l, w, c, output);
            }
            finally
            {
                await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
        });
        return command;
    }
}
