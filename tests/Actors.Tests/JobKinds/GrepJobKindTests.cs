using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Grep;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class GrepJobKindTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public GrepJobKindTests()
    {
        _root = Path.Combine(_temp.Path, "tree");
        var big = new StringBuilder();
        for (var i = 1; i <= 9000; i++)
            big.Append(i % 97 == 0 ? $"ERROR {i} disk full\n" : $"info {i} all well\n");
        _temp.Write("tree/logs/app.log", big.ToString());
        _temp.Write("tree/logs/a/b.log", "ERROR 1 in a/b\nnothing\nERROR 2 in a/b");
        _temp.Write("tree/logs/a-c.log", "error 3 lower case\nERROR 4 upper\n");
        _temp.Write("tree/logs/B.txt", "ERROR 5 in a txt file\n");
        _temp.Write("tree/logs/.hidden.log", "ERROR 6 hidden\n");
        _temp.Write("tree/logs/win.log", "ERROR 7 crlf\r\nplain\r\nERROR 8 crlf\r\n");
        _temp.Write("tree/logs/empty.log", "");
        _temp.Write("tree/logs/long.log", "ERROR 9 " + new string('x', 3000) + "\n");
        _temp.Write("tree/data.bin", [(byte)'E', (byte)'R', (byte)'R', 0, (byte)'O', (byte)'R', (byte)' ', (byte)'9']);
        _temp.Write("tree/readme.md", "Error 10 mixed case\nünïcödé ERROR 11\n");
        _temp.Write("tree/z/deep/er/still.log", "ERROR 12 deep\n");
        _temp.Write("tree/core.bin", [.. "ERROR 14 in a core dump\n"u8, 0, 0, (byte)'\n']);
        _temp.Write("tree/logs/latin1.log", [.. "caf"u8, 0xE9, .. " ERROR 15\nerror 15b\n"u8]);
        _temp.Write("tree/logs/mac.log", "ERROR 16 one\rERROR 17 same line\nERROR 18\n");
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>What grep should print and count, computed by <see cref="Reference"/>.</summary>
    private sealed record Expected(List<string> Lines, int Files, int BinaryMatching, int Matches);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// grep done the plain way, as <c>grep -rn</c> does it: every file in ordinal order of its relative path (links inside
    /// the tree not followed), lines split at '\n' only (a '\r' stays in the line), and a file with a NUL in its first
    /// 8 KiB or a line that is not UTF-8 reported as one "Binary file … matches" line when anything in it matches.
    /// </summary>
    private static Expected Reference(string root, string pattern, bool ignoreCase, string? glob)
    {
        var regex = new Regex(pattern, ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);
        var globRegex = glob is null ? null : new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*").Replace("\\?", ".") + "$");
        var files = Walk(root)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(rel => globRegex is null || globRegex.IsMatch(rel.Split('/')[^1]))
            .OrderBy(rel => rel, StringComparer.Ordinal)
            .ToList();
        var lines = new List<string>();
        int binaryMatching = 0, matches = 0;
        foreach (var rel in files)
        {
            var path = Path.Join(root, rel);
            var bytes = File.ReadAllBytes(path);
            var binary = bytes.Take(8192).Contains((byte)0);
            var found = new List<string>();
            var number = 0;
            foreach (var line in SplitLines(bytes))
            {
                number++;
                string text;
                try
                {
                    text = StrictUtf8.GetString(line);
                }
                catch (DecoderFallbackException)
                {
                    binary = true;
                    text = Encoding.UTF8.GetString(line);
                }
                if (!regex.IsMatch(text))
                    continue;
                matches++;
                found.Add($"{path}:{number}:{Cut(text)}");
            }
            if (!binary)
                lines.AddRange(found);
            else if (found.Count > 0)
            {
                binaryMatching++;
                lines.Add($"Binary file {path} matches");
            }
        }
        return new Expected(lines, files.Count, binaryMatching, matches);
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
                continue;
            if (entry is DirectoryInfo)
            {
                foreach (var file in Walk(entry.FullName))
                    yield return file;
            }
            else
                yield return entry.FullName;
        }
    }

    /// <summary>The file's lines, split at '\n' only, without the UTF-8 byte order mark; no empty last line after a final '\n'.</summary>
    private static IEnumerable<byte[]> SplitLines(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            yield return bytes[start..end];
            start = end + 1;
        }
    }

    /// <summary>At most 1,000 UTF-16 units and "…", one fewer when the 1,000th is the first half of a surrogate pair.</summary>
    private static string Cut(string line)
    {
        if (line.Length <= 1000)
            return line;
        return line[..(char.IsHighSurrogate(line[999]) ? 999 : 1000)] + "…";
    }

    /// <summary>Files per task, bytes per task, and the size of the ranges a larger file is searched in.</summary>
    public static TheoryData<int, long, long> Batchings => new()
    {
        { 1, 1, GrepTuning.DefaultRangeBytes },
        { 2, 300, 4096 },
        { 3, 1 << 20, 1000 },
        { 64, 8 << 20, GrepTuning.DefaultRangeBytes },
        { 64, 8 << 20, 64 << 10 },
    };

    [Theory]
    [MemberData(nameof(Batchings))]
    public async Task Finds_the_lines_a_single_threaded_scan_finds_in_file_then_line_order(int maxFiles, long maxBytes, long rangeBytes)
    {
        var kind = new GrepJobKind(new GrepTuning(maxFiles, maxBytes, rangeBytes));
        var run = await JobHarness.RunShuffledAsync(kind.Prepare([@"ERROR \d+", _root]), seed: maxFiles);
        var expected = Reference(_root, @"ERROR \d+", ignoreCase: false, glob: null);

        Assert.Equal(expected.Lines, run.Output.Lines);
        Assert.Equal(expected.Files.ToString(), run.Output.Get("files"));
        Assert.Equal(expected.Matches.ToString(), run.Output.Get("matches"));
        Assert.Equal(expected.BinaryMatching.ToString(), run.Output.Get("binary files matching"));
        Assert.Equal("2", run.Output.Get("binary files matching"));
        Assert.Equal("0", run.Output.Get("errors"));
        Assert.Equal(expected.Files, run.Counters["files"]);
        Assert.Equal(expected.Matches, run.Counters["matches"]);
        // The fixture holds lines that grep and a CRLF- or \r-splitting reader number differently.
        Assert.Contains($"{Path.Join(_root, "logs", "mac.log")}:2:ERROR 18", run.Output.Lines);
        Assert.Contains($"{Path.Join(_root, "logs", "win.log")}:3:ERROR 8 crlf\r", run.Output.Lines);
        var largeFileParts = (int)((new FileInfo(Path.Combine(_root, "logs", "app.log")).Length + rangeBytes - 1) / rangeBytes);
        if (maxFiles == 1)
            Assert.Equal(expected.Files - 1 + largeFileParts, run.Tasks);
    }

    [Fact]
    public async Task Orders_files_by_relative_path_with_slash_as_separator()
    {
        var run = await JobHarness.RunShuffledAsync(new GrepJobKind(new GrepTuning(1, 1)).Prepare(["ERROR [1-8] ", _root]));
        var files = run.Output.Lines.Select(l => Path.GetRelativePath(_root, l[..l.IndexOf(':')]).Replace('\\', '/')).Distinct();
        // "a-c.log" sorts before "a/b.log" because '-' < '/'; "B.txt" before both because 'B' < 'a'.
        Assert.Equal(["logs/.hidden.log", "logs/B.txt", "logs/a-c.log", "logs/a/b.log", "logs/win.log"], files);
    }

    [Fact]
    public async Task Glob_and_ignore_case_narrow_and_widen_the_search_as_a_reference_does()
    {
        var run = await JobHarness.RunShuffledAsync(new GrepJobKind(new GrepTuning(2, 1000)).Prepare(["error \\d+", _root, "--glob", "*.log", "--ignore-case"]));
        var (lines, files, binaryMatching, _) = Reference(_root, "error \\d+", ignoreCase: true, glob: "*.log");
        Assert.Equal(lines, run.Output.Lines);
        Assert.Equal(1, binaryMatching); // latin1.log: not UTF-8
        Assert.Contains(lines, l => l.Contains(":1:error 3 lower case"));
        Assert.DoesNotContain(lines, l => l.Contains("B.txt"));
        Assert.Equal(files.ToString(), run.Output.Get("files"));
    }

    [Fact]
    public async Task Searches_a_single_file_given_as_path_keeping_the_carriage_return_of_crlf_lines()
    {
        var file = Path.Combine(_root, "logs", "win.log");
        var run = await JobHarness.RunShuffledAsync(new GrepJobKind().Prepare(["crlf", file]));
        Assert.Equal([$"{file}:1:ERROR 7 crlf\r", $"{file}:3:ERROR 8 crlf\r"], run.Output.Lines);
    }

    private async Task<JobOutput> GrepAsync(string pattern, string path, GrepTuning? tuning = null) =>
        (await JobHarness.RunShuffledAsync(new GrepJobKind(tuning ?? GrepTuning.Default).Prepare([pattern, path]))).Output;

    [Fact]
    public async Task A_lone_carriage_return_is_text_so_later_lines_keep_greps_numbers()
    {
        // printf 'foo\rbar\nbaz ERROR\n' | grep -n ERROR prints 2:baz ERROR.
        var file = _temp.Write("edge/cr.log", "foo\rbar\nbaz ERROR\nbar\r\n");
        Assert.Equal([$"{file}:2:baz ERROR"], (await GrepAsync("ERROR", file)).Lines);
        Assert.Equal([$"{file}:1:foo\rbar", $"{file}:3:bar\r"], (await GrepAsync("bar", file)).Lines);
    }

    [Fact]
    public async Task A_dollar_does_not_match_before_the_carriage_return_of_a_crlf_line()
    {
        var file = _temp.Write("edge/crlf.log", "first ERROR\r\nsecond ERROR\nthird ERROR\r\n");
        var output = await GrepAsync("ERROR$", file);
        Assert.Equal([$"{file}:2:second ERROR"], output.Lines);
        Assert.Equal("1", output.Get("matches"));
        Assert.Equal([$"{file}:1:first ERROR\r", $"{file}:3:third ERROR\r"], (await GrepAsync("ERROR\r$", file)).Lines);
    }

    [Fact]
    public async Task Links_inside_the_tree_are_not_followed_so_a_linked_file_is_counted_once()
    {
        var tree = Path.Combine(_temp.Path, "linked");
        var real = _temp.Write("linked/real.log", "ERROR once\n");
        _temp.Write("elsewhere/other.log", "ERROR outside the tree\n");
        File.CreateSymbolicLink(Path.Combine(tree, "alias.log"), real);
        Directory.CreateSymbolicLink(Path.Combine(tree, "dir-alias"), Path.Combine(_temp.Path, "elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(tree, "loop"), tree);

        var output = await GrepAsync("ERROR", tree);

        Assert.Equal([$"{real}:1:ERROR once"], output.Lines);
        Assert.Equal(("1", "1"), (output.Get("files"), output.Get("matches")));
        // A link given as PATH itself is followed, as grep -r follows the links on its command line.
        var alias = Path.Combine(tree, "alias.log");
        Assert.Equal([$"{alias}:1:ERROR once"], (await GrepAsync("ERROR", alias)).Lines);
    }

    [Fact]
    public async Task A_file_that_is_not_valid_utf8_is_a_binary_file_that_matches_and_none_of_its_lines_are_printed()
    {
        var latin1 = _temp.Write("edge/latin1.log", [.. "ERROR before\n"u8, .. "caf"u8, 0xE9, .. " ERROR\nERROR after\n"u8]);
        var quiet = _temp.Write("edge/quiet.bin", [0xFF, 0xFE, .. "nothing to see\n"u8]);

        var output = await GrepAsync("ERROR", Path.Combine(_temp.Path, "edge"));

        Assert.Equal([$"Binary file {latin1} matches"], output.Lines);
        Assert.DoesNotContain(output.Lines, l => l.Contains('\uFFFD'));
        Assert.Equal(("2", "3", "1"), (output.Get("files"), output.Get("matches"), output.Get("binary files matching")));
        Assert.Equal([$"Binary file {quiet} matches"], (await GrepAsync("nothing", quiet)).Lines);
    }

    [Fact]
    public async Task A_file_searched_in_ranges_is_binary_when_any_range_holds_a_line_that_is_not_utf8()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
            text.Append(CultureInfo.InvariantCulture, $"ERROR {i} fine\n");
        var file = _temp.Write("edge/late.log", [.. Encoding.UTF8.GetBytes(text.ToString()), 0xC3, 0x28, .. "\n"u8]);

        var output = await GrepAsync("ERROR", file, new GrepTuning(64, 1 << 20, RangeBytes: 256));

        Assert.Equal([$"Binary file {file} matches"], output.Lines);
        Assert.Equal("200", output.Get("matches"));
    }

    [Fact]
    public async Task A_long_line_is_cut_before_a_surrogate_pair_that_straddles_the_limit()
    {
        // "ERROR " and 993 x: the emoji's high surrogate is the 1,000th UTF-16 unit.
        var line = "ERROR " + new string('x', 993) + "😀" + new string('y', 50);
        var file = _temp.Write("edge/emoji.log", line + "\n");

        var text = Assert.Single((await GrepAsync("ERROR", file)).Lines)[(file.Length + 3)..];

        Assert.Equal(line[..999] + "…", text);
        Assert.Equal(text.Length, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)).Length);
        Assert.DoesNotContain(text, char.IsSurrogate);
        // A pair that ends at the limit is kept whole.
        Assert.Equal(line[..998] + "😀…", GrepJob.Cut(line[..998] + "😀tail"));
    }

    public static TheoryData<long> RangeSizes => [1, 2, 3, 5, 8, 13, 64, 100, 1000];

    [Theory]
    [MemberData(nameof(RangeSizes))]
    public async Task A_file_searched_in_ranges_of_any_size_numbers_its_lines_as_one_search_does(long rangeBytes)
    {
        var text = new StringBuilder("\uFEFFERROR at the start\n\n");
        for (var i = 0; i < 40; i++)
            text.Append(i % 3 == 0 ? $"ERROR {i} ü€😀\r\n" : i % 7 == 0 ? "\n" : $"fine {i}\n");
        text.Append("ERROR " + new string('z', 1500) + "\nlast ERROR without newline");
        var file = _temp.Write("edge/ranges.log", text.ToString());

        var whole = await GrepAsync("ERROR", file);
        var ranged = await JobHarness.RunShuffledAsync(new GrepJobKind(new GrepTuning(64, 1 << 20, rangeBytes)).Prepare(["ERROR", file]), seed: (int)rangeBytes);

        Assert.Equal(Reference(Path.Combine(_temp.Path, "edge"), "ERROR", ignoreCase: false, glob: "ranges.log").Lines, whole.Lines);
        Assert.Equal(whole.Lines, ranged.Output.Lines);
        Assert.Equal(whole.Get("matches"), ranged.Output.Get("matches"));
        Assert.Equal(("1", "0"), (ranged.Output.Get("files"), ranged.Output.Get("errors")));
        Assert.Equal((new FileInfo(file).Length + rangeBytes - 1) / rangeBytes, ranged.Tasks);
    }

    [Fact]
    public async Task A_partial_result_of_a_file_in_ranges_numbers_no_line_after_a_missing_range()
    {
        var text = string.Concat(Enumerable.Range(1, 100).Select(i => $"ERROR {i}\n"));
        var file = _temp.Write("edge/partial.log", text);
        var job = new GrepJobKind(new GrepTuning(64, 1 << 20, RangeBytes: 100)).Prepare(["ERROR", file]);

        var output = await JobHarness.RunPartialAsync(job, i => i != 2);

        var numbers = output.Lines.Select(l => l[(file.Length + 1)..l.IndexOf(':', file.Length + 1)]).ToList();
        Assert.Contains("?", numbers);
        Assert.Equal(Enumerable.Range(1, numbers.IndexOf("?")).Select(i => i.ToString(CultureInfo.InvariantCulture)), numbers.TakeWhile(n => n != "?"));
        Assert.All(numbers.SkipWhile(n => n != "?"), n => Assert.Equal("?", n));
    }

    [Fact]
    public async Task Cuts_very_long_matching_lines()
    {
        var run = await JobHarness.RunShuffledAsync(new GrepJobKind().Prepare(["ERROR 9 x", _root]));
        var line = Assert.Single(run.Output.Lines);
        Assert.EndsWith(new string('x', 10) + "…", line);
        Assert.Equal(GrepJob.MaxTextLength + 1, line[(line.IndexOf(":1:", StringComparison.Ordinal) + 3)..].Length);
    }

    [Fact]
    public async Task A_file_that_vanished_before_its_task_ran_is_an_error_not_a_failure()
    {
        var job = new GrepJobKind(new GrepTuning(64, 1 << 20)).Prepare(["ERROR", _root]);
        var tasks = job.Split(CancellationToken.None).ToList();
        File.Delete(Path.Combine(_root, "logs", "B.txt"));
        var reducer = job.CreateReducer();
        for (var i = 0; i < tasks.Count; i++)
            reducer.Add(i, await job.ProcessAsync(tasks[i], new TaskContext(CancellationToken.None)));
        var output = reducer.Complete();

        Assert.Equal("1", output.Get("errors"));
        var error = Assert.Single(output.Lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(Path.Join(_root, "logs", "B.txt"), error);
        Assert.Contains(output.Lines, l => l.Contains("ERROR 12 deep"));
    }

    [Fact]
    public async Task A_partial_result_keeps_file_order_for_the_tasks_that_arrived()
    {
        var job = new GrepJobKind(new GrepTuning(1, 1)).Prepare([@"ERROR \d+", _root]);
        var full = await JobHarness.RunShuffledAsync(job);
        var partial = await JobHarness.RunPartialAsync(job, i => i % 2 == 0);
        Assert.NotEmpty(partial.Lines);
        Assert.True(partial.Lines.Count < full.Output.Lines.Count);
        var positions = partial.Lines.Select(l => full.Output.Lines.ToList().IndexOf(l)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [Fact]
    public async Task A_fifo_in_the_tree_is_not_opened_so_it_cannot_block_the_task()
    {
        Assert.Equal(0, mkfifo(Path.Combine(_root, "logs", "pipe.log"), 0x1B6));
        var job = new GrepJobKind().Prepare(["ERROR 12 deep", _root]);
        var run = await Task.Run(() => JobHarness.RunShuffledAsync(job)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(run.Output.Lines);
        Assert.Equal("0", run.Output.Get("errors"));
    }

    [Fact]
    public async Task A_cancelled_task_stops_with_operation_cancelled()
    {
        var job = new GrepJobKind().Prepare(["ERROR", _root]);
        var task = job.Split(CancellationToken.None).First();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await job.ProcessAsync(task, new TaskContext(cancel.Token)));
    }

    [Fact]
    public void A_bad_regex_is_rejected_at_prepare_naming_pattern_and_the_regex_error()
    {
        var error = Assert.Throws<JobArgumentException>(() => new GrepJobKind().Prepare(["(unclosed", _root]));
        Assert.Equal("PATTERN", error.Argument);
        Assert.Contains("Not enough )", error.Message);
        Assert.Contains("(unclosed", error.Message);
    }

    [Theory]
    [InlineData(new[] { "x" }, "PATH")]
    [InlineData(new string[0], "PATTERN")]
    [InlineData(new[] { "x", "ROOT/missing" }, "PATH")]
    [InlineData(new[] { "x", "ROOT", "--glob" }, "--glob")]
    [InlineData(new[] { "x", "ROOT", "--glob", "a/*.log" }, "--glob")]
    [InlineData(new[] { "x", "ROOT", "--ignore-case=yes" }, "--ignore-case")]
    [InlineData(new[] { "x", "ROOT", "--recursive" }, "--recursive")]
    [InlineData(new[] { "x", "ROOT", "extra" }, "extra")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument)
    {
        var resolved = arguments.Select(a => a.Replace("ROOT", _root)).ToArray();
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => new GrepJobKind().Prepare(resolved)).Argument);
    }

    [Fact]
    public async Task A_pattern_that_starts_with_dashes_can_follow_a_double_dash()
    {
        _temp.Write("tree/flags.txt", "use --force here\nnot here\n");
        var run = await JobHarness.RunShuffledAsync(new GrepJobKind().Prepare(["--glob", "flags.txt", "--", "--force", _root]));
        Assert.Equal([$"{Path.Join(_root, "flags.txt")}:1:use --force here"], run.Output.Lines);
    }
}
