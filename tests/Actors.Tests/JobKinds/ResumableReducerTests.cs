using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.CsvStats;
using ActorTasks.Tasks.JobKinds.Download;
using ActorTasks.Tasks.JobKinds.Grep;
using ActorTasks.Tasks.JobKinds.Hash;
using ActorTasks.Tasks.JobKinds.Images;
using ActorTasks.Tasks.JobKinds.Noop;
using ActorTasks.Tasks.JobKinds.Primes;
using ActorTasks.Tasks.JobKinds.WordCount;
using ActorTasks.Tasks.Tests.JobKinds.Images;
using ActorTasks.Tests.Fixtures.Http;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

/// <summary>
/// <see cref="IResumableReducer"/> for every built-in kind and the example plug-in: real jobs over inputs written here,
/// cut into many small tasks, their results folded partly into one reducer, saved, restored into a fresh one and
/// finished there.
/// </summary>
/// <remarks>
/// Restored reducers are compared with one that added the same results in the same order: csv-stats merges means and
/// M2 in floating point, so only the same order gives the same bits, and the same bits are what "exactly as the saved
/// one was" promises.
/// </remarks>
public sealed class ResumableReducerTests : IDisposable
{
    private static readonly string ExamplePlugins = Path.Combine(AppContext.BaseDirectory, "plugins");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static readonly string[] KindNames = ["csv-stats", "download", "grep", "hash", "images", "noop", "primes", "reverse-lines", "wordcount"];

    public static TheoryData<string> Kinds => new(KindNames);

    public static TheoryData<string, int> KindsAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in KindNames)
        {
            for (var seed = 1; seed <= 4; seed++)
                data.Add(kind, seed);
        }
        return data;
    }

    private sealed record PreparedRun(string Kind, IPreparedJob Job, IReadOnlyList<(long Index, ReadOnlyMemory<byte> Result)> Results)
    {
        public IResumableReducer NewReducer() => Assert.IsAssignableFrom<IResumableReducer>(Job.CreateReducer());
    }

    [Fact]
    public void The_tests_cover_every_built_in_kind()
    {
        var builtIn = JobKindRegistry.CreateBuiltIn().All.Select(k => k.Name);
        Assert.Equal(builtIn.Append("reverse-lines").Order(StringComparer.Ordinal), KindNames);
    }

    [Theory]
    [MemberData(nameof(KindsAndSeeds))]
    public async Task A_reducer_restored_from_a_partial_state_and_given_the_other_results_completes_as_one_that_saw_them_all(string kind, int seed)
    {
        var run = await PrepareAsync(kind);
        Assert.True(run.Results.Count >= 20, $"{kind} made only {run.Results.Count} tasks");
        var random = new Random(seed);
        var share = seed switch { 1 => 0.1, 2 => 0.5, 3 => 0.9, _ => random.NextDouble() };
        var shuffled = run.Results.ToArray();
        random.Shuffle(shuffled);
        var taken = shuffled.Select(_ => random.NextDouble() < share).ToArray();
        var before = shuffled.Where((_, i) => taken[i]).ToList();
        var after = shuffled.Where((_, i) => !taken[i]).ToArray();
        random.Shuffle(after);
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);

        var first = run.NewReducer();
        AddAll(first, before);
        var state = first.Save();

        var second = run.NewReducer();
        second.Restore(state);
        Assert.Equal(state, second.Save());
        AddAll(second, after);

        var all = run.NewReducer();
        AddAll(all, before.Concat(after));
        AssertSameOutput(all.Complete(), second.Complete());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_fresh_reducer_saves_a_state_that_restores_to_an_empty_reducer(string kind)
    {
        var run = await PrepareAsync(kind);
        var state = run.NewReducer().Save();
        Assert.True(state.Length <= 48, $"{kind} saves {state.Length} bytes for nothing");

        var restored = run.NewReducer();
        restored.Restore(state);
        AssertSameOutput(run.NewReducer().Complete(), restored.Complete());

        var shuffled = run.Results.ToArray();
        new Random(3).Shuffle(shuffled);
        AddAll(restored, shuffled);
        var all = run.NewReducer();
        AddAll(all, shuffled);
        AssertSameOutput(all.Complete(), restored.Complete());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_state_saved_after_a_cancel_like_partial_run_completes_to_the_same_partial_output(string kind)
    {
        var run = await PrepareAsync(kind);
        // As after a cancel: the first task and every third one never arrived.
        var partial = run.NewReducer();
        AddAll(partial, run.Results.Where(r => r.Index != 0 && r.Index % 3 != 1).Reverse());
        var state = partial.Save();

        var restored = run.NewReducer();
        restored.Restore(state);
        var expected = partial.Complete();
        AssertSameOutput(expected, restored.Complete());

        var full = run.NewReducer();
        AddAll(full, run.Results);
        Assert.NotEqual(full.Complete().Summary, expected.Summary);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Restoring_garbage_or_truncated_state_throws_InvalidDataException_naming_the_kind(string kind)
    {
        var run = await PrepareAsync(kind);
        var state = SaveHalf(run);
        Assert.True(state.Length > 4);

        var bad = new List<(string What, byte[] Bytes)>
        {
            ("empty", []),
            ("a newer version", [2, .. state.AsSpan(1)]),
            ("version 0", [0, .. state.AsSpan(1)]),
            ("a trailing byte", [.. state, 0]),
            ("all ones after the version", [1, .. Enumerable.Repeat((byte)0xFF, 64)]),
        };
        // Every prefix of the first bytes, then cuts spread over the rest.
        for (var length = 1; length < state.Length; length += length < 64 ? 1 : Math.Max(1, state.Length / 50))
            bad.Add(($"the first {length} of {state.Length} bytes", state[..length]));
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            var garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            garbage[0] = 1;
            bad.Add(($"random bytes #{i}", garbage));
        }

        foreach (var (what, bytes) in bad)
        {
            var error = Record.Exception(() => run.NewReducer().Restore(bytes));
            Assert.True(error is InvalidDataException, $"{kind}, {what}: {error?.GetType().Name ?? "no exception"} {error?.Message}");
            Assert.Contains(kind, error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_restore_that_fails_leaves_the_reducer_fresh(string kind)
    {
        var run = await PrepareAsync(kind);
        var state = SaveHalf(run);
        var reducer = run.NewReducer();
        Assert.Throws<InvalidDataException>(() => reducer.Restore([.. state, 0]));
        Assert.Throws<InvalidDataException>(() => reducer.Restore(state.AsSpan(0, state.Length - 1)));

        reducer.Restore(state);
        var expected = run.NewReducer();
        expected.Restore(state);
        AssertSameOutput(expected.Complete(), reducer.Complete());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Restoring_into_a_reducer_that_has_results_is_refused(string kind)
    {
        var run = await PrepareAsync(kind);
        var state = SaveHalf(run);
        var reducer = run.NewReducer();
        reducer.Add(run.Results[^1].Index, run.Results[^1].Result);
        Assert.Throws<InvalidOperationException>(() => reducer.Restore(state));
    }

    [Fact]
    public async Task A_csv_stats_state_keeps_the_statistics_bits_and_every_value()
    {
        var run = await PrepareAsync("csv-stats");
        var state = SaveHalf(run);
        var restored = run.NewReducer();
        restored.Restore(state);
        var original = run.NewReducer();
        AddAll(original, run.Results.Where(r => r.Index % 2 == 0));
        var expected = original.Complete();
        var actual = restored.Complete();
        AssertSameOutput(expected, actual);
        // Values near 1e299 move the scale exponent; the saved mean and std must come back bit for bit.
        Assert.True(double.Parse(expected.Get("std"), CultureInfo.InvariantCulture) > 1e290);
        Assert.Equal(expected.Get("mean"), actual.Get("mean"));
        Assert.Equal(expected.Get("std"), actual.Get("std"));
        Assert.Contains(actual.Lines, l => l.StartsWith("… and ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_download_state_keeps_the_resumed_files_and_the_retries()
    {
        var run = await PrepareAsync("download");
        var reducer = run.NewReducer();
        AddAll(reducer, run.Results);
        var restored = run.NewReducer();
        restored.Restore(reducer.Save());

        var output = restored.Complete();
        AssertSameOutput(reducer.Complete(), output);
        Assert.Equal(("50", "1"), (output.Get("files"), output.Get("resumed")));
        Assert.True(long.Parse(output.Get("attempts"), CultureInfo.InvariantCulture) >= 52, output.Get("attempts"));
    }

    private static byte[] SaveHalf(PreparedRun run)
    {
        var reducer = run.NewReducer();
        AddAll(reducer, run.Results.Where(r => r.Index % 2 == 0));
        return reducer.Save();
    }

    private static void AddAll(IJobReducer reducer, IEnumerable<(long Index, ReadOnlyMemory<byte> Result)> results)
    {
        foreach (var (index, result) in results)
            reducer.Add(index, result);
    }

    private static void AssertSameOutput(JobOutput expected, JobOutput actual)
    {
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.Lines, actual.Lines);
    }

    /// <summary>A job of <paramref name="kind"/> over inputs written here, cut small, and the results of all its tasks.</summary>
    private async Task<PreparedRun> PrepareAsync(string kind)
    {
        Action? beforeProcessing = null;
        await using var server = kind == "download" ? await TestHttpServer.StartAsync() : null;
        var job = kind switch
        {
            "download" => PrepareDownload(server!),
            "grep" => PrepareGrep(out beforeProcessing),
            "csv-stats" => new CsvStatsJobKind(256).Prepare([WriteCsv(), "--column", "v"]),
            "wordcount" => PrepareWordCount(out beforeProcessing),
            "primes" => new PrimesJobKind().Prepare(["1000", "200000", "--chunk", "5000"]),
            "hash" => new HashJobKind().Prepare(["60", "--rounds", "3"]),
            "images" => PrepareImages(),
            "noop" => new NoopJobKind().Prepare(["150"]),
            "reverse-lines" => LoadReverseLines().Prepare([WriteLines(), "--lines-per-task", "9"]),
            _ => throw new ArgumentException(kind),
        };
        var tasks = job.Split(CancellationToken.None).ToList();
        beforeProcessing?.Invoke();
        var context = new TaskContext(CancellationToken.None);
        var results = new List<(long, ReadOnlyMemory<byte>)>();
        for (var i = 0; i < tasks.Count; i++)
            results.Add((i, await job.ProcessAsync(tasks[i], context)));
        return new PreparedRun(kind, job, results);
    }

    /// <summary>A tree with a log searched in ranges (line numbers add up across tasks), a binary file, and a file that goes away before it is searched.</summary>
    private IPreparedJob PrepareGrep(out Action? beforeProcessing)
    {
        var root = Path.Combine(_temp.Path, "tree");
        var log = new StringBuilder();
        for (var i = 1; i <= 2000; i++)
            log.Append(i % 7 == 0 ? $"ERROR {i} disk full\n" : $"info {i} all well\n");
        _temp.Write("tree/logs/app.log", log.ToString());
        for (var f = 0; f < 12; f++)
            _temp.Write($"tree/small/{f:D2}.log", $"ERROR {f} first\nnothing\nERROR {f + 100} café\n");
        _temp.Write("tree/core.bin", [.. "ERROR 1 in a core dump\n"u8, 0, 0, (byte)'\n']);
        var doomed = _temp.Write("tree/small/05.log", "ERROR 5 will be gone\n");
        beforeProcessing = () => File.Delete(doomed);
        return new GrepJobKind(new GrepTuning(MaxFiles: 2, MaxBytes: 200, RangeBytes: 300)).Prepare([@"ERROR \d+", root]);
    }

    /// <summary>24 small images of several sizes and formats in a tree, resized to fit 16x16, so each result has its own sizes, bytes and time.</summary>
    private IPreparedJob PrepareImages()
    {
        for (var i = 0; i < 24; i++)
        {
            var (width, height) = (8 + 3 * i, 40 - i);
            var bytes = i % 3 == 0 ? TestImages.Png(width, height) : TestImages.Jpeg(width, height);
            _temp.Write($"photos/{i % 4}/{i:D2}.{(i % 3 == 0 ? "png" : "jpg")}", bytes);
        }
        return new ImagesJobKind().Prepare([Path.Combine(_temp.Path, "photos"), Path.Combine(_temp.Path, "thumbs"), "--resize", "16x16", "--keep-aspect"]);
    }

    /// <summary>Files of several sizes from two hosts, one cut short and resumed, one answered 500 once.</summary>
    private IPreparedJob PrepareDownload(TestHttpServer server)
    {
        var random = new Random(13);
        var lines = new List<string>();
        for (var i = 0; i < 48; i++)
        {
            var content = new byte[random.Next(0, 20_000)];
            random.NextBytes(content);
            server.Add($"/f{i}.bin", content);
            lines.Add(i % 5 == 0 ? $"{server.OtherHostUrl}/f{i}.bin other/f{i}.bin" : $"{server.Url}/f{i}.bin");
        }
        server.Add("/big.bin", new byte[100_000]);
        server.Plan("/big.bin", new TestHttpServer.Cut(30_000));
        lines.Add($"{server.Url}/big.bin");
        lines.Add($"{server.OtherHostUrl}/big.bin again/big.bin");
        server.Plan("/f3.bin", new TestHttpServer.Status(500));
        var pacing = new DownloadTuning(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
        return new DownloadJobKind(pacing).Prepare([_temp.Write("urls.txt", string.Join("\n", lines)), Path.Combine(_temp.Path, "out")]);
    }

    private IPreparedJob PrepareWordCount(out Action? beforeProcessing)
    {
        string[] vocabulary = ["The", "the", "café", "Straße", "naïve", "日本語", "x2", "42", "don't", "a", "I", "über"];
        var random = new Random(11);
        string Words(int count) => string.Join(random.Next(3) == 0 ? "\n" : " ",
            Enumerable.Range(0, count).Select(i => vocabulary[random.Next(vocabulary.Length)] + (i % 17 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "")));
        _temp.Write("words/big.txt", Words(3000));
        for (var f = 0; f < 15; f++)
            _temp.Write($"words/small/{f:D2}.txt", Words(random.Next(5, 40)));
        var doomed = Path.Combine(_temp.Path, "words", "small", "07.txt");
        beforeProcessing = () => File.Delete(doomed);
        return new WordCountJobKind(new WordCountTuning(MaxFiles: 2, ChunkBytes: 400)).Prepare([Path.Combine(_temp.Path, "words"), "--top", "15"]);
    }

    /// <summary>Values of every sign and size (some near 1e300, so the statistics rescale), and more malformed rows than are kept.</summary>
    private string WriteCsv()
    {
        var random = new Random(5);
        var text = new StringBuilder("id,v\n");
        for (var i = 0; i < 3000; i++)
        {
            var value = random.Next(100) switch
            {
                0 => "abc",
                1 => "",
                2 => i == 1500 ? "1e300" : "-3e299",
                _ => (random.NextDouble() * 2000 - 500).ToString("R", CultureInfo.InvariantCulture),
            };
            text.Append(CultureInfo.InvariantCulture, $"{i},{value}\n");
        }
        return _temp.Write("data.csv", text.ToString());
    }

    private string WriteLines() =>
        _temp.Write("poem.txt", string.Join("\n", Enumerable.Range(0, 400).Select(i => $"line {i}: é{(i % 3 == 0 ? "" : " e\u0301!")}")) + "\n");

    private static IJobKind LoadReverseLines()
    {
        var registry = new JobKindRegistry();
        Assert.Empty(registry.LoadPlugins(ExamplePlugins).Problems);
        Assert.True(registry.TryGet("reverse-lines", out var kind));
        return kind;
    }
}
