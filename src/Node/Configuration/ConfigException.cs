namespace ActorTasks.Node.Configuration;

/// <summary>Configuration that cannot be used: the message names the input (file, environment variable, -D) and the problem. Commands exit 2.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);
