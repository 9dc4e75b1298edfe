using System.Buffers;
using Google.Protobuf;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization.Proto;
using ActorTasks.Routing;

namespace ActorTasks.Remote.Serialization;

/// <summary>The runtime's control messages, as the protobuf messages of control_messages.proto.</summary>
internal sealed partial class BuiltInSerializer
{
    private static void WriteControl(object message, IBufferWriter<byte> output, SerializationContext context)
    {
        IMessage? data = message switch
        {
            // Singletons: the manifest says it all, the payload is empty.
            PoisonPill or Kill or GetRoutees => null,
            Identify m => new IdentifyData { MessageId = PayloadCodec.ToPayload(m.MessageId, context) },
            ActorIdentity m => new ActorIdentityData
            {
                MessageId = PayloadCodec.ToPayload(m.MessageId, context),
                Subject = context.SerializeRef(m.Subject),
            },
            Terminated m => new TerminatedData
            {
                Actor = context.SerializeRef(m.ActorRef),
                ExistenceConfirmed = m.ExistenceConfirmed,
                AddressTerminated = m.AddressTerminated,
            },
            Status.Success m => new StatusSuccessData { Status = PayloadCodec.ToPayload(m.Status, context) },
            Status.Failure m => new StatusFailureData
            {
                // Only the name and the text travel: the receiver gets a RemoteException, never the original type.
                ExceptionType = m.Cause is RemoteException remote ? remote.OriginalTypeName : m.Cause.GetType().FullName ?? m.Cause.GetType().Name,
                ExceptionMessage = m.Cause.Message,
                State = PayloadCodec.ToPayload(m.State, context),
            },
            Broadcast m => new BroadcastData { Message = PayloadCodec.ToPayload(m.Message, context) },
            AdjustPoolSize m => new AdjustPoolSizeData { Change = m.Change },
            _ => throw new ArgumentException(
                $"the built-in serializer cannot write {TypeNames.Friendly(message.GetType())}", nameof(message)),
        };
        data?.WriteTo(output);
    }

    private static object ReadControl(ReadOnlySpan<byte> bytes, Type type, SerializationContext context)
    {
        if (type == typeof(PoisonPill)) return Empty(bytes, PoisonPill.Instance);
        if (type == typeof(Kill)) return Empty(bytes, Kill.Instance);
        if (type == typeof(GetRoutees)) return Empty(bytes, GetRoutees.Instance);
        if (type == typeof(Identify))
            return new Identify(PayloadCodec.FromPayload(IdentifyData.Parser.ParseFrom(bytes).MessageId, context));
        if (type == typeof(ActorIdentity))
        {
            var d = ActorIdentityData.Parser.ParseFrom(bytes);
            var subject = d.Subject.Length == 0 ? null : context.ResolveRef(d.Subject);
            return new ActorIdentity(PayloadCodec.FromPayload(d.MessageId, context), subject);
        }
        if (type == typeof(Terminated))
        {
            var d = TerminatedData.Parser.ParseFrom(bytes);
            return new Terminated(context.ResolveRef(d.Actor), d.ExistenceConfirmed, d.AddressTerminated);
        }
        if (type == typeof(Status.Success))
            return new Status.Success(PayloadCodec.FromPayload(StatusSuccessData.Parser.ParseFrom(bytes).Status, context));
        if (type == typeof(Status.Failure))
        {
            var d = StatusFailureData.Parser.ParseFrom(bytes);
            return new Status.Failure(new RemoteException(d.ExceptionType, d.ExceptionMessage), PayloadCodec.FromPayload(d.State, context));
        }
        if (type == typeof(Broadcast))
        {
            var d = BroadcastData.Parser.ParseFrom(bytes);
            return new Broadcast(PayloadCodec.FromPayload(d.Message, context)
                ?? throw new FormatException("a Broadcast payload must carry a message"));
        }
        if (type == typeof(AdjustPoolSize)) return new AdjustPoolSize(AdjustPoolSizeData.Parser.ParseFrom(bytes).Change);
        throw new ArgumentException($"the built-in serializer cannot read {TypeNames.Friendly(type)}", nameof(type));
    }

    private static object Empty(ReadOnlySpan<byte> bytes, object singleton) =>
        bytes.IsEmpty ? singleton : throw new FormatException($"a {singleton} payload must be empty, not {bytes.Length} bytes");
}
