namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Count, mean and sum of squared deviations (M2), kept by Welford's update and merged by Chan et al.'s formula.</summary>
/// <remarks>Merging two halves gives the statistics of the whole exactly in arithmetic, unlike averaging chunk means.</remarks>
internal struct RunningStats
{
    public long Count;
    public double Mean;
    public double M2;
    public double Min;
    public double Max;

    public RunningStats()
    {
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        M2 += delta * (value - Mean);
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
        var count = Count + other.Count;
        var delta = other.Mean - Mean;
        Mean += delta * other.Count / count;
        M2 += other.M2 + delta * delta * ((double)Count * other.Count / count);
        Count = count;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The sample standard deviation (divisor n − 1); NaN for fewer than two values.</summary>
    public readonly double SampleStandardDeviation => Count < 2 ? double.NaN : Math.Sqrt(M2 / (Count - 1));
}
