using ActorTasks.Event;
using Serilog.Events;

namespace ActorTasks.Testing;

/// <summary>
/// Makes <see cref="EventFilter"/>s for the kit's system: <c>EventFilter.Error&lt;ArgumentException&gt;().Expect(() =&gt; …)</c>.
/// A <c>message</c> argument is text the log message (or its exception's message) must contain.
/// </summary>
public sealed class EventFilterFactory
{
    private readonly TestKitBase _owner;
    private readonly EventCapture _capture;

    internal EventFilterFactory(TestKitBase owner, EventCapture capture)
    {
        _owner = owner;
        _capture = capture;
    }

    /// <summary>Error (or Fatal) log events.</summary>
    public EventFilter Error(string? message = null, int occurrences = 1) =>
        Log(LogEventLevel.Error, null, message, occurrences);

    /// <summary>Error (or Fatal) log events carrying a <typeparamref name="TException"/> (itself or as an inner exception).</summary>
    public EventFilter Error<TException>(string? message = null, int occurrences = 1) where TException : Exception =>
        Log(LogEventLevel.Error, typeof(TException), message, occurrences);

    /// <summary>Warning log events.</summary>
    public EventFilter Warning(string? message = null, int occurrences = 1) =>
        Log(LogEventLevel.Warning, null, message, occurrences);

    /// <summary>Information log events.</summary>
    public EventFilter Info(string? message = null, int occurrences = 1) =>
        Log(LogEventLevel.Information, null, message, occurrences);

    /// <summary>Debug log events (the system's <c>LogLevel</c> must let them through).</summary>
    public EventFilter Debug(string? message = null, int occurrences = 1) =>
        Log(LogEventLevel.Debug, null, message, occurrences);

    /// <summary>Log events of any level carrying a <typeparamref name="TException"/> (itself or as an inner exception).</summary>
    public EventFilter Exception<TException>(string? message = null, int occurrences = 1) where TException : Exception =>
        Log(null, typeof(TException), message, occurrences);

    /// <summary>Log events for which <paramref name="predicate"/> is true.</summary>
    public EventFilter Custom(Func<LogEvent, bool> predicate, int occurrences = 1, string description = "log events matching a custom predicate")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        RequireLogs();
        return new EventFilter(_owner, _capture, description, "log events", occurrences,
            e => e is LogEvent log && predicate(log), e => e is LogEvent);
    }

    /// <summary>Dead letters whose message is a <typeparamref name="TMessage"/> (satisfying <paramref name="predicate"/> when given).</summary>
    public EventFilter DeadLetter<TMessage>(int occurrences = 1, Predicate<TMessage>? predicate = null) =>
        new(_owner, _capture, $"dead letter of {Describe.Type<TMessage>()}{(predicate is null ? "" : " matching the predicate")}", "dead letters",
            occurrences,
            e => e is Event.DeadLetter { Message: TMessage m } && (predicate is null || predicate(m)),
            e => e is Event.DeadLetter);

    /// <summary>Dead letters of any message.</summary>
    public EventFilter DeadLetter(int occurrences = 1) => DeadLetter<object>(occurrences);

    /// <summary>Messages of type <typeparamref name="TMessage"/> that an actor did not handle.</summary>
    public EventFilter Unhandled<TMessage>(int occurrences = 1, Predicate<TMessage>? predicate = null) =>
        new(_owner, _capture, $"unhandled {Describe.Type<TMessage>()}{(predicate is null ? "" : " matching the predicate")}", "unhandled messages",
            occurrences,
            e => e is UnhandledMessage { Message: TMessage m } && (predicate is null || predicate(m)),
            e => e is UnhandledMessage);

    private EventFilter Log(LogEventLevel? level, Type? exceptionType, string? message, int occurrences)
    {
        RequireLogs();
        var description = (level is { } l ? $"{l} log event" : "log event")
            + (exceptionType is null ? "" : $" with a {Describe.Type(exceptionType)}")
            + (message is null ? "" : $" containing \"{message}\"");
        string? hint = null;
        var minimum = _owner.Sys.Settings.LogLevel;
        if (level is { } wanted && wanted < minimum)
            hint = $"system {_owner.Sys.Name} logs at {minimum} and above, so {wanted} events are never emitted (set RuntimeSettings.LogLevel)";
        return new EventFilter(_owner, _capture, description, "log events", occurrences,
            e => e is LogEvent log && LevelMatches(log.Level, level) && ExceptionMatches(log.Exception, exceptionType) && TextMatches(log, message),
            e => e is LogEvent,
            hint);
    }

    private void RequireLogs()
    {
        if (!_capture.CapturesLogs)
        {
            throw new InvalidOperationException(
                $"log events of actor system {_owner.Sys.Name} are not captured: only the system a TestKit creates logs through it " +
                "(dead-letter and unhandled filters work on any system)");
        }
    }

    // Error also covers Fatal: both mean "something failed", and the runtime logs a few failures as Fatal.
    private static bool LevelMatches(LogEventLevel actual, LogEventLevel? wanted) =>
        wanted is not { } w || actual == w || (w == LogEventLevel.Error && actual == LogEventLevel.Fatal);

    private static bool ExceptionMatches(Exception? exception, Type? wanted)
    {
        if (wanted is null) return true;
        for (var e = exception; e is not null; e = e.InnerException)
            if (wanted.IsInstanceOfType(e)) return true;
        return false;
    }

    private static bool TextMatches(LogEvent log, string? text) =>
        text is null
        || log.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(text, StringComparison.Ordinal)
        || (log.Exception?.Message.Contains(text, StringComparison.Ordinal) ?? false);
}
