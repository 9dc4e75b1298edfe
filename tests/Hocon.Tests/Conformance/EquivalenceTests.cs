using System.Text.Json;
using Xunit;

namespace ActorTasks.Hocon.Tests.Conformance;

/// <summary>Every .conf and .json file of an equivNN folder is the same tree as that folder's original.json.</summary>
public class EquivalenceTests
{
    public static TheoryData<string, string> EquivalentFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in System.IO.Directory.GetDirectories(Corpus.Directory, "equiv*").OrderBy(f => f, StringComparer.Ordinal))
        {
            foreach (var file in System.IO.Directory.GetFiles(folder).Where(f => f.EndsWith(".conf") || f.EndsWith(".json")).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (Path.GetFileName(file) != "original.json")
                    data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EquivalentFiles))]
    public void File_parses_and_resolves_to_the_folders_original_json(string folder, string file)
    {
        var dir = Path.Combine(Corpus.Directory, folder);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "original.json")));

        var config = ConfigFactory.ParseFile(Path.Combine(dir, file)).Resolve();

        TreeAssert.Equal(expected.RootElement, config.Root);
    }

    [Fact]
    public void Every_equiv_folder_of_the_corpus_is_covered()
    {
        var folders = EquivalentFiles().Select(row => (string)row[0]).Distinct().ToArray();
        Assert.Equal(["equiv01", "equiv02", "equiv03", "equiv04", "equiv05"], folders);
    }

    [Fact]
    public void Original_json_parsed_as_hocon_equals_itself_parsed_as_json()
    {
        foreach (var folder in System.IO.Directory.GetDirectories(Corpus.Directory, "equiv*"))
        {
            var path = Path.Combine(folder, "original.json");
            using var expected = JsonDocument.Parse(File.ReadAllText(path));
            TreeAssert.Equal(expected.RootElement, ConfigFactory.ParseFile(path).Root);
        }
    }
}
