using Xunit.Sdk;

namespace ActorTasks.Testing;

/// <summary>An expectation of the TestKit failed; the message says what was expected, what arrived, and when.</summary>
public sealed class TestKitAssertionException : XunitException
{
    /// <summary>Creates the failure with its full explanation.</summary>
    public TestKitAssertionException(string message, Exception? innerException = null) : base(message, innerException) { }
}
