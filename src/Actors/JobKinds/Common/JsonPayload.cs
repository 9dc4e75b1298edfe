using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Decodes source-generated JSON payloads, turning bad bytes into an error that names the payload.</summary>
internal static class JsonPayload
{
    public static T Decode<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, type) ?? throw new InvalidDataException($"malformed {what} payload: null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed {what} payload: {e.Message}", e);
        }
    }
}
