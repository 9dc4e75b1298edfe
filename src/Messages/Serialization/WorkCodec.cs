using System.Buffers;
using System.Text;

namespace ActorTasks.Messages.Serialization;

/// <summary>
/// A compact binary form for the two messages that carry tasks and results (<see cref="WorkAssigned"/>,
/// <see cref="TaskResults"/>): varint numbers and length-prefixed bytes, so a batch of small tasks costs a few
/// bytes per task on the wire and no JSON parsing. Reading checks every length and count against the bytes left.
/// </summary>
/// <remarks>
/// Strings are written with replacement (a lone surrogate in an error message becomes U+FFFD), so every message can
/// be sent; they are read strictly, so bytes that are not UTF-8 are refused as a malformed message.
/// </remarks>
internal static class WorkCodec
{
    private const byte WorkAssignedTag = 1;
    private const byte TaskResultsTag = 2;
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes of a <see cref="WorkAssigned"/> or <see cref="TaskResults"/>.</summary>
    public static byte[] ToBinary(object message)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(message, output);
        return output.WrittenSpan.ToArray();
    }

    private static void Write(object message, IBufferWriter<byte> output)
    {
        switch (message)
        {
            case WorkAssigned w:
                WriteByte(output, WorkAssignedTag);
                WriteString(output, w.JobId);
                var tasks = w.Tasks ?? [];
                WriteVarint(output, (ulong)tasks.Length);
                foreach (var t in tasks)
                {
                    WriteVarint(output, (ulong)t.Index);
                    WriteVarint(output, (ulong)(uint)t.Attempt);
                    WriteBytes(output, t.Payload ?? []);
                }
                break;
            case TaskResults r:
                WriteByte(output, TaskResultsTag);
                WriteString(output, r.JobId);
                WriteVarint(output, (ulong)(uint)Math.Max(0, r.Window));
                var succeeded = r.Succeeded ?? [];
                WriteVarint(output, (ulong)succeeded.Length);
                foreach (var s in succeeded)
                {
                    WriteVarint(output, (ulong)s.Index);
                    WriteVarint(output, (ulong)(uint)s.Attempt);
                    WriteBytes(output, s.Result ?? []);
                }
                var failed = r.Failed ?? [];
                WriteVarint(output, (ulong)failed.Length);
                foreach (var f in failed)
                {
                    WriteVarint(output, (ulong)f.Index);
                    WriteVarint(output, (ulong)(uint)f.Attempt);
                    WriteString(output, f.ErrorType ?? "");
                    WriteString(output, f.Message ?? "");
                    WriteByte(output, f.Permanent ? (byte)1 : (byte)0);
                }
                // Counters: 0 means none (null); otherwise count + 1 pairs follow.
                var counters = r.Counters;
                WriteVarint(output, counters is null ? 0UL : (ulong)counters.Count + 1);
                if (counters is not null)
                {
                    foreach (var (name, delta) in counters)
                    {
                        WriteString(output, name);
                        WriteVarint(output, ZigZag(delta));
                    }
                }
                break;
            default:
                throw new ArgumentException($"{nameof(WorkCodec)} writes WorkAssigned and TaskResults, not {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>Reads a message of <paramref name="type"/>; throws <see cref="FormatException"/> naming the field at fault.</summary>
    public static object FromBinary(ReadOnlySpan<byte> bytes, Type type)
    {
        var reader = new Reader(bytes);
        var tag = reader.Byte("message tag");
        object message;
        if (tag == WorkAssignedTag && type == typeof(WorkAssigned))
        {
            var jobId = reader.String("job id");
            var tasks = new WorkItem[reader.Count("task count", minimumBytesEach: 3)];
            for (var i = 0; i < tasks.Length; i++)
            {
                var index = reader.Index(new Field("task", i, "index"));
                var attempt = reader.Int(new Field("task", i, "attempt"));
                tasks[i] = new WorkItem(index, reader.Bytes(new Field("task", i, "payload")), attempt);
            }
            message = new WorkAssigned(jobId, tasks);
        }
        else if (tag == TaskResultsTag && type == typeof(TaskResults))
        {
            var jobId = reader.String("job id");
            var window = reader.Int("window");
            var succeeded = new TaskSucceeded[reader.Count("result count", minimumBytesEach: 3)];
            for (var i = 0; i < succeeded.Length; i++)
            {
                var index = reader.Index(new Field("result", i, "index"));
                var attempt = reader.Int(new Field("result", i, "attempt"));
                succeeded[i] = new TaskSucceeded(index, attempt, reader.Bytes(new Field("result", i, "bytes")));
            }
            var failed = new TaskFailed[reader.Count("failure count", minimumBytesEach: 5)];
            for (var i = 0; i < failed.Length; i++)
            {
                var index = reader.Index(new Field("failure", i, "index"));
                var attempt = reader.Int(new Field("failure", i, "attempt"));
                var errorType = reader.String(new Field("failure", i, "error type"));
                var text = reader.String(new Field("failure", i, "message"));
                failed[i] = new TaskFailed(index, attempt, errorType, text, reader.Flag(new Field("failure", i, "permanent")));
            }
            var counterField = reader.Count("counter count", minimumBytesEach: 0);
            Dictionary<string, long>? counters = null;
            if (counterField > 0)
            {
                var n = counterField - 1;
                if (n > reader.Remaining / 2) throw new FormatException($"counter count {n} exceeds what the {reader.Remaining} bytes left can hold");
                counters = new Dictionary<string, long>(n, StringComparer.Ordinal);
                for (var i = 0; i < n; i++)
                {
                    var name = reader.String(new Field("counter", i, "name"));
                    if (!counters.TryAdd(name, UnZigZag(reader.Varint(new Field("counter", i, "value")))))
                        throw new FormatException($"counter '{name}' appears twice");
                }
            }
            message = new TaskResults(jobId, succeeded, failed, counters, window);
        }
        else
        {
            throw new FormatException($"message tag {tag} does not fit {type.Name}");
        }
        if (reader.Remaining != 0) throw new FormatException($"{reader.Remaining} bytes left over after the message");
        return message;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteVarint(output, (ulong)bytes.Length);
        if (bytes.IsEmpty) return;
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Lenient.GetByteCount(value);
        WriteVarint(output, (ulong)length);
        if (length == 0) return;
        Lenient.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    /// <summary>
    /// A field's name for an error message, such as "task 7 payload length": its parts are kept and joined only when an
    /// error names it (reading a batch of 256 tasks would otherwise build a thousand strings that nobody reads).
    /// </summary>
    private readonly record struct Field(string Name, int Item = -1, string? Part = null, bool IsLength = false)
    {
        public static implicit operator Field(string name) => new(name);

        /// <summary>The length prefix of this field.</summary>
        public Field LengthOf => this with { IsLength = true };

        public override string ToString() => (Item < 0 ? Name : $"{Name} {Item} {Part}") + (IsLength ? " length" : "");
    }

    /// <summary>Reads the fields in order; each failure names the field and what was wrong.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly int Remaining => _bytes.Length - _position;

        public byte Byte(Field field)
        {
            if (Remaining < 1) throw Truncated(field);
            return _bytes[_position++];
        }

        public bool Flag(Field field) => Byte(field) switch
        {
            0 => false,
            1 => true,
            var b => throw new FormatException($"{field}: {b} is not 0 or 1"),
        };

        public ulong Varint(Field field)
        {
            ulong value = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                if (Remaining < 1) throw Truncated(field);
                var b = _bytes[_position++];
                if (shift == 63 && b > 1) throw new FormatException($"{field}: varint overflows 64 bits");
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new FormatException($"{field}: varint longer than 10 bytes");
        }

        public long Index(Field field)
        {
            var value = Varint(field);
            if (value > long.MaxValue) throw new FormatException($"{field}: {value} is out of range");
            return (long)value;
        }

        public int Int(Field field)
        {
            var value = Varint(field);
            if (value > int.MaxValue) throw new FormatException($"{field}: {value} is out of range");
            return (int)value;
        }

        /// <summary>A count of items that take at least <paramref name="minimumBytesEach"/> bytes each, so a hostile count cannot make us allocate more than the frame justifies.</summary>
        public int Count(Field field, int minimumBytesEach)
        {
            var value = Varint(field);
            var limit = minimumBytesEach == 0 ? (ulong)Remaining + 1 : (ulong)(Remaining / minimumBytesEach);
            if (value > limit) throw new FormatException($"{field}: {value} exceeds what the {Remaining} bytes left can hold");
            return (int)value;
        }

        public byte[] Bytes(Field field)
        {
            var length = Varint(field.LengthOf);
            if (length > (ulong)Remaining) throw new FormatException($"{field}: length {length} exceeds the {Remaining} bytes left");
            var result = length == 0 ? [] : _bytes.Slice(_position, (int)length).ToArray();
            _position += (int)length;
            return result;
        }

        public string String(Field field)
        {
            var length = Varint(field.LengthOf);
            if (length > (ulong)Remaining) throw new FormatException($"{field}: length {length} exceeds the {Remaining} bytes left");
            string result;
            try
            {
                result = Strict.GetString(_bytes.Slice(_position, (int)length));
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException($"{field}: not valid UTF-8");
            }
            _position += (int)length;
            return result;
        }

        private readonly FormatException Truncated(Field field) => new($"{field}: the message ends at byte {_position}");
    }
}
