using System.Threading.Channels;

namespace ActorTasks.Examples.Chat.Client;

/// <summary>
/// Writes the client's lines to its output on a task of its own, so the client actor never waits for a terminal; an
/// event is acknowledged to the room only once it has been written, so a client whose output is not read falls behind
/// and is dropped by the room instead of holding messages in memory.
/// </summary>
public sealed class Terminal
{
    private readonly Channel<(string Text, long? Ack)> _lines = Channel.CreateUnbounded<(string, long?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Starts writing to <paramref name="output"/>; <paramref name="acknowledge"/> is called with each event's number once it is written.</summary>
    public Terminal(TextWriter output, Action<long> acknowledge) => Completion = WriteAsync(output, acknowledge);

    /// <summary>Completes once every line has been written after <see cref="Close"/>.</summary>
    public Task Completion { get; }

    /// <summary>Queues a line; <paramref name="ack"/> is the event's number to acknowledge once it is written.</summary>
    public void Write(string text, long? ack = null) => _lines.Writer.TryWrite((text, ack));

    /// <summary>No more lines.</summary>
    public void Close() => _lines.Writer.TryComplete();

    private async Task WriteAsync(TextWriter output, Action<long> acknowledge)
    {
        await foreach (var (text, ack) in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await output.WriteLineAsync(text).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            if (ack is { } seq) acknowledge(seq);
        }
    }
}
