using ActorTasks.Tasks.Configuration;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

/// <summary>hocon/actortasks.conf is the one source of defaults: embedded as is, every actortasks.* setting commented.</summary>
public class ReferenceConfTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorTasks.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ActorTasks.sln not found");
    }

    [Fact]
    public void Embedded_actortasks_conf_is_the_file_in_hocon_not_a_copy()
    {
        var file = File.ReadAllText(Path.Combine(RepoRoot(), "hocon", "actortasks.conf"));
        Assert.Equal(file, TaskSystemConfig.ReferenceText);
        Assert.Equal(ConfigurationFactory.ParseString(file).ToString(), TaskSystemConfig.Reference.ToString());
    }

    [Fact]
    public void Every_actortasks_setting_in_actortasks_conf_has_a_comment_on_its_line_or_just_above_it()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "hocon", "actortasks.conf"));
        // The actortasks { } block: the settings ActorTasks defines (Akka's are documented by Akka).
        var start = Array.FindIndex(lines, l => l.StartsWith("actortasks {", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start, l => l == "}");
        Assert.True(start >= 0 && end > start, "no top-level actortasks { } block");
        var settings = Enumerable.Range(start, end - start).Where(i => lines[i].Contains('=') && !lines[i].TrimStart().StartsWith('#')).ToArray();
        Assert.NotEmpty(settings);
        Assert.All(settings, i => Assert.True(lines[i].Contains(" # ") || lines[i - 1].TrimStart().StartsWith('#'), $"line {i + 1} has no comment: {lines[i]}"));
    }

    [Fact]
    public void Presets_only_set_keys_that_actortasks_conf_or_Akka_defines()
    {
        var reference = TaskSystemConfig.Reference
            .WithFallback(ConfigurationFactory.FromResource<Akka.Cluster.Cluster>("Akka.Cluster.Configuration.Cluster.conf"))
            .WithFallback(ConfigurationFactory.FromResource<Akka.Remote.RemoteSettings>("Akka.Remote.Configuration.Remote.conf"))
            .WithFallback(ConfigurationFactory.Default());
        foreach (var preset in new[] { "seed", "worker" })
        {
            var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(RepoRoot(), "hocon", preset + ".conf")));
            var leaves = Leaves(config.Root, "").ToList();
            Assert.NotEmpty(leaves);
            foreach (var path in leaves)
                Assert.True(reference.HasPath(path), $"{preset}.conf sets {path}, which neither actortasks.conf nor Akka defines");
        }
    }

    private static IEnumerable<string> Leaves(HoconValue value, string prefix) =>
        value.IsObject()
            ? value.GetObject().Items.SelectMany(kv => Leaves(kv.Value, prefix.Length == 0 ? kv.Key : $"{prefix}.{kv.Key}"))
            : [prefix];
}
