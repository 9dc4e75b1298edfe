using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Primes;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class PrimesJobKindTests
{
    private readonly PrimesJobKind _kind = new();

    /// <summary>Deterministic Miller–Rabin for 64-bit n: an algorithm unrelated to the sieve under test.</summary>
    private static bool IsPrime(ulong n)
    {
        if (n < 2)
            return false;
        ulong[] bases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
        foreach (var p in bases)
        {
            if (n % p == 0)
                return n == p;
        }
        var d = n - 1;
        var s = 0;
        while ((d & 1) == 0)
        {
            d >>= 1;
            s++;
        }
        foreach (var a in bases)
        {
            var x = PowMod(a, d, n);
            if (x == 1 || x == n - 1)
                continue;
            var composite = true;
            for (var r = 1; r < s && composite; r++)
            {
                x = (ulong)((UInt128)x * x % n);
                composite = x != n - 1;
            }
            if (composite)
                return false;
        }
        return true;
    }

    private static ulong PowMod(ulong b, ulong e, ulong m)
    {
        UInt128 result = 1, x = b % m;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
                result = result * x % m;
            x = x * x % m;
        }
        return (ulong)result;
    }

    private static (string Count, string Sum, string Largest) Reference(long from, long to)
    {
        long count = 0;
        ulong sum = 0;
        long largest = -1;
        for (var n = from; n < to; n++)
        {
            if (!IsPrime((ulong)n))
                continue;
            count++;
            sum = unchecked(sum + (ulong)n);
            largest = n;
        }
        return (count.ToString(), sum.ToString(), largest < 0 ? "none" : largest.ToString());
    }

    [Fact]
    public async Task Counts_the_primes_below_a_million_with_their_known_sum()
    {
        var run = await JobHarness.RunShuffledAsync(_kind.Prepare(["0", "1000000", "--chunk", "65536"]));
        Assert.Equal(16, run.Tasks);
        Assert.Equal("78498", run.Output.Get("count"));
        Assert.Equal("37550402023", run.Output.Get("sum mod 2^64"));
        Assert.Equal("999983", run.Output.Get("largest"));
    }

    [Theory]
    [InlineData(0, 2, 1)]
    [InlineData(2, 3, 1)]
    [InlineData(0, 100, 7)]
    [InlineData(1, 100, 1)]
    [InlineData(4, 5, 1)]
    [InlineData(89, 97, 3)]
    [InlineData(999_000, 1_001_000, 777)]
    [InlineData(1_000_000_000_000, 1_000_000_004_000, 999)]
    [InlineData(999_999_999_999_000, 1_000_000_000_000_000, 100)]
    public async Task Agrees_with_a_miller_rabin_reference(long from, long to, long chunk)
    {
        var run = await JobHarness.RunShuffledAsync(_kind.Prepare([from.ToString(), to.ToString(), "--chunk", chunk.ToString()]));
        var (count, sum, largest) = Reference(from, to);
        Assert.Equal(count, run.Output.Get("count"));
        Assert.Equal(sum, run.Output.Get("sum mod 2^64"));
        Assert.Equal(largest, run.Output.Get("largest"));
    }

    [Fact]
    public void Splits_lazily_into_chunks_that_cover_the_range()
    {
        var job = _kind.Prepare(["5", "1e15", "--chunk", "1"]);
        Assert.Equal(4, job.Split(CancellationToken.None).Take(4).Count());
    }

    [Theory]
    [InlineData(new[] { "10", "10" }, "TO")]
    [InlineData(new[] { "10", "5" }, "TO")]
    [InlineData(new[] { "-1", "5" }, "FROM")]
    [InlineData(new[] { "x", "5" }, "FROM")]
    [InlineData(new[] { "0", "2e15" }, "TO")]
    [InlineData(new[] { "0", "100", "--chunk", "0" }, "--chunk")]
    [InlineData(new[] { "0", "100", "--chunk", "1.5" }, "--chunk")]
    [InlineData(new[] { "0" }, "TO")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument) =>
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => _kind.Prepare(arguments)).Argument);
}
