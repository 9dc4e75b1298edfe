namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Reads '\n'-terminated lines of bytes from a stream, knowing the file offset where each line starts.</summary>
/// <remarks>A line longer than the maximum is not held: it is skipped to its end and reported as too long.</remarks>
internal sealed class ByteLineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _eof;
    private bool _discarding;

    /// <param name="stream">Positioned at <paramref name="offset"/>, which must be the start of a line.</param>
    public ByteLineReader(Stream stream, long offset, int maxLineBytes, int initialBuffer = 1 << 16)
    {
        _stream = stream;
        _bufferOffset = offset;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Min(initialBuffer, Math.Max(16, maxLineBytes))];
    }

    /// <summary>The file offset where the next line starts (or the end of the data).</summary>
    public long NextLineStart => _bufferOffset + _start;

    /// <summary>Reads the next line without its '\n'; false at the end of the data. <paramref name="tooLong"/> marks a skipped over-long line (then <paramref name="line"/> is empty).</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanFrom, _end - _scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var at = _scanFrom + newline;
                tooLong = _discarding;
                line = _discarding ? default : _buffer.AsSpan(_start, at - _start);
                _discarding = false;
                _start = _scanFrom = at + 1;
                return true;
            }
            _scanFrom = _end;

            if (_eof)
            {
                if (_start == _end && !_discarding)
                {
                    line = default;
                    tooLong = false;
                    return false;
                }
                tooLong = _discarding;
                line = _discarding ? default : _buffer.AsSpan(_start, _end - _start);
                _discarding = false;
                _start = _scanFrom = _end;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _scanFrom -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxLineBytes)
            {
                // Forget the over-long line's bytes but keep its start offset; skip on to its '\n'.
                _discarding = true;
                _bufferOffset += _end;
                _end = _scanFrom = 0;
            }
            else
            {
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxLineBytes));
            }
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
    }
}
