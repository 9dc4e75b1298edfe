using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.CrossProcess.Support;
using ActorTasks.Remote.TestHost;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess;

/// <summary>
/// A node whose process has .NET's inline socket completions on (a process-wide setting a user may choose): reads then
/// continue on the socket engine's own thread, and a long handler they wake must still not run there.
/// </summary>
public sealed class InlineCompletionsTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RemoteActorRefProvider.StartAsync(Sys, TransportSettings.Default, HostProtocol.Registry());
    }

    [Fact]
    public async Task A_long_handler_woken_on_the_socket_engines_thread_does_not_stop_that_node_reading()
    {
        await using var host = await NodeProcess.StartAsync("inline", Output,
            environment: new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" });
        var spinner = await Sys.ActorSelection(host.PathOf(HostProtocol.Spinner)).ResolveOne(Timeout);
        var echo = await Sys.ActorSelection(host.PathOf(HostProtocol.Echo)).ResolveOne(Timeout);

        spinner.Tell(3_000, TestActor);
        await host.WaitForLineAsync($"{HostProtocol.Got} {HostProtocol.Spinner} 3000", Timeout);
        // Sent while the spinner holds a thread: had it taken the socket engine's, nothing more would be read (the
        // echo's answer would come after "spun").
        echo.Tell("read meanwhile", TestActor);

        ExpectMsg("read meanwhile", Timeout);
        ExpectMsg("spun", Timeout);
    }
}
