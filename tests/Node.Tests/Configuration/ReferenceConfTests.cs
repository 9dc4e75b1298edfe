using ActorTasks.Configuration;
using ActorTasks.Hocon;
using Xunit;

namespace ActorTasks.Node.Tests.Configuration;

/// <summary>hocon/reference.conf is the one source of defaults: embedded as is, every setting commented.</summary>
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
    public void Embedded_reference_conf_is_the_file_in_hocon_not_a_copy()
    {
        var file = File.ReadAllText(Path.Combine(RepoRoot(), "hocon", "reference.conf"));
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream(ReferenceConfig.ResourceName)!;
        Assert.Equal(file, new StreamReader(stream).ReadToEnd());
        TreeEqual(ConfigFactory.ParseString(file).ToJson(), ReferenceConfig.Load().ToJson());
    }

    [Fact]
    public void Every_setting_in_reference_conf_has_a_comment_on_its_line()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "hocon", "reference.conf"));
        var settings = lines.Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#')).ToArray();
        Assert.NotEmpty(settings);
        Assert.All(settings, l => Assert.Contains(" # ", l));
    }

    [Fact]
    public void Presets_only_set_keys_that_reference_conf_defines()
    {
        var reference = ReferenceConfig.Load();
        foreach (var preset in new[] { "seed", "worker" })
        {
            var config = ConfigFactory.ParseFile(Path.Combine(RepoRoot(), "hocon", preset + ".conf"));
            foreach (var path in Leaves(config.Root, ""))
                Assert.True(reference.HasPath(path), $"{preset}.conf sets {path}, which reference.conf does not define");
        }
    }

    private static IEnumerable<string> Leaves(ConfigObject obj, string prefix) =>
        obj.SelectMany(kv => kv.Value is ConfigObject child
            ? Leaves(child, prefix + kv.Key + ".")
            : [prefix + kv.Key]);

    private static void TreeEqual(string expectedJson, string actualJson) => Assert.Equal(expectedJson, actualJson);
}
