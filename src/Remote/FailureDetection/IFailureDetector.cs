namespace ActorTasks.Remote.FailureDetection;

/// <summary>Decides from the heartbeats it is told about whether a monitored resource (a node) is still alive.</summary>
public interface IFailureDetector
{
    /// <summary>False once heartbeats have been missing for too long; true while nothing has been heard yet.</summary>
    bool IsAvailable { get; }

    /// <summary>True once the first heartbeat has arrived.</summary>
    bool IsMonitoring { get; }

    /// <summary>Records that a heartbeat arrived now.</summary>
    void Heartbeat();
}
