using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTasks.Messages.Serialization;

/// <summary>
/// Akka serializer of every <see cref="ITaskSystemMessage"/>: each type has a stable manifest (<c>tasks.*</c>) that
/// names it on the wire, so no .NET type name ever crosses nodes. <see cref="WorkAssigned"/> and
/// <see cref="TaskResults"/>, which carry tasks and results in bulk, have a compact binary form; the rest are
/// source-generated JSON, with actor refs written as their serialized paths.
/// </summary>
/// <remarks>
/// Bound in hocon/actortasks.conf (<c>akka.actor.serializers.actortasks</c>, <c>serialization-bindings</c>). Bytes
/// that do not decode throw <see cref="SerializationException"/> naming the manifest and the field; Akka.Remote then
/// drops that one message and logs it, and the connection stays up.
/// </remarks>
public sealed class TaskSystemSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id in Akka's envelopes (Akka's own modules use ids below 100).</summary>
    public const int SerializerId = 110;

    private const string WorkAssignedManifest = "tasks.work-assigned";
    private const string TaskResultsManifest = "tasks.task-results";

    private readonly Dictionary<Type, string> _manifests;
    private readonly Dictionary<string, (Type Type, JsonTypeInfo? Json)> _types;

    /// <summary>Created by Akka's serialization extension, once per actor system.</summary>
    public TaskSystemSerializer(ExtendedActorSystem system)
        : base(system)
    {
        var json = new TaskSystemJsonContext(new JsonSerializerOptions { Converters = { new ActorRefJsonConverter(system) } });
        (Type, string, JsonTypeInfo?)[] table =
        [
            // Job protocol.
            (typeof(SubmitJob), "tasks.submit-job", json.SubmitJob),
            (typeof(JobAccepted), "tasks.job-accepted", json.JobAccepted),
            (typeof(JobRejected), "tasks.job-rejected", json.JobRejected),
            (typeof(GetJobStatus), "tasks.get-job-status", json.GetJobStatus),
            (typeof(JobStatusReport), "tasks.job-status", json.JobStatusReport),
            (typeof(ListJobs), "tasks.list-jobs", json.ListJobs),
            (typeof(JobList), "tasks.job-list", json.JobList),
            (typeof(CancelJob), "tasks.cancel-job", json.CancelJob),
            (typeof(JobCancelling), "tasks.job-cancelling", json.JobCancelling),
            (typeof(JobAlreadyFinished), "tasks.job-already-finished", json.JobAlreadyFinished),
            (typeof(JobUnknown), "tasks.job-unknown", json.JobUnknown),
            (typeof(JobFinished), "tasks.job-finished", json.JobFinished),
            (typeof(GetJobResults), "tasks.get-job-results", json.GetJobResults),
            (typeof(GetJobLines), "tasks.get-job-lines", json.GetJobLines),
            (typeof(JobLines), "tasks.job-lines", json.JobLines),
            // Work protocol: the two hot messages have a compact binary form.
            (typeof(RegisterConsumer), "tasks.register-consumer", json.RegisterConsumer),
            (typeof(ConsumerRegistered), "tasks.consumer-registered", json.ConsumerRegistered),
            (typeof(JobStarted), "tasks.job-started", json.JobStarted),
            (typeof(JobEnded), "tasks.job-ended", json.JobEnded),
            (typeof(JobDeclined), "tasks.job-declined", json.JobDeclined),
            (typeof(RequestWork), "tasks.request-work", json.RequestWork),
            (typeof(WorkAssigned), WorkAssignedManifest, null),
            (typeof(TaskResults), TaskResultsManifest, null),
            (typeof(ReturnWork), "tasks.return-work", json.ReturnWork),
            (typeof(WorkReturned), "tasks.work-returned", json.WorkReturned),
            (typeof(GetConsumers), "tasks.get-consumers", json.GetConsumers),
            (typeof(PoolConsumers), "tasks.pool-consumers", json.PoolConsumers),
            // Progress protocol.
            (typeof(WatchJob), "tasks.watch-job", json.WatchJob),
            (typeof(UnwatchJob), "tasks.unwatch-job", json.UnwatchJob),
            (typeof(JobProgress), "tasks.job-progress", json.JobProgress),
            // Resource protocol.
            (typeof(DefineResource), "tasks.define-resource", json.DefineResource),
            (typeof(ResourceDefined), "tasks.resource-defined", json.ResourceDefined),
            (typeof(ResourceNotDefined), "tasks.resource-not-defined", json.ResourceNotDefined),
            (typeof(Acquire), "tasks.acquire", json.Acquire),
            (typeof(CancelAcquire), "tasks.cancel-acquire", json.CancelAcquire),
            (typeof(Granted), "tasks.granted", json.Granted),
            (typeof(AcquireTimedOut), "tasks.acquire-timed-out", json.AcquireTimedOut),
            (typeof(AcquireRejected), "tasks.acquire-rejected", json.AcquireRejected),
            (typeof(Release), "tasks.release", json.Release),
            (typeof(RegisterConsumerPool), "tasks.register-consumer-pool", json.RegisterConsumerPool),
            (typeof(ConsumerPoolRegistered), "tasks.consumer-pool-registered", json.ConsumerPoolRegistered),
            (typeof(GetResources), "tasks.get-resources", json.GetResources),
            (typeof(ResourcesReport), "tasks.resources-report", json.ResourcesReport),
            // Cluster protocol.
            (typeof(GetMembers), "tasks.get-members", json.GetMembers),
            (typeof(MembersReport), "tasks.members-report", json.MembersReport),
        ];
        _manifests = table.ToDictionary(t => t.Item1, t => t.Item2);
        _types = table.ToDictionary(t => t.Item2, t => (t.Item1, t.Item3), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <summary>Every message type this serializer writes, with its manifest.</summary>
    public IReadOnlyDictionary<Type, string> Manifests => _manifests;

    /// <inheritdoc />
    public override string Manifest(object o) =>
        _manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().FullName} is not a task-system message with a manifest", nameof(o));

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var manifest = Manifest(obj);
        var json = _types[manifest].Json;
        return json is null ? WorkCodec.ToBinary(obj) : JsonSerializer.SerializeToUtf8Bytes(obj, json);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_types.TryGetValue(manifest, out var entry))
            throw new SerializationException($"unknown task-system manifest '{manifest}'");
        try
        {
            var message = entry.Json is null ? WorkCodec.FromBinary(bytes, entry.Type) : JsonSerializer.Deserialize(bytes, entry.Json);
            return message ?? throw new SerializationException($"{manifest}: the message is null");
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or InvalidOperationException)
        {
            throw new SerializationException($"{manifest}: {e.Message}", e);
        }
    }
}
