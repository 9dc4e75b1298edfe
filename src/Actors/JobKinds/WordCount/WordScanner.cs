using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>Finds words in UTF-8 bytes and counts them case-folded.</summary>
/// <remarks>
/// A word is a maximal run of Unicode letters (L*), decimal digits (Nd), combining marks (Mn, Mc, so a
/// decomposed "é" stays one word) and apostrophes (' U+0027 and ’ U+2019), folded with ToLowerInvariant.
/// Invalid UTF-8 decodes to U+FFFD, which separates words. Everything else separates words.
/// </remarks>
internal sealed class WordScanner
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private char[] _word = new char[64];
    private char[] _folded = new char[64];
    private int _length;

    public WordScanner() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Words counted so far, by folded word.</summary>
    public Dictionary<string, long> Counts => _counts;

    /// <summary>How many words were counted (with repeats).</summary>
    public long Words { get; private set; }

    /// <summary>True for a rune that belongs to a word.</summary>
    public static bool IsWordRune(Rune rune)
    {
        if (rune.IsAscii)
            return IsAsciiWordByte((byte)rune.Value);
        if (rune.Value == '\u2019')
            return true;
        var category = Rune.GetUnicodeCategory(rune);
        return category <= UnicodeCategory.DecimalDigitNumber; // Lu Ll Lt Lm Lo Mn Mc Me Nd
    }

    /// <summary>True for an ASCII byte that belongs to a word: a letter, a digit or an apostrophe.</summary>
    public static bool IsAsciiWordByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'\'';

    /// <summary>Scans <paramref name="bytes"/>; returns how many bytes were used (an incomplete sequence at the end is left unless <paramref name="final"/>).</summary>
    public int Scan(ReadOnlySpan<byte> bytes, bool final)
    {
        Span<char> utf16 = stackalloc char[2];
        var position = 0;
        while (position < bytes.Length)
        {
            var b = bytes[position];
            if (b < 0x80)
            {
                if (IsAsciiWordByte(b))
                    Append((char)b);
                else
                    EndWord();
                position++;
                continue;
            }

            var status = Rune.DecodeFromUtf8(bytes[position..], out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && !final)
                break;
            if (status == System.Buffers.OperationStatus.Done && IsWordRune(rune))
            {
                var chars = rune.EncodeToUtf16(utf16);
                Append(utf16[0]);
                if (chars == 2)
                    Append(utf16[1]);
            }
            else
            {
                EndWord();
            }
            position += consumed;
        }
        if (final)
            EndWord();
        return position;
    }

    /// <summary>Ends the current word, if any, and counts it.</summary>
    public void EndWord()
    {
        if (_length == 0)
            return;
        if (_folded.Length < _length)
            _folded = new char[_word.Length];
        var folded = _folded.AsSpan(0, _length);
        _word.AsSpan(0, _length).ToLowerInvariant(folded);
        CollectionsMarshal.GetValueRefOrAddDefault(_lookup, folded, out _)++;
        Words++;
        _length = 0;
    }

    /// <summary>Forgets a word that was cut short (its file could not be read to the end).</summary>
    public void DiscardWord() => _length = 0;

    private void Append(char c)
    {
        if (_length == _word.Length)
            Array.Resize(ref _word, _word.Length * 2);
        _word[_length++] = c;
    }
}
