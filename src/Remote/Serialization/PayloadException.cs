namespace ActorTasks.Remote.Serialization;

/// <summary>A payload (top-level or nested) that cannot be read, with the failure kind the facade reports.</summary>
internal sealed class PayloadException(DeserializationFailure failure, string manifest, string message) : Exception(message)
{
    public DeserializationFailure Failure { get; } = failure;

    /// <summary>The manifest of the payload that failed, as received (untrusted).</summary>
    public string Manifest { get; } = manifest;
}
