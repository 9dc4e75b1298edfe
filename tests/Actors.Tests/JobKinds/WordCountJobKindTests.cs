using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.WordCount;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class WordCountJobKindTests : IDisposable
{
    private static readonly string[] Vocabulary =
    [
        "The", "the", "THE", "don't", "DON’T", "café", "cafe\u0301", "Straße", "STRASSE", "ΣΟΦΙΑ", "σοφια",
        "naïve", "日本語", "𝐀𝐁𝐂", "x2", "42", "'quoted'", "İstanbul", "ǅemal", "a", "I", "über",
    ];

    private static readonly byte[][] Separators =
    [
        " "u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), ", "u8.ToArray(), ". "u8.ToArray(), "—"u8.ToArray(),
        "\t"u8.ToArray(), "!?"u8.ToArray(), "🙂"u8.ToArray(), "\u00A0"u8.ToArray(), [0xFF], [0xC3], [0xE2, 0x82], [0x80, 0x80],
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Generate(int words, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>();
        for (var i = 0; i < words; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(Vocabulary[random.Next(Vocabulary.Length)]));
            bytes.AddRange(Separators[random.Next(Separators.Length)]);
        }
        return [.. bytes];
    }

    /// <summary>Word counts the plain way: decode each whole file, walk its runes, fold each word.</summary>
    private static Dictionary<string, long> Reference(IEnumerable<string> files)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var word = new StringBuilder();
            foreach (var rune in (Encoding.UTF8.GetString(File.ReadAllBytes(file)) + " ").EnumerateRunes())
            {
                var category = Rune.GetUnicodeCategory(rune);
                var inWord = Rune.IsLetterOrDigit(rune) || rune.Value is '\'' or '\u2019'
                    || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
                if (inWord)
                {
                    word.Append(rune.ToString());
                }
                else if (word.Length > 0)
                {
                    var folded = word.ToString().ToLowerInvariant();
                    counts[folded] = counts.GetValueOrDefault(folded) + 1;
                    word.Clear();
                }
            }
        }
        return counts;
    }

    private static List<string> Ranked(Dictionary<string, long> counts, int top) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top)
            .Select(c => $"{c.Key}\t{c.Value.ToString(CultureInfo.InvariantCulture)}").ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(8 << 20)]
    public async Task Equals_a_single_threaded_count_whatever_the_chunk_size(int chunk)
    {
        var big = _temp.Write("corpus/big.txt", Generate(chunk < 16 ? 500 : 5000, seed: chunk));
        _temp.Write("corpus/notes/a.txt", Generate(40, seed: 1));
        _temp.Write("corpus/notes/b.txt", Generate(3, seed: 2));
        _temp.Write("corpus/notes/deeper/c.md", Generate(200, seed: 3));
        _temp.Write("corpus/empty.txt", "");
        var extra = _temp.Write("extra.txt", "The end, THE END.");

        var corpus = Path.Combine(_temp.Path, "corpus");
        var kind = new WordCountJobKind(new WordCountTuning(3, chunk));
        var run = await JobHarness.RunShuffledAsync(kind.Prepare([corpus, extra, "--top", "1000000"]), seed: chunk);

        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Append(extra).ToList();
        var expected = Reference(files);
        Assert.Equal(Ranked(expected, 1_000_000), run.Output.Lines);
        Assert.Equal(expected.Values.Sum().ToString(CultureInfo.InvariantCulture), run.Output.Get("words"));
        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), run.Output.Get("distinct words"));
        Assert.Equal(files.Count.ToString(CultureInfo.InvariantCulture), run.Output.Get("files"));
        Assert.Equal(files.Count, run.Counters["files"]);
        if (chunk <= 5)
            Assert.True(run.Tasks > new FileInfo(big).Length / chunk / 2, "a large file is cut into many ranges");
    }

    [Fact]
    public async Task Words_are_letters_digits_marks_and_apostrophes_folded_to_lower_case()
    {
        var file = _temp.Write("words.txt", "Don't DON’T café cafe\u0301 x2 42 foo-bar 日本語🙂ok under_score ÉCOLE école");
        var run = await JobHarness.RunShuffledAsync(new WordCountJobKind().Prepare([file, "--top", "100"]));
        var counts = run.Output.Lines.Select(l => l.Split('\t')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["don't"] = 1, ["don’t"] = 1, ["café"] = 1, ["cafe\u0301"] = 1, ["x2"] = 1, ["42"] = 1, ["foo"] = 1, ["bar"] = 1,
                ["日本語"] = 1, ["ok"] = 1, ["under"] = 1, ["score"] = 1, ["école"] = 2,
            },
            counts);
    }

    [Fact]
    public async Task Top_n_is_by_count_then_alphabetical()
    {
        var file = _temp.Write("ties.txt", "b a c b a d e e e");
        var kind = new WordCountJobKind();
        Assert.Equal(["e\t3", "a\t2"], (await JobHarness.RunShuffledAsync(kind.Prepare([file, "--top", "2"]))).Output.Lines);
        Assert.Equal(["e\t3", "a\t2", "b\t2", "c\t1"], (await JobHarness.RunShuffledAsync(kind.Prepare([file, "--top", "4"]))).Output.Lines);
    }

    [Fact]
    public async Task A_file_that_vanished_before_its_task_ran_is_an_error_and_the_rest_is_counted()
    {
        _temp.Write("d/one.txt", "alpha beta");
        var gone = _temp.Write("d/two.txt", "gamma");
        var job = new WordCountJobKind(new WordCountTuning(1, 1 << 20)).Prepare([Path.Combine(_temp.Path, "d")]);
        var tasks = job.Split(CancellationToken.None).ToList();
        File.Delete(gone);
        var reducer = job.CreateReducer();
        for (var i = 0; i < tasks.Count; i++)
            reducer.Add(i, await job.ProcessAsync(tasks[i], new TaskContext(CancellationToken.None)));
        var output = reducer.Complete();
        Assert.Equal("1", output.Get("errors"));
        Assert.Equal("2", output.Get("words"));
        Assert.Contains(output.Lines, l => l.StartsWith("error: ", StringComparison.Ordinal) && l.Contains("two.txt"));
    }

    [Theory]
    [InlineData(new string[0], "PATH")]
    [InlineData(new[] { "MISSING" }, "PATH")]
    [InlineData(new[] { "HERE", "MISSING" }, "PATH")]
    [InlineData(new[] { "HERE", "--top", "0" }, "--top")]
    [InlineData(new[] { "HERE", "--top", "many" }, "--top")]
    [InlineData(new[] { "HERE", "--top" }, "--top")]
    [InlineData(new[] { "HERE", "--lower" }, "--lower")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument)
    {
        var resolved = arguments.Select(a => a.Replace("MISSING", Path.Combine(_temp.Path, "missing")).Replace("HERE", _temp.Path)).ToArray();
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => new WordCountJobKind().Prepare(resolved)).Argument);
    }
}
