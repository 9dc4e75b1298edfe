using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorTasks.Tasks.Tests.Support;

/// <summary>
/// Akka's in-memory journal, whose writes a test can make fail (as a full disk or a lost database would) and work again:
/// tell the journal <see cref="FailWrites"/>; it answers with the same message once the switch is set.
/// </summary>
public sealed class SwitchableJournal : MemoryJournal
{
    private bool _failing;
    private string? _unreadablePrefix;

    /// <summary>The configuration that makes this the actor system's journal (with the in-memory snapshot store).</summary>
    public static Config Config => ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.switchable"
        akka.persistence.journal.switchable {
          class = "{{typeof(SwitchableJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    /// <summary>The journal actor of <paramref name="system"/>.</summary>
    public static IActorRef Of(ActorSystem system) => Persistence.Instance.Apply(system).JournalFor(null);

    /// <summary>Writes fail with an <see cref="IOException"/> while <paramref name="On"/>.</summary>
    public sealed record FailWrites(bool On);

    /// <summary>Reading the events of persistence ids that start with <paramref name="Prefix"/> fails (none when null).</summary>
    public sealed record FailReads(string? Prefix);

    protected override bool ReceivePluginInternal(object message)
    {
        switch (message)
        {
            case FailWrites fail:
                _failing = fail.On;
                Sender.Tell(fail);
                return true;
            case FailReads reads:
                _unreadablePrefix = reads.Prefix;
                Sender.Tell(reads);
                return true;
            default:
                return base.ReceivePluginInternal(message);
        }
    }

    private bool Unreadable(string persistenceId) => _unreadablePrefix is { } prefix && persistenceId.StartsWith(prefix, StringComparison.Ordinal);

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        Unreadable(persistenceId) ? Task.FromException<long>(new IOException($"{persistenceId} cannot be read (the test's journal)"))
            : base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) =>
        _failing ? Task.FromException<IImmutableList<Exception>>(new IOException("No space left on device (the test's journal)"))
            : base.WriteMessagesAsync(messages, cancellationToken);
}
