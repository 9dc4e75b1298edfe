using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;
using ActorTasks.Tasks.JobKinds.CsvStats;

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>Keeps each image written by its task index; at the end, totals, the median and 95th percentile time per image, and a line per image in walk order.</summary>
/// <remarks>
/// Saved state: version 1, then the results by task index in <see cref="ImageResult"/>'s encoding (see
/// <see cref="ReducerState.SaveResults"/>): the percentiles need every time, so the state is the results themselves.
/// </remarks>
internal sealed class ImagesReducer : IResumableReducer
{
    private readonly SortedDictionary<long, ImageResult> _results = [];

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        if (!_results.TryAdd(taskIndex, ImageResult.Decode(result.Span)))
            throw new InvalidOperationException($"images result for task {taskIndex} was added twice");
    }

    public JobOutput Complete()
    {
        var inv = CultureInfo.InvariantCulture;
        var milliseconds = _results.Values.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        string Ms(double p) => milliseconds.Count == 0 ? "-" : Quantiles.Linear(milliseconds, p).ToString("0.0", inv);
        var lines = _results.Values.Select(r => string.Create(inv,
            $"{r.Relative} -> {r.Output}  {r.InputWidth}x{r.InputHeight} -> {r.Width}x{r.Height}  {r.BytesIn} -> {r.BytesOut} bytes  {r.Elapsed.TotalMilliseconds:0.0} ms"));
        return new JobOutput(
            [
                new("images written", _results.Count.ToString(inv)),
                new("bytes in", _results.Values.Sum(r => r.BytesIn).ToString(inv)),
                new("bytes out", _results.Values.Sum(r => r.BytesOut).ToString(inv)),
                new("median ms per image", Ms(0.5)),
                new("p95 ms per image", Ms(0.95)),
            ],
            [.. lines]);
    }

    public byte[] Save() => ReducerState.SaveResults(_results, r => r.Encode());

    public void Restore(ReadOnlySpan<byte> state)
    {
        ReducerState.EnsureFresh(_results.Count == 0, "images");
        // A result takes at least its index and its length (a byte each), two empty strings and seven varints.
        foreach (var (index, result) in ReducerState.ReadResults(state, "images", 11, ImageResult.Decode))
            _results.Add(index, result);
    }
}
