using System.Collections;
using ActorTasks.Node.Configuration;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

/// <summary>A value of the wrong type stops the node naming the layer and the key; an unknown actortasks.* key is a warning.</summary>
public sealed class ConfigSchemaTests : IDisposable
{
    private static readonly Hashtable NoEnvironment = new();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actortasks-schema");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_dir.FullName, "node.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_word_where_a_number_belongs_in_a_file_names_the_file_and_the_key()
    {
        var file = WriteConfig("actortasks.tasks {\n  prefetch = many\n}\n");
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load("worker", file, [], NoEnvironment));
        Assert.Equal($"{file}: actortasks.tasks.prefetch: expected a whole number, got \"many\"", e.Message);
    }

    [Theory]
    [InlineData("akka.cluster.failure-detector.heartbeat-interval=soon", "akka.cluster.failure-detector.heartbeat-interval: expected a duration such as 500ms or 10s, got \"soon\"")]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size=huge", "akka.remote.dot-netty.tcp.maximum-frame-size: expected a size such as 4 MiB or 128000b, got \"huge\"")]
    [InlineData("akka.coordinated-shutdown.exit-clr=maybe", "akka.coordinated-shutdown.exit-clr: expected on or off, got \"maybe\"")]
    [InlineData("akka.cluster.run-coordinated-shutdown-when-down=yes", "akka.cluster.run-coordinated-shutdown-when-down: expected on or off, got \"yes\"")]
    [InlineData("actortasks.remote.allow-unencrypted=[on]", "actortasks.remote.allow-unencrypted: expected on or off, got a list")]
    [InlineData("actortasks.tasks.prefetch-time={ a = 1 }", "actortasks.tasks.prefetch-time: expected a duration such as 500ms or 10s, got an object")]
    public void A_wrong_type_for_a_setting_ActorTasks_ships_names_the_define_and_the_key(string define, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load("seed", null, [define], NoEnvironment));
        Assert.Equal($"-D {define}: {problem}", e.Message);
    }

    [Fact]
    public void A_wrong_type_from_the_environment_names_the_variable()
    {
        var env = new Hashtable { ["AKKA__actor__ask_timeout"] = "forever" };
        var e = Assert.Throws<ConfigException>(() => NodeConfig.Load(null, null, [], env));
        Assert.StartsWith("environment variable AKKA__actor__ask_timeout: akka.actor.ask-timeout: expected a duration", e.Message);
    }

    [Fact]
    public void Values_of_the_right_type_pass_whatever_their_spelling()
    {
        var config = NodeConfig.Load("seed", null,
            ["akka.cluster.failure-detector.heartbeat-interval=2 s", "akka.remote.dot-netty.tcp.maximum-frame-size=8388608b",
             "actortasks.remote.allow-unencrypted=yes", "actortasks.tasks.prefetch=-1"], NoEnvironment);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Akkas_own_infinite_duration_is_a_duration()
    {
        var config = NodeConfig.Load("seed", null, ["akka.actor.ask-timeout=infinite", "actortasks.tasks.resource-acquire-timeout=infinite"], NoEnvironment);
        Assert.Equal(Timeout.InfiniteTimeSpan, config.Config.GetTimeSpan("akka.actor.ask-timeout"));
    }

    [Fact]
    public void An_unknown_actortasks_key_is_a_warning_naming_the_layer_and_the_key_not_an_error()
    {
        var file = WriteConfig("actortasks.tasks.typo = 3\nactortasks.tasks.resources.disk = 2\nakka.some-akka-setting = 1\n");
        var config = NodeConfig.Load("worker", file, ["actortasks.tasks.prefetch=8"], NoEnvironment);
        var warning = Assert.Single(config.Warnings);
        Assert.StartsWith($"{file}: actortasks.tasks.typo is not an ActorTasks setting and is ignored", warning);
        Assert.Equal(8, config.Config.GetInt("actortasks.tasks.prefetch"));
    }
}
