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

    protected override bool ReceivePluginInternal(object message)
    {
        if (message is not FailWrites fail) return base.ReceivePluginInternal(message);
        _failing = fail.On;
        Sender.Tell(fail);
        return true;
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) =>
        _failing ? Task.FromException<IImmutableList<Exception>>(new IOException("No space left on device (the test's journal)"))
            : base.WriteMessagesAsync(messages, cancellationToken);
}
