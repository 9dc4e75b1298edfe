using System.Globalization;
using System.Text.Json;
using ActorTasks.Hocon;
using Xunit;

namespace ActorTasks.Hocon.Tests;

/// <summary>Finds the shared conformance corpus: ../shared/hocon-conformance next to the repository root.</summary>
internal static class Corpus
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static readonly string Expected = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "hocon-conformance"));

    /// <summary>The corpus folder; a test that needs it fails with where it was looked for when it is not there.</summary>
    public static string Directory => System.IO.Directory.Exists(Expected)
        ? Expected
        : throw new DirectoryNotFoundException(
            $"the HOCON conformance corpus is not at {Expected}: these tests read shared/hocon-conformance beside the repository, "
            + "so clone the repository next to shared/ (as CI does)");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorTasks.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ActorTasks.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Compares a configuration tree with a JSON document: numbers by value, object keys in any order.</summary>
internal static class TreeAssert
{
    public static void Equal(JsonElement expected, ConfigValue actual, string path = "(root)")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = Assert.IsType<ConfigObject>(actual);
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).OrderBy(k => k, StringComparer.Ordinal).ToArray();
                Assert.Equal(expectedKeys, obj.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());
                foreach (var p in expected.EnumerateObject())
                    Equal(p.Value, obj[p.Name], path + "." + p.Name);
                break;
            case JsonValueKind.Array:
                var arr = Assert.IsType<ConfigArray>(actual);
                Assert.True(expected.GetArrayLength() == arr.Count, $"{path}: expected {expected.GetArrayLength()} elements, found {arr.Count}");
                var i = 0;
                foreach (var e in expected.EnumerateArray())
                    Equal(e, arr[i], $"{path}[{i++}]");
                break;
            case JsonValueKind.String:
                Assert.True(actual is ConfigString s && s.Value == expected.GetString(), $"{path}: expected \"{expected.GetString()}\" but found {actual}");
                break;
            case JsonValueKind.Number:
                var n = Assert.IsType<ConfigNumber>(actual);
                Assert.True(n.DoubleValue == expected.GetDouble(), $"{path}: expected {expected.GetRawText()} but found {n.Text}");
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                Assert.True(actual is ConfigBoolean b && b.Value == expected.GetBoolean(), $"{path}: expected {expected.GetRawText()} but found {actual}");
                break;
            case JsonValueKind.Null:
                Assert.IsType<ConfigNull>(actual);
                break;
        }
    }

    public static void Equal(string expectedJson, Config actual)
    {
        using var doc = JsonDocument.Parse(expectedJson);
        Equal(doc.RootElement, actual.Root);
    }

    public static string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
}
