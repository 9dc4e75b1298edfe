using System.CommandLine;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

/// <summary><c>--join</c> on <c>seed</c> and <c>worker</c>: a bad HOST:PORT is refused before any node starts.</summary>
public sealed class JoinOptionTests
{
    [Theory]
    [InlineData("seed", "localhost")]
    [InlineData("seed", "127.0.0.1:99999")]
    [InlineData("worker", ":4053")]
    [InlineData("worker", "127.0.0.1:port")]
    public async Task A_join_address_without_a_valid_port_is_refused_with_exit_code_2_naming_the_option(string command, string join)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cli.CreateRootCommand().Parse([command, "--join", join, "--port", "0"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(2, exit);
        Assert.Equal($"--join: expected HOST:PORT such as 127.0.0.1:4053, not '{join}'", error.ToString().Trim());
        Assert.Equal("", output.ToString());
    }
}
