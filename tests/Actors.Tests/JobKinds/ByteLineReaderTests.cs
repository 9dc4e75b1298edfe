using System.Text;
using ActorTasks.Tasks.JobKinds.Common;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class ByteLineReaderTests
{
    private static List<(long Start, string Line, bool TooLong)> ReadAll(string text, int maxLineBytes, int initialBuffer)
    {
        var reader = new ByteLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 0, maxLineBytes, initialBuffer);
        var lines = new List<(long, string, bool)>();
        while (true)
        {
            var start = reader.NextLineStart;
            if (!reader.TryReadLine(out var line, out var tooLong))
                return lines;
            lines.Add((start, Encoding.UTF8.GetString(line), tooLong));
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(4096)]
    public void Reads_lines_with_their_start_offsets_growing_the_buffer_as_needed(int initialBuffer)
    {
        var lines = ReadAll("ab\n\nthis line is longer than sixteen bytes\nlast", 1024, initialBuffer);
        Assert.Equal([(0L, "ab", false), (3L, "", false), (4L, "this line is longer than sixteen bytes", false), (43L, "last", false)], lines);
    }

    [Fact]
    public void Skips_a_line_over_the_maximum_without_holding_it_and_goes_on_at_the_next()
    {
        var lines = ReadAll("ok\n" + new string('x', 100) + "\nafter\n" + new string('y', 70), maxLineBytes: 32, initialBuffer: 16);
        Assert.Equal([(0L, "ok", false), (3L, "", true), (104L, "after", false), (110L, "", true)], lines);
    }
}
