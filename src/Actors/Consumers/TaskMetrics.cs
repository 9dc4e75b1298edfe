using System.Diagnostics.Metrics;

namespace ActorTasks.Tasks.Consumers;

/// <summary>
/// What a node's consumers measure, as .NET metrics (<see cref="System.Diagnostics.Metrics"/>): each task's duration and
/// the time consumers spend running tasks. A node that serves <c>/metrics</c> exports them; with no listener they cost
/// next to nothing.
/// </summary>
/// <remarks>The instruments are thread-safe sinks, written by consumers as a logger is; no actor reads them.</remarks>
public static class TaskMetrics
{
    /// <summary>The meter's name, for a listener to select it.</summary>
    public const string MeterName = "ActorTasks.Tasks";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds each task attempt took on this node, by job kind.</summary>
    internal static readonly Histogram<double> TaskDuration =
        Meter.CreateHistogram<double>("actortasks_task_duration_seconds", "s", "Seconds each task attempt took on this node, by job kind");

    /// <summary>Seconds this node's consumers spent running tasks (divided by the consumers and the time: their busy ratio).</summary>
    internal static readonly Counter<double> BusySeconds =
        Meter.CreateCounter<double>("actortasks_consumer_busy_seconds", "s", "Seconds this node's consumers spent running tasks");

    /// <summary>Tasks this node's consumers hold: handed out to them and not yet reported back (queued in their windows, or running).</summary>
    internal static readonly UpDownCounter<long> TasksHeld =
        Meter.CreateUpDownCounter<long>("actortasks_tasks_in_flight", null, "Tasks this node's consumers hold: handed out to them, not yet reported back");
}
