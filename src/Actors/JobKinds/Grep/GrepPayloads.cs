using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>
/// A part of a file to search: the whole file (<paramref name="End"/> −1), or the lines that start in the byte range
/// [<paramref name="Start"/>, <paramref name="End"/>), which is part <paramref name="Part"/> (from 0) of the file.
/// </summary>
internal sealed record GrepSegment(string Path, string Display, long Start, long End, int Part)
{
    public bool WholeFile => End < 0;
}

/// <summary>A grep task: the segments to search, in walk order, and walk errors met just before them (passed through to the result).</summary>
internal sealed record GrepTask(IReadOnlyList<GrepSegment> Segments, IReadOnlyList<string> WalkErrors)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(64 + Segments.Sum(s => s.Path.Length + s.Display.Length + 24));
        writer.WriteVarUInt64((ulong)Segments.Count);
        foreach (var s in Segments)
        {
            writer.WriteString(s.Path);
            writer.WriteString(s.Display);
            writer.WriteInt64(s.Start);
            writer.WriteInt64(s.End);
            writer.WriteVarUInt64((ulong)s.Part);
        }
        writer.WriteVarUInt64((ulong)WalkErrors.Count);
        foreach (var e in WalkErrors) writer.WriteString(e);
        return writer.ToMemory();
    }

    public static GrepTask Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "grep task");
        var segments = new GrepSegment[reader.ReadCount(20)];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = new GrepSegment(reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(),
                checked((int)reader.ReadVarUInt64()));
        }
        var errors = new string[reader.ReadCount(1)];
        for (var i = 0; i < errors.Length; i++) errors[i] = reader.ReadString();
        reader.ExpectEnd();
        return new GrepTask(segments, errors);
    }
}

/// <summary>A matching line: its number among the lines of its segment (from 0), and its text (cut when long).</summary>
internal readonly record struct GrepMatch(long LocalLine, string Text);

/// <summary>
/// What a task found in one segment: how many lines start in it (so that the reducer can number the lines of later
/// parts of the file), its matching lines, whether it holds binary data (a NUL in the file's first 8 KiB, or a line
/// that is not UTF-8) and, for such a segment, only whether anything matched; and an error that stopped the search.
/// </summary>
internal sealed record GrepSegmentResult(string Path, string Display, int Part, bool WholeFile, long Lines, bool Binary, long Matches,
    IReadOnlyList<GrepMatch> Found, string? Error);

/// <summary>What one task found: per segment, in order, and the walk errors it carried.</summary>
internal sealed record GrepResult(IReadOnlyList<GrepSegmentResult> Segments, IReadOnlyList<string> WalkErrors)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(64 + Segments.Sum(s => s.Found.Sum(f => f.Text.Length + 6) + s.Display.Length + 32));
        writer.WriteVarUInt64((ulong)Segments.Count);
        foreach (var s in Segments)
        {
            writer.WriteString(s.Path);
            writer.WriteString(s.Display);
            writer.WriteVarUInt64((ulong)s.Part);
            writer.WriteByte((byte)((s.WholeFile ? 1 : 0) | (s.Binary ? 2 : 0) | (s.Error is null ? 0 : 4)));
            writer.WriteVarUInt64((ulong)s.Lines);
            writer.WriteVarUInt64((ulong)s.Matches);
            writer.WriteVarUInt64((ulong)s.Found.Count);
            foreach (var f in s.Found)
            {
                writer.WriteVarUInt64((ulong)f.LocalLine);
                writer.WriteString(f.Text);
            }
            if (s.Error is not null) writer.WriteString(s.Error);
        }
        writer.WriteVarUInt64((ulong)WalkErrors.Count);
        foreach (var e in WalkErrors) writer.WriteString(e);
        return writer.ToMemory();
    }

    public static GrepResult Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "grep result");
        var segments = new GrepSegmentResult[reader.ReadCount(7)];
        for (var i = 0; i < segments.Length; i++)
        {
            var path = reader.ReadString();
            var display = reader.ReadString();
            var part = checked((int)reader.ReadVarUInt64());
            var flags = reader.ReadByte();
            var lines = (long)reader.ReadVarUInt64();
            var matches = (long)reader.ReadVarUInt64();
            var found = new GrepMatch[reader.ReadCount(2)];
            for (var j = 0; j < found.Length; j++) found[j] = new GrepMatch((long)reader.ReadVarUInt64(), reader.ReadString());
            var error = (flags & 4) != 0 ? reader.ReadString() : null;
            segments[i] = new GrepSegmentResult(path, display, part, (flags & 1) != 0, lines, (flags & 2) != 0, matches, found, error);
        }
        var errors = new string[reader.ReadCount(1)];
        for (var i = 0; i < errors.Length; i++) errors[i] = reader.ReadString();
        reader.ExpectEnd();
        return new GrepResult(segments, errors);
    }
}
