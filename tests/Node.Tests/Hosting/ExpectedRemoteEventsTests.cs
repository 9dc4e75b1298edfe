using System.Net;
using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Hosting;

/// <summary>
/// Akka.Remote's repeated connection failures to a peer the cluster already counts as gone (a member unreachable or
/// removed, a CLI client that has exited) are DEBUG; the first sign that a live member died stays a warning.
/// </summary>
[Collection(GlobalLoggerCollection.Name)]
public sealed class ExpectedRemoteEventsTests(ITestOutputHelper output)
{
    private const string Self = "akka.tcp://tasks@127.0.0.1:4053";
    private const string Gone = "akka.tcp://tasks@127.0.0.1:43001";
    private const string Alive = "akka.tcp://tasks@127.0.0.1:41057";

    private sealed class Collect : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    /// <summary>The level <paramref name="write"/>'s event reaches the log at, through the node's wrapper with <see cref="Gone"/> gone.</summary>
    private static LogEventLevel LevelOf(Action<ILogger> write)
    {
        var sink = new Collect();
        var inner = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var peers = new ClusterPeers();
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose()
            .WriteTo.Sink(new ExpectedRemoteEvents(inner, peers)).CreateLogger();
        write(logger);
        return Assert.Single(sink.Events).Level;
    }

    /// <summary>Akka's own exception for a writer's end, whose type is internal to Akka.Remote.</summary>
    private static Exception Disassociated() => (Exception)Activator.CreateInstance(
        typeof(Akka.Remote.RemoteTransportException).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!,
        System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, null, ["Disassociated"], null)!;

    private static LogEventLevel Classified(LogEventLevel level, string text, Exception? exception = null)
    {
        var e = new LogEvent(DateTimeOffset.Now, level, exception, new Serilog.Parsing.MessageTemplateParser().Parse(text), []);
        return ExpectedRemoteEvents.IsExpected(e, address => address == Gone) ? LogEventLevel.Debug : level;
    }

    [Theory]
    [InlineData($"AssociationError [{Self}] -> {Gone}: Error [Connection refused tcp://tasks@127.0.0.1:43001] []")]
    [InlineData($"Tried to associate with unreachable remote address [{Gone}]. Address is now gated for 5000 ms, all messages to this address will be delivered to dead letters.")]
    [InlineData($"Association to [{Gone}] having UID [403257577] is irrecoverably failed. UID is now quarantined and all messages to this UID will be delivered to dead letters.")]
    [InlineData($"Association with remote system {Gone} has failed; address is now gated for 5000 ms. Reason is: [Disassociated]")]
    public void Connection_failures_to_a_gone_peer_are_debug(string text) =>
        Assert.Equal(LogEventLevel.Debug, Classified(LogEventLevel.Warning, text));

    [Theory]
    [InlineData($"AssociationError [{Self}] -> {Alive}: Error [Connection refused tcp://tasks@127.0.0.1:41057] []")]
    [InlineData($"AssociationError [{Gone}] -> {Alive}: Error [Connection refused] []")]
    [InlineData($"Association with remote system {Alive} has failed; address is now gated for 5000 ms. Reason is: [Disassociated]")]
    [InlineData($"Cluster Node [{Self}] - Marking node(s) as UNREACHABLE [Member(address = {Gone}, status = Up)]")]
    [InlineData($"SBR took decision Akka.Cluster.SBR.DownUnreachable and is downing [{Gone}]")]
    public void The_first_sign_of_a_dead_member_and_the_cluster_s_own_decisions_stay_warnings(string text) =>
        Assert.Equal(LogEventLevel.Warning, Classified(LogEventLevel.Warning, text));

    [Fact]
    public void The_supervisor_s_stack_trace_of_a_disassociated_writer_is_debug_since_the_warning_before_it_says_the_same()
    {
        var disassociated = Disassociated();
        Assert.Equal(LogEventLevel.Debug, Classified(LogEventLevel.Error, "Disassociated", disassociated));
        Assert.Equal(LogEventLevel.Error, Classified(LogEventLevel.Error, "Disassociated", new InvalidOperationException("Disassociated")));
    }

    [Fact]
    public void Without_an_actor_system_no_peer_is_gone_and_every_event_passes_at_its_level()
    {
        Assert.Equal(LogEventLevel.Warning, LevelOf(l => l.Warning("AssociationError [{Self}] -> {Peer}: Error [x] []", Self, Gone)));
        Assert.Equal(LogEventLevel.Error, LevelOf(l => l.Error("job {Id} failed", 1)));
    }

    [Fact]
    public void A_demoted_event_is_dropped_when_the_node_logs_at_info()
    {
        var sink = new Collect();
        var inner = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(sink).CreateLogger();
        var peers = new ClusterPeers();
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new ExpectedRemoteEvents(inner, peers)).CreateLogger();
        logger.Error(Disassociated(), "Disassociated");
        logger.Information("job {Id} done", 1);

        Assert.Equal(["job 1 done"], sink.Events.Select(e => e.RenderMessage()));
    }

    [Fact]
    public void Bytes_that_are_no_frame_make_one_warning_per_connection_naming_the_sender_and_the_rest_is_debug()
    {
        var sink = new Collect();
        var inner = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new ExpectedRemoteEvents(inner, new ClusterPeers())).CreateLogger();
        // As Akka's DotNetty transport logs them (its template and arguments): two frames of one garbage connection,
        // then one of another.
        const string Template = "Error caught channel [{0}->{1}](Id={2})";
        static IPEndPoint At(int port) => new(IPAddress.Parse("::ffff:127.0.0.1"), port);
        logger.Error(new DotNetty.Codecs.CorruptedFrameException("negative pre-adjustment length field: -129"), Template, At(4053), At(35688), "29ff1f9f");
        logger.Error(new DotNetty.Codecs.TooLongFrameException("Adjusted frame length exceeds 4194304: 1588066840 - discarded"), Template, At(4053), At(35688), "29ff1f9f");
        logger.Error(new DotNetty.Codecs.TooLongFrameException("Adjusted frame length exceeds 4194304: 369295616 - discarded"), Template, At(4053), At(35690), "5c0ffee1");
        // Another error on a channel is not about its bytes: it passes as it is.
        logger.Error(new IOException("Connection reset by peer"), Template, At(4053), At(35692), "0badf00d");

        var warnings = sink.Events.Where(e => e.Level >= LogEventLevel.Warning).Select(e => (e.Level, Text: e.RenderMessage(), e.Exception)).ToList();
        Assert.Equal(
        [
            (LogEventLevel.Warning, "Refused bytes from \"127.0.0.1:35688\" at \"127.0.0.1:4053\": they are no Akka.Remote frame (\"negative pre-adjustment length field: -129\"); nothing of them was read as a message", null),
            (LogEventLevel.Warning, "Refused bytes from \"127.0.0.1:35690\" at \"127.0.0.1:4053\": they are no Akka.Remote frame (\"Adjusted frame length exceeds 4194304: 369295616 - discarded\"); nothing of them was read as a message", null),
        ], warnings.SkipLast(1));
        Assert.Equal(LogEventLevel.Error, warnings[^1].Level);
        Assert.IsType<IOException>(warnings[^1].Exception);
        // The stack traces are kept, at DEBUG.
        Assert.Equal(3, sink.Events.Count(e => e.Level == LogEventLevel.Debug && e.Exception is DotNetty.Codecs.DecoderException));
    }

    [Fact]
    public async Task A_seed_that_cannot_reach_a_client_which_has_exited_logs_it_at_debug_not_as_a_warning()
    {
        var logs = Directory.CreateTempSubdirectory("actortasks-remote-noise-").FullName;
        try
        {
            await using var seed = await NodeHost.StartAsync(NodeRole.Seed, InProcessNodes.Config("seed", logs, "actortasks.log.level = debug"), null, CancellationToken.None);
            await InProcessNodes.WhenUpAsync(seed).WaitAsync(TimeSpan.FromSeconds(60));
            // Where a CLI client was: no member, and nobody listens there any more. The seed answers it (a job's end to its
            // submitter, say) until Akka.Remote has said it cannot connect.
            var client = $"akka.tcp://tasks@127.0.0.1:{InProcessNodes.FreePort()}";
            var demoted = new Regex(@"\[DBG\] \S+ (Tried to associate with unreachable remote address|AssociationError ).*" + Regex.Escape(client));
            using var answers = new CancellationTokenSource();
            var answering = Task.Run(async () =>
            {
                while (!answers.IsCancellationRequested)
                {
                    seed.System.ActorSelection($"{client}/temp/submitter").Tell(new Akka.Actor.Identify(1));
                    await Task.Delay(500);
                }
            });
            var text = await WaitForLogAsync(logs, demoted.IsMatch, TimeSpan.FromSeconds(60));
            await answers.CancelAsync();
            await answering;
            var warnings = text.Split('\n').Where(l => l.Contains("[WRN]", StringComparison.Ordinal) || l.Contains("[ERR]", StringComparison.Ordinal)).ToList();
            foreach (var line in warnings) output.WriteLine(line);
            Assert.DoesNotContain(warnings, l => l.Contains(client, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }

    [Fact]
    public async Task Garbage_at_a_seed_s_port_is_one_warning_naming_the_sender_and_the_seed_goes_on()
    {
        var logs = Directory.CreateTempSubdirectory("actortasks-remote-garbage-").FullName;
        try
        {
            await using var seed = await NodeHost.StartAsync(NodeRole.Seed, InProcessNodes.Config("seed", logs), null, CancellationToken.None);
            await InProcessNodes.WhenUpAsync(seed).WaitAsync(TimeSpan.FromSeconds(60));
            using var garbage = new System.Net.Sockets.TcpClient();
            await garbage.ConnectAsync(IPAddress.Loopback, seed.Address.Port!.Value);
            var sender = $"127.0.0.1:{((IPEndPoint)garbage.Client.LocalEndPoint!).Port}";
            var noise = new byte[256 * 1024];
            new Random(7).NextBytes(noise);
            noise[0] = 0x80; // a negative frame length: refused at its first four bytes, whatever follows
            await garbage.GetStream().WriteAsync(noise);
            // The seed closes the connection.
            var buffer = new byte[16];
            Assert.Equal(0, await garbage.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

            var refused = $"[WRN] Akka.Remote.Transport.DotNetty.TcpServerHandler Refused bytes from {sender} at 127.0.0.1:{seed.Address.Port}: they are no Akka.Remote frame";
            var text = await WaitForLogAsync(logs, t => t.Contains(refused, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Single(text.Split('\n'), l => l.Contains("Refused bytes", StringComparison.Ordinal));
            Assert.DoesNotContain("[ERR]", text, StringComparison.Ordinal);
            Assert.Equal(Akka.Cluster.MemberStatus.Up, Akka.Cluster.Cluster.Get(seed.System).SelfMember.Status);
        }
        finally
        {
            Directory.Delete(logs, recursive: true);
        }
    }

    private static async Task<string> WaitForLogAsync(string folder, Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = string.Concat(Directory.GetFiles(folder, "seed-*.log", SearchOption.AllDirectories).Select(ReadShared));
            if (condition(text)) return text;
            if (DateTime.UtcNow > deadline)
            {
                var remote = text.Split('\n');
                throw new TimeoutException($"the seed's log ({string.Join(", ", Directory.GetFiles(folder, "*", SearchOption.AllDirectories))}) did not show it within {timeout.TotalSeconds} s; its remoting and warning lines:\n{string.Join('\n', remote.TakeLast(40))}");
            }
            await Task.Delay(100); // the log file has no event to await: polled
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
