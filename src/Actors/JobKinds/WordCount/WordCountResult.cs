using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>What one wordcount task returns: how many files it started, how many words, its errors, and each word's count.</summary>
/// <remarks>Binary: varint files, varint words, errors (varint count, strings), then entries (varint count; a string and a varint each).</remarks>
internal sealed record WordCountResult(long Files, long Words, IReadOnlyList<string> Errors, IReadOnlyDictionary<string, long> Counts)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(32 + Counts.Count * 12);
        writer.WriteVarUInt64((ulong)Files);
        writer.WriteVarUInt64((ulong)Words);
        writer.WriteVarUInt64((ulong)Errors.Count);
        foreach (var error in Errors)
            writer.WriteString(error);
        writer.WriteVarUInt64((ulong)Counts.Count);
        foreach (var (word, count) in Counts)
        {
            writer.WriteString(word);
            writer.WriteVarUInt64((ulong)count);
        }
        return writer.ToMemory();
    }

    public static WordCountResult Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "wordcount result");
        var files = (long)reader.ReadVarUInt64();
        var words = (long)reader.ReadVarUInt64();
        var errors = new string[reader.ReadCount()];
        for (var i = 0; i < errors.Length; i++)
            errors[i] = reader.ReadString();
        var entries = reader.ReadCount(2);
        var counts = new Dictionary<string, long>(entries, StringComparer.Ordinal);
        for (var i = 0; i < entries; i++)
        {
            var word = reader.ReadString();
            if (!counts.TryAdd(word, (long)reader.ReadVarUInt64()))
                throw new InvalidDataException($"malformed wordcount result payload: the word '{word}' appears twice");
        }
        reader.ExpectEnd();
        return new WordCountResult(files, words, errors, counts);
    }
}
