using ActorTasks.Messages;
using Xunit;

namespace ActorTasks.Node.Tests.Console;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[31mred", "\\x1B[2J\\x1B[31mred")]
    [InlineData("line\nnext\r\tend\u0007", "line\\x0Anext\\x0D\\x09end\\x07")]
    [InlineData("\u009b31m", "\\x9B31m")]
    [InlineData("evil\u202Etxt.exe", "evil\\u202Etxt.exe")]
    [InlineData("\u2066isolate\u2069", "\\u2066isolate\\u2069")]
    [InlineData("ünïcödé 日本語 😀", "ünïcödé 日本語 😀")]
    public void Control_characters_and_direction_overrides_are_shown_as_escapes_and_other_text_is_kept(string text, string shown) =>
        Assert.Equal(shown, DisplayText.Escape(text));

    [Fact]
    public void Plain_text_is_returned_as_it_is_and_nothing_becomes_empty()
    {
        const string plain = "grep ERROR /var/log";
        Assert.Same(plain, DisplayText.Escape(plain));
        Assert.Equal("", DisplayText.Escape((string?)null));
        Assert.Equal("", DisplayText.Escape((IEnumerable<string>?)null));
        Assert.Equal("grep \\x1B]0;owned\\x07 /tmp", DisplayText.Escape(["grep", "\u001b]0;owned\u0007", "/tmp"]));
    }
}
