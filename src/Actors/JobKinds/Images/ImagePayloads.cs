using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>
/// An images task: one image, its full path and its path relative to SRC (which its output mirrors under OUT); or a
/// problem found while splitting (a folder that cannot be read, two inputs for one output), which fails the task.
/// </summary>
internal sealed record ImageTask(string Source, string Relative, string? Problem)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(16 + Source.Length + Relative.Length + (Problem?.Length ?? 0));
        writer.WriteString(Source);
        writer.WriteString(Relative);
        writer.WriteByte(Problem is null ? (byte)0 : (byte)1);
        if (Problem is not null) writer.WriteString(Problem);
        return writer.ToMemory();
    }

    public static ImageTask Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "images task");
        var task = new ImageTask(reader.ReadString(), reader.ReadString(), reader.ReadByte() == 0 ? null : reader.ReadString());
        reader.ExpectEnd();
        return task;
    }
}

/// <summary>One image written: where from and to (relative to SRC and OUT), its bytes and sizes before and after, and how long it took.</summary>
internal sealed record ImageResult(string Relative, string Output, long BytesIn, long BytesOut,
    int InputWidth, int InputHeight, int Width, int Height, TimeSpan Elapsed)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(48 + Relative.Length + Output.Length);
        writer.WriteString(Relative);
        writer.WriteString(Output);
        writer.WriteVarUInt64((ulong)BytesIn);
        writer.WriteVarUInt64((ulong)BytesOut);
        writer.WriteVarUInt64((ulong)InputWidth);
        writer.WriteVarUInt64((ulong)InputHeight);
        writer.WriteVarUInt64((ulong)Width);
        writer.WriteVarUInt64((ulong)Height);
        writer.WriteVarUInt64((ulong)Elapsed.Ticks);
        return writer.ToMemory();
    }

    public static ImageResult Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "images result");
        var result = new ImageResult(reader.ReadString(), reader.ReadString(),
            checked((long)reader.ReadVarUInt64()), checked((long)reader.ReadVarUInt64()),
            checked((int)reader.ReadVarUInt64()), checked((int)reader.ReadVarUInt64()),
            checked((int)reader.ReadVarUInt64()), checked((int)reader.ReadVarUInt64()),
            TimeSpan.FromTicks(checked((long)reader.ReadVarUInt64())));
        reader.ExpectEnd();
        return result;
    }
}
