using System.Buffers;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Why a CSV line could not be split into fields.</summary>
internal enum CsvFieldError
{
    None,
    UnterminatedQuote,
    TextAfterQuote,
}

/// <summary>Splits one CSV record (without its final line break) into fields, with RFC 4180 quoting.</summary>
/// <remarks>
/// A field that starts with '"' is quoted: it runs to the next lone '"', may hold the delimiter and line breaks (the
/// record then spans lines), and '""' stands for '"'. A quote left open at the end of the record is an error. A '"'
/// inside an unquoted field is kept as text.
/// </remarks>
internal ref struct CsvFieldReader(ReadOnlySpan<byte> line, byte delimiter, ArrayBufferWriter<byte> scratch)
{
    private readonly ReadOnlySpan<byte> _line = line;
    private int _position;
    private bool _done;

    /// <summary>True when a '"' lies after the current position (so a later field could still be malformed).</summary>
    public readonly bool RemainingHasQuote => !_done && _line[_position..].Contains((byte)'"');

    /// <summary>The 0-based index of the field the last successful <see cref="TryNext"/> returned.</summary>
    public int FieldIndex { get; private set; } = -1;

    /// <summary>The next field (valid until the next call), false after the last field or at an error.</summary>
    public bool TryNext(out ReadOnlySpan<byte> field, out CsvFieldError error)
    {
        field = default;
        error = CsvFieldError.None;
        if (_done)
            return false;

        if (_position < _line.Length && _line[_position] == (byte)'"')
        {
            scratch.ResetWrittenCount();
            _position++;
            while (true)
            {
                var quote = _line[_position..].IndexOf((byte)'"');
                if (quote < 0)
                {
                    error = CsvFieldError.UnterminatedQuote;
                    _done = true;
                    return false;
                }
                scratch.Write(_line.Slice(_position, quote));
                _position += quote + 1;
                if (_position < _line.Length && _line[_position] == (byte)'"')
                {
                    scratch.Write("\""u8);
                    _position++;
                    continue;
                }
                break;
            }
            if (_position < _line.Length && _line[_position] != delimiter)
            {
                error = CsvFieldError.TextAfterQuote;
                _done = true;
                return false;
            }
            field = scratch.WrittenSpan;
        }
        else
        {
            var next = _line[_position..].IndexOf(delimiter);
            var end = next < 0 ? _line.Length : _position + next;
            field = _line[_position..end];
            _position = end;
        }

        FieldIndex++;
        if (_position >= _line.Length)
            _done = true;
        else
            _position++;
        return true;
    }
}
