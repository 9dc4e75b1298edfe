using ActorTasks.Node.Console;
using Xunit;

namespace ActorTasks.Node.Tests.Console;

public sealed class NodeConsoleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("submit grep  foo /var/log", new[] { "submit", "grep", "foo", "/var/log" })]
    [InlineData("submit grep \"two words\" '/a b'", new[] { "submit", "grep", "two words", "/a b" })]
    [InlineData("x \"say \\\"hi\\\"\" a\\ b", new[] { "x", "say \"hi\"", "a b" })]
    [InlineData("   ", new string[0])]
    [InlineData("a '' b", new[] { "a", "", "b" })]
    public void Splits_a_line_like_a_shell(string line, string[] expected) =>
        Assert.Equal(expected, CommandLineSplitter.Split(line));

    [Fact]
    public void An_unclosed_quote_is_an_error_naming_its_column() =>
        Assert.Equal("column 8: the quote \" is never closed", Assert.Throws<FormatException>(() => CommandLineSplitter.Split("submit \"grep")).Message);

    private static async Task<(ConsoleEnd End, string Output)> RunAsync(string script, Action<NodeConsole>? setup = null)
    {
        var output = new StringWriter();
        var console = new NodeConsole(new StringReader(script), output, interactive: false);
        setup?.Invoke(console);
        var end = await console.RunAsync(CancellationToken.None).WaitAsync(Timeout);
        return (end, output.ToString());
    }

    [Fact]
    public async Task Runs_commands_line_by_line_until_the_input_ends()
    {
        var seen = new List<string>();
        var (end, output) = await RunAsync("echo a b\n\n# a comment\necho \"c d\"\n", console =>
            console.Add(new ConsoleCommand("echo", "echo WORDS", "prints its words", (args, c) =>
            {
                seen.Add(string.Join("|", args));
                return c.Output.WriteLineAsync(string.Join(" ", args));
            })));
        Assert.Equal(ConsoleEnd.EndOfInput, end);
        Assert.Equal(["a|b", "c d"], seen);
        Assert.Equal("a b\nc d\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Quit_ends_the_console_and_later_lines_are_not_run()
    {
        var ran = false;
        var (end, _) = await RunAsync("quit\nboom\n", console =>
            console.Add(new ConsoleCommand("boom", "boom", "", (_, _) => { ran = true; return Task.CompletedTask; })));
        Assert.Equal(ConsoleEnd.Quit, end);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_failing_or_unknown_command_prints_an_error_and_the_console_goes_on()
    {
        var (end, output) = await RunAsync("nope\nfail\nhelp\n", console =>
            console.Add(new ConsoleCommand("fail", "fail", "always fails", (_, _) => throw new InvalidOperationException("it broke"))));
        Assert.Equal(ConsoleEnd.EndOfInput, end);
        Assert.Contains("error: unknown command 'nope'; type 'help' for the commands", output);
        Assert.Contains("fail: it broke", output);
        Assert.Contains("always fails", output); // help ran after the failure
    }

    [Fact]
    public async Task Stopping_the_node_ends_a_console_that_is_waiting_for_input()
    {
        using var stop = new CancellationTokenSource();
        using var input = new BlockingReader();
        var console = new NodeConsole(input, new StringWriter(), interactive: false);
        // On a thread of its own: were the read done on the caller's thread, this test would hang rather than fail.
        var run = Task.Run(() => console.RunAsync(stop.Token));
        await input.Reading.WaitAsync(Timeout);
        stop.Cancel();
        Assert.Equal(ConsoleEnd.Stopped, await run.WaitAsync(Timeout));
    }

    /// <summary>
    /// A reader like Console.In on a pipe nobody writes to: ReadLine blocks its thread, and ReadLineAsync is the same
    /// blocking read (as Console.In's is). Disposing it lets a blocked read return.
    /// </summary>
    private sealed class BlockingReader : TextReader
    {
        private readonly ManualResetEventSlim _released = new();
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a read has started.</summary>
        public Task Reading => _reading.Task;

        public override string? ReadLine()
        {
            _reading.TrySetResult();
            _released.Wait();
            return null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => new(ReadLine());

        protected override void Dispose(bool disposing)
        {
            _released.Set();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task Without_a_terminal_a_following_command_runs_beside_the_next_ones_and_quit_waits_for_it()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (end, output) = await RunAsync("follow\nrelease\nquit\nlate\n", console =>
        {
            console.Add(new ConsoleCommand("follow", "follow", "waits until released", async (_, c) =>
            {
                await released.Task.WaitAsync(c.CancellationToken);
                await c.Output.WriteLineAsync("follow ended");
            }, Follows: true));
            // Runs only if the console reads on while 'follow' waits: otherwise the test times out.
            console.Add(new ConsoleCommand("release", "release", "", async (_, c) =>
            {
                await c.Output.WriteLineAsync("released");
                released.SetResult();
            }));
            console.Add(new ConsoleCommand("late", "late", "", (_, c) => c.Output.WriteLineAsync("late ran")));
        });
        Assert.Equal(ConsoleEnd.Quit, end);
        Assert.Equal("released\nfollow ended\n", output.ReplaceLineEndings("\n"));
    }
}
