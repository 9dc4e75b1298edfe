using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Hocon.Tests;

/// <summary>
/// Random mutations of the corpus (byte flips, truncations, duplicated and deleted tokens, inserted
/// syntax): every input either parses or throws ConfigException, within a time bound.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 3000;
    private const int Seed = 20240611;
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2);
    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes("{}[]\",:=+$?#/\\\n \t.0-e\"\"\"");
    private static readonly string[] Snippets = ["${", "${?", "}", "{", "[", "]", "\"\"\"", "include ", "include \"test01\"", "+=", "//", "\n", ",", ".", "${a.b}", "required(", "file(\"", "\uFEFF", "\u00A0", "1e999", "-", "null", "true"];

    [Fact]
    public async Task Mutated_corpus_files_parse_or_fail_with_config_exception_within_the_time_bound()
    {
        var files = Directory.GetFiles(Corpus.Directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".conf") || f.EndsWith(".json") || f.EndsWith(".properties"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path: f, Bytes: File.ReadAllBytes(f)))
            .ToArray();
        var random = new Random(Seed);
        var parsed = 0;
        var rejected = 0;
        var failures = new List<string>();

        for (var i = 0; i < Iterations && failures.Count < 5; i++)
        {
            var (path, original) = files[random.Next(files.Length)];
            var input = Mutate(original, random);
            Exception? result;
            try
            {
                result = await Task.Run(() => Run(input, path)).WaitAsync(PerInputBound);
            }
            catch (TimeoutException)
            {
                failures.Add($"#{i} {Path.GetFileName(path)}: no result within {PerInputBound.TotalSeconds}s; input (base64): {Convert.ToBase64String(input)}");
                continue;
            }
            switch (result)
            {
                case null:
                    parsed++;
                    break;
                case ConfigException:
                    rejected++;
                    break;
                case var other:
                    failures.Add($"#{i} {Path.GetFileName(path)}: {other.GetType().Name}: {other.Message}\n{other.StackTrace}\ninput (base64): {Convert.ToBase64String(input)}");
                    break;
            }
        }

        output.WriteLine($"{Iterations} mutations: {parsed} parsed, {rejected} rejected with ConfigException");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(parsed > Iterations / 20, $"expected some mutations to still parse, {parsed} did");
        Assert.True(rejected > Iterations / 20, $"expected some mutations to be rejected, {rejected} were");
    }

    /// <summary>Parses, resolves and renders; returns the exception thrown, if any.</summary>
    private static Exception? Run(byte[] input, string path)
    {
        try
        {
            var options = new ConfigParseOptions { OriginName = Path.GetFileName(path), BaseDirectory = Path.GetDirectoryName(path) };
            var config = ConfigFactory.ParseBytes(input, options).Resolve(new ConfigResolveOptions { UseEnvironment = false });
            ConfigFactory.ParseString(config.ToHocon());
            _ = config.ToJson();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var count = 1 + random.Next(3);
        for (var m = 0; m < count; m++)
        {
            if (bytes.Count == 0)
                bytes.AddRange(Encoding.UTF8.GetBytes(Snippets[random.Next(Snippets.Length)]));
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: // flip bits of one byte
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // replace a byte with a syntax character
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3: // duplicate a token
                {
                    var (start, length) = Token(bytes, at);
                    bytes.InsertRange(start, bytes.GetRange(start, length));
                    break;
                }
                case 4: // delete a token
                {
                    var (start, length) = Token(bytes, at);
                    bytes.RemoveRange(start, length);
                    break;
                }
                case 5: // insert a snippet of syntax
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Snippets[random.Next(Snippets.Length)]));
                    break;
                default: // repeat a span many times (deep nesting, long lines)
                {
                    var (start, length) = Token(bytes, at);
                    var span = bytes.GetRange(start, Math.Min(length, 64));
                    var times = random.Next(2, 2000);
                    bytes.InsertRange(start, Enumerable.Repeat(span, times).SelectMany(b => b).ToArray());
                    break;
                }
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The run of bytes of the same class (word, space or punctuation) around a position.</summary>
    private static (int Start, int Length) Token(List<byte> bytes, int at)
    {
        static int Class(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' ? 0
            : char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' || b > 127 ? 1 : 2;
        var c = Class(bytes[at]);
        var start = at;
        var end = at + 1;
        if (c != 2)
        {
            while (start > 0 && Class(bytes[start - 1]) == c)
                start--;
            while (end < bytes.Count && Class(bytes[end]) == c)
                end++;
        }
        return (start, end - start);
    }
}
