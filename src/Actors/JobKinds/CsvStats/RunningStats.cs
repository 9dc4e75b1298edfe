using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Count, mean and sum of squared deviations (M2), kept by Welford's update and merged by Chan et al.'s formula.</summary>
/// <remarks>
/// Merging two halves gives the statistics of the whole exactly in arithmetic, unlike averaging chunk means.
/// <para>
/// Mean and M2 are kept scaled by a power of two, 2^<see cref="Exponent"/>, the magnitude of the largest value seen,
/// so that every scaled value lies within (−2, 2): differences and squares then stay finite for any finite input,
/// where plain Welford overflows (values near 1e200 square past double's range; 1e308 − (−1e308) is already
/// infinite). Rescaling by a power of two is exact.
/// </para>
/// </remarks>
internal struct RunningStats
{
    public long Count;

    /// <summary>The mean divided by 2^<see cref="Exponent"/>.</summary>
    public double ScaledMean;

    /// <summary>M2 divided by 2^(2·<see cref="Exponent"/>).</summary>
    public double ScaledM2;

    /// <summary>The scale's exponent: the binary exponent of the largest magnitude seen (0 until a nonzero value).</summary>
    public int Exponent;

    public double Min;
    public double Max;

    public RunningStats()
    {
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    /// <summary>The mean of the values added.</summary>
    public readonly double Mean => Count == 0 ? double.NaN : Math.ScaleB(ScaledMean, Exponent);

    /// <summary>The sample standard deviation (divisor n − 1); NaN for fewer than two values.</summary>
    public readonly double SampleStandardDeviation => Count < 2 ? double.NaN : Math.ScaleB(Math.Sqrt(ScaledM2 / (Count - 1)), Exponent);

    public void Add(double value)
    {
        if (value != 0 && Math.ILogB(value) > Exponent) Rescale(Math.ILogB(value));
        var scaled = Math.ScaleB(value, -Exponent);
        Count++;
        var delta = scaled - ScaledMean;
        ScaledMean += delta / Count;
        ScaledM2 += delta * (scaled - ScaledMean);
        if (value < Min)
            Min = value;
        if (value > Max)
            Max = value;
    }

    public void Merge(in RunningStats other)
    {
        if (other.Count == 0)
            return;
        if (Count == 0)
        {
            this = other;
            return;
        }
        var theirs = other;
        if (theirs.Exponent > Exponent) Rescale(theirs.Exponent);
        else if (Exponent > theirs.Exponent) theirs.Rescale(Exponent);
        var count = Count + theirs.Count;
        var delta = theirs.ScaledMean - ScaledMean;
        ScaledMean += delta * theirs.Count / count;
        ScaledM2 += theirs.ScaledM2 + delta * delta * ((double)Count * theirs.Count / count);
        Count = count;
        Min = Math.Min(Min, theirs.Min);
        Max = Math.Max(Max, theirs.Max);
    }

    /// <summary>Writes the statistics exactly: varint count, zigzag varint exponent, then scaled mean, scaled M2, min and max as doubles.</summary>
    public readonly void Write(PayloadWriter writer)
    {
        writer.WriteVarUInt64((ulong)Count);
        writer.WriteVarUInt64((ulong)((Exponent << 1) ^ (Exponent >> 31)));
        writer.WriteDouble(ScaledMean);
        writer.WriteDouble(ScaledM2);
        writer.WriteDouble(Min);
        writer.WriteDouble(Max);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; <paramref name="what"/> names the payload in the error.</summary>
    public static RunningStats Read(ref PayloadReader reader, string what)
    {
        var stats = new RunningStats { Count = (long)reader.ReadVarUInt64() };
        var zigzag = reader.ReadVarUInt64();
        if (zigzag > 4096) throw new InvalidDataException($"malformed {what} payload: scale exponent field {zigzag} is out of range");
        stats.Exponent = (int)(zigzag >> 1) ^ -(int)(zigzag & 1);
        stats.ScaledMean = reader.ReadDouble();
        stats.ScaledM2 = reader.ReadDouble();
        stats.Min = reader.ReadDouble();
        stats.Max = reader.ReadDouble();
        return stats;
    }

    private void Rescale(int exponent)
    {
        var shift = exponent - Exponent;
        ScaledMean = Math.ScaleB(ScaledMean, -shift);
        ScaledM2 = Math.ScaleB(ScaledM2, -2 * shift);
        Exponent = exponent;
    }
}
