using System.Buffers;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>
/// Where CSV records begin and end when a quoted field may hold line breaks (RFC 4180): a record ends at a '\n' that
/// is not inside a quoted field. A field is quoted when its first byte is '"'; inside it '""' stands for '"'.
/// </summary>
internal static class CsvRecords
{
    private static readonly SearchValues<byte> QuoteOrNewline = SearchValues.Create("\"\n"u8);

    /// <summary>
    /// Whether a quoted field is still open at the end of <paramref name="line"/> (a line without its '\n'), given
    /// whether one was open at its start.
    /// </summary>
    public static bool EndsInsideQuotes(ReadOnlySpan<byte> line, byte delimiter, bool startsInside)
    {
        var inside = startsInside;
        var i = 0;
        while (i < line.Length)
        {
            if (inside)
            {
                var quote = line[i..].IndexOf((byte)'"');
                if (quote < 0) return true;
                i += quote + 1;
                if (i < line.Length && line[i] == (byte)'"') i++;
                else inside = false;
                continue;
            }
            var next = line[i..].IndexOf((byte)'"');
            if (next < 0) return false;
            i += next;
            // Only a quote that begins a field opens one; elsewhere it is text.
            if (i == 0 || line[i - 1] == delimiter) inside = true;
            i++;
        }
        return inside;
    }

    /// <summary>
    /// Reads a file from its start and finds record starts at or after given offsets, in increasing order: the
    /// boundaries that csv-stats cuts its ranges at, so that no task starts inside a quoted field.
    /// </summary>
    /// <remarks>Only quotes and line breaks are looked at, with a vectorised search; a file without quotes costs one read.</remarks>
    public sealed class BoundaryScanner(Stream stream, byte delimiter) : IDisposable
    {
        private readonly byte[] _buffer = new byte[1 << 20];
        private long _bufferOffset;
        private int _length;
        private int _position;
        private bool _inside;
        private bool _quotePending; // a '"' closed or escaped: decided by the byte after it, maybe in the next buffer
        private byte _previous = (byte)'\n';

        /// <summary>The first record start at or after <paramref name="offset"/>, or the file's length when there is none.</summary>
        public long NextRecordStart(long offset)
        {
            while (true)
            {
                if (_position == _length && !Fill()) return _bufferOffset + _length;
                if (_quotePending)
                {
                    _quotePending = false;
                    if (_buffer[_position] == (byte)'"')
                    {
                        Advance(1);
                        continue;
                    }
                    _inside = false;
                }
                var span = _buffer.AsSpan(_position, _length - _position);
                if (_inside)
                {
                    var quote = span.IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        Advance(span.Length);
                        continue;
                    }
                    Advance(quote + 1);
                    _quotePending = true;
                    continue;
                }
                var found = span.IndexOfAny(QuoteOrNewline);
                if (found < 0)
                {
                    Advance(span.Length);
                    continue;
                }
                var at = _position + found;
                var previous = found > 0 ? _buffer[at - 1] : _previous;
                Advance(found + 1);
                if (_buffer[at] == (byte)'\n')
                {
                    var start = _bufferOffset + at + 1;
                    if (start >= offset) return start;
                }
                else if (previous == delimiter || previous == (byte)'\n')
                {
                    _inside = true;
                }
            }
        }

        private void Advance(int count)
        {
            _position += count;
            if (_position > 0) _previous = _buffer[_position - 1];
        }

        private bool Fill()
        {
            _bufferOffset += _length;
            _position = 0;
            _length = stream.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
            return _length > 0;
        }

        public void Dispose() => stream.Dispose();
    }
}
