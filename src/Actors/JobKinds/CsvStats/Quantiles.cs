namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Quantiles of sorted values.</summary>
internal static class Quantiles
{
    /// <summary>The <paramref name="p"/>-quantile of ascending <paramref name="sorted"/> values by linear interpolation between closest ranks.</summary>
    /// <remarks>
    /// This is numpy's default method "linear" (Hyndman and Fan's type 7): h = (n − 1)·p, and the result
    /// lies between the values of rank ⌊h⌋ and ⌊h⌋ + 1 at fraction h − ⌊h⌋, computed as a + (b − a)·t.
    /// The median is p = 0.5, so for an even count it is the midpoint of the two middle values.
    /// </remarks>
    public static double Linear(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
            return double.NaN;
        var h = (sorted.Count - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Count - 1);
        var fraction = h - low;
        var a = sorted[low];
        if (fraction == 0) return a;
        var b = sorted[high];
        // b − a overflows for values of opposite sign near double's limits; the weighted sum cannot.
        var span = b - a;
        return double.IsFinite(span) ? a + span * fraction : a * (1 - fraction) + b * fraction;
    }
}
