using System.Net.Sockets;
using System.Security.Authentication;
using Serilog.Events;

namespace ActorTasks.Remote.Transport;

/// <summary>Turns a failed connection attempt into the text and level of its one log line.</summary>
internal static class TransportErrors
{
    public static (string Reason, LogEventLevel Level) Describe(Exception e) => e switch
    {
        HandshakeException { Code: RejectCode.Duplicate } h => (h.Message, LogEventLevel.Debug),
        HandshakeException { Code: RejectCode.ShuttingDown } h => (h.Message, LogEventLevel.Information),
        HandshakeException h => (h.Message, LogEventLevel.Warning),
        AuthenticationException a => ($"TLS handshake failed: {WithInner(a)}", LogEventLevel.Warning),
        TimeoutException t => (t.Message, LogEventLevel.Warning),
        SocketException s => (s.Message, LogEventLevel.Information),
        IOException io when io.InnerException is AuthenticationException a => ($"TLS handshake failed: {WithInner(a)}", LogEventLevel.Warning),
        IOException io => ($"connection lost: {WithInner(io)}", LogEventLevel.Information),
        _ => ($"{e.GetType().Name}: {e.Message}", LogEventLevel.Warning),
    };

    private static string WithInner(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
}
