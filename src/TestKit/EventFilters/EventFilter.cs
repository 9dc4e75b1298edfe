using System.Text;
using ActorTasks.Event;
using Serilog.Events;

namespace ActorTasks.Testing;

/// <summary>
/// Expects a block of test code to cause exactly <see cref="Occurrences"/> matching events — log events, dead letters or
/// unhandled messages. Made by <c>EventFilter.Error&lt;T&gt;()</c>, <c>EventFilter.DeadLetter&lt;T&gt;()</c>, and so on.
/// </summary>
public sealed class EventFilter
{
    private readonly TestKitBase _owner;
    private readonly EventCapture _capture;
    private readonly Func<object, bool> _matches;
    private readonly Func<object, bool> _isSameKind;
    private readonly string _kind;
    private readonly string? _hint;

    internal EventFilter(TestKitBase owner, EventCapture capture, string description, string kind, int occurrences,
        Func<object, bool> matches, Func<object, bool> isSameKind, string? hint = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(occurrences);
        _owner = owner;
        _capture = capture;
        Description = description;
        _kind = kind;
        Occurrences = occurrences;
        _matches = matches;
        _isSameKind = isSameKind;
        _hint = hint;
    }

    /// <summary>What the filter matches, as failure messages name it.</summary>
    public string Description { get; }

    /// <summary>How many matching events the block must cause.</summary>
    public int Occurrences { get; }

    /// <summary>
    /// Runs <paramref name="body"/>, then waits (at most <paramref name="timeout"/>, default the time left in Within or
    /// the default timeout) until the expected number of matching events happened; fails if fewer or more did.
    /// </summary>
    public void Expect(Action body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Expect(() =>
        {
            body();
            return true;
        }, timeout);
    }

    /// <summary>Like <see cref="Expect(Action, TimeSpan?)"/>, returning what <paramref name="body"/> returns.</summary>
    public T Expect<T>(Func<T> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var active = Start();
        T result;
        try
        {
            result = body();
            if (result is Task)
                throw new InvalidOperationException("EventFilter.Expect was given an async body; use ExpectAsync");
        }
        catch
        {
            _capture.Deactivate(active);
            throw;
        }
        // Blocks the test thread, not a dispatcher thread; FinishAsync never needs this thread to complete.
        FinishAsync(active, timeout).GetAwaiter().GetResult();
        return result;
    }

    /// <summary>Async form of <see cref="Expect(Action, TimeSpan?)"/>.</summary>
    public Task ExpectAsync(Func<Task> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ExpectAsync(async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        }, timeout);
    }

    /// <summary>Async form of <see cref="Expect{T}(Func{T}, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectAsync<T>(Func<Task<T>> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var active = Start();
        T result;
        try
        {
            result = await body().ConfigureAwait(false);
        }
        catch
        {
            _capture.Deactivate(active);
            throw;
        }
        await FinishAsync(active, timeout).ConfigureAwait(false);
        return result;
    }

    public override string ToString() => $"EventFilter({Occurrences} × {Description})";

    private ActiveFilter Start()
    {
        var active = new ActiveFilter(_matches, _isSameKind, Occurrences);
        _capture.Activate(active);
        return active;
    }

    private async Task FinishAsync(ActiveFilter active, TimeSpan? timeout)
    {
        var max = _owner.RemainingOrDilated(timeout);
        try
        {
            await active.Reached.WaitAsync(max).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Fewer than expected: reported below with what was seen.
        }
        finally
        {
            _capture.Deactivate(active);
        }
        var seen = active.Count;
        if (seen != Occurrences) throw new TestKitAssertionException(Explain(active, seen, max));
    }

    private string Explain(ActiveFilter active, int seen, TimeSpan waited)
    {
        var text = new StringBuilder($"EventFilter: expected {Occurrences} × {Description} but saw {seen}");
        if (seen < Occurrences) text.Append($" (waited {Describe.Ms(waited)} after the block)");
        text.AppendLine();
        text.Append("  matched: ").AppendLine(seen == 0 ? "(none)" : string.Join("; ", active.Matched.Select(DescribeEvent)));
        var others = active.Others.Take(5).ToList();
        text.Append($"  other {_kind} during the block: ").Append(others.Count == 0 ? "(none)" : string.Join("; ", others.Select(DescribeEvent)));
        if (_hint is not null && seen < Occurrences) text.AppendLine().Append("  note: ").Append(_hint);
        return text.ToString();
    }

    internal static string DescribeEvent(object @event) => @event switch
    {
        LogEvent e => $"[{XunitLogSink.LevelTag(e.Level)}] {(XunitLogSink.SourceOf(e) is { } source ? source + ": " : "")}" +
                      e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) +
                      (e.Exception is { } x ? $" ({Describe.Type(x.GetType())}: {x.Message})" : ""),
        DeadLetter d => $"dead letter {Describe.Received(d.Message, d.Sender)} to {Describe.Sender(d.Recipient)}",
        UnhandledMessage u => $"unhandled {Describe.Received(u.Message, u.Sender)} at {Describe.Sender(u.Recipient)}",
        _ => Describe.Value(@event),
    };
}
