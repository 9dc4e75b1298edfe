namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>The resource requirement of a task that needs no named permits.</summary>
internal static class NoResources
{
    public static readonly IReadOnlyDictionary<string, int> Instance = new Dictionary<string, int>();
}
