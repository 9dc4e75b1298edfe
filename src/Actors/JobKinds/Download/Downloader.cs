using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>What a download job was asked for: where files go, the politeness per host, retries, the timeout and the size limit.</summary>
internal sealed record DownloadOptions(string OutFolder, int PerHost, int Retries, TimeSpan Timeout, long MaxBytes);

/// <summary>
/// Retry pacing: the first backoff, the longest one, the longest Retry-After honoured (a server asking for more fails
/// the file), and how many redirects are followed.
/// </summary>
internal sealed record DownloadTuning(TimeSpan BackoffMin, TimeSpan BackoffMax, TimeSpan MaxRetryAfter, int MaxRedirects = 10)
{
    public static readonly DownloadTuning Default = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
}

/// <summary>
/// Downloads one file: streams the body into a temp file beside the target (<c>.NAME.part</c>), hashing it as it goes,
/// and renames it over the target once complete. Timeouts, connection errors, 429 and 5xx are retried with backoff
/// (honouring Retry-After); a partial file is resumed with a Range request, guarded by If-Range when the server gave a
/// validator, and started over when the server does not resume it.
/// </summary>
/// <remarks>
/// The temp file is locked while an attempt owns it, so a second run of the same task (the task system delivers at least
/// once) cannot write into it. It is deleted when the download fails for good or is cancelled; only a process that dies
/// leaves it, for the task's next run to resume.
/// </remarks>
internal sealed class Downloader(HttpClient client, DownloadOptions options, DownloadTuning tuning)
{
    private const int BufferBytes = 128 * 1024;

    public async Task<DownloadResult> DownloadAsync(DownloadTask task, TaskContext context)
    {
        var token = context.CancellationToken;
        var url = new Uri(task.Url);
        var target = Path.Combine(options.OutFolder, task.Target.Replace('/', Path.DirectorySeparatorChar));
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "." + Path.GetFileName(target) + ".part");
        var validatorFile = temp + ".validator";
        var file = new FileStream(temp, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous);
        var completed = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                token.ThrowIfCancellationRequested();
                RetryableDownloadException retry;
                try
                {
                    var done = await AttemptAsync(url, task, file, validatorFile, context).ConfigureAwait(false);
                    await file.FlushAsync(token).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                    // Renamed while still locked where the system allows it (not on Windows), so no other run can open it in between.
                    if (!OperatingSystem.IsWindows()) File.Move(temp, target, overwrite: true);
                    await file.DisposeAsync().ConfigureAwait(false);
                    if (OperatingSystem.IsWindows()) File.Move(temp, target, overwrite: true);
                    completed = true;
                    File.Delete(validatorFile);
                    context.Report("files", 1);
                    return done with { Attempts = attempt };
                }
                catch (RetryableDownloadException e)
                {
                    retry = e;
                }
                if (attempt > options.Retries)
                    throw Failed(task, $"{retry.Message}; gave up after {attempt} attempt{(attempt == 1 ? "" : "s")}");
                var delay = retry.RetryAfter ?? Backoff(attempt);
                if (delay > tuning.MaxRetryAfter)
                    throw Failed(task, $"{retry.Message}, and the server asks to retry after {delay.TotalSeconds:0} s, longer than the {tuning.MaxRetryAfter.TotalSeconds:0} s a download waits");
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!completed)
            {
                // Nothing half-written stays behind: only a process that dies leaves the temp file, to be resumed. Deleted
                // while still locked where the system allows it, so that it is this run's file that goes.
                if (OperatingSystem.IsWindows())
                {
                    await file.DisposeAsync().ConfigureAwait(false);
                    DeleteQuietly(temp);
                }
                else
                {
                    DeleteQuietly(temp);
                    await file.DisposeAsync().ConfigureAwait(false);
                }
                DeleteQuietly(validatorFile);
            }
        }
    }

    private async Task<DownloadResult> AttemptAsync(Uri url, DownloadTask task, FileStream file, string validatorFile, TaskContext context)
    {
        var token = context.CancellationToken;
        var existing = file.Length;
        var validator = existing > 0 ? ReadValidator(validatorFile) : null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(options.Timeout);
        using var response = await SendAsync(url, task, existing, validator, timeout.Token, token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        long offset = 0;
        if (status == 206 && existing > 0)
        {
            if (response.Content.Headers.ContentRange is not { From: { } from } || from != existing)
            {
                Restart(file, validatorFile);
                throw new RetryableDownloadException($"HTTP 206 with the range '{response.Content.Headers.ContentRange}' when bytes from {existing} were asked for; starting over", TimeSpan.Zero);
            }
            offset = existing;
        }
        else if (status == 416 && existing > 0)
        {
            Restart(file, validatorFile);
            throw new RetryableDownloadException("HTTP 416: the server does not resume the partial file; starting over", TimeSpan.Zero);
        }
        else if (status is >= 200 and < 300 && status != 206)
        {
            // A full body: a server without Range support (or whose file changed, by If-Range) starts the file over.
            Restart(file, validatorFile);
            WriteValidator(validatorFile, response);
        }
        else if (status is 429 or (>= 500 and < 600))
        {
            throw new RetryableDownloadException(StatusText(response), RetryAfter(response));
        }
        else
        {
            throw Failed(task, StatusText(response));
        }

        var length = response.Content.Headers.ContentLength;
        var announced = response.Content.Headers.ContentRange?.Length ?? offset + length;
        if (announced > options.MaxBytes)
            throw Failed(task, $"the file is {announced:N0} bytes, more than --max-bytes {options.MaxBytes:N0}");

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        long received = 0;
        try
        {
            if (offset > 0) await HashPrefixAsync(file, offset, sha, buffer, token).ConfigureAwait(false);
            file.Position = offset;
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNetworkFailure(e, token))
            {
                throw NetworkFailure(e, offset);
            }
            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    timeout.CancelAfter(options.Timeout);
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsNetworkFailure(e, token))
                    {
                        throw NetworkFailure(e, offset + received);
                    }
                    if (read == 0) break;
                    if (offset + received + read > options.MaxBytes)
                        throw Failed(task, $"the body goes on past --max-bytes {options.MaxBytes:N0}");
                    await file.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    sha.AppendData(buffer, 0, read);
                    received += read;
                    context.Report("bytes", read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (length is { } expected && received != expected)
            throw new RetryableDownloadException($"the body ended after {received:N0} of {expected:N0} bytes", null);
        return new DownloadResult(task.Url, task.Target, offset + received, Convert.ToHexStringLower(sha.GetHashAndReset()), status, 0, offset);

        RetryableDownloadException NetworkFailure(Exception e, long at) => e is OperationCanceledException
            ? new RetryableDownloadException($"no data for {options.Timeout.TotalSeconds:0.###} s after {at:N0} bytes", null)
            : new RetryableDownloadException($"the connection failed after {at:N0} bytes: {e.Message}", null);
    }

    // Follows redirects itself, so that one to another scheme (https to http, or to anything else) fails the file.
    private async Task<HttpResponseMessage> SendAsync(Uri url, DownloadTask task, long existing, string? validator, CancellationToken timeout, CancellationToken token)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (existing > 0)
            {
                request.Headers.Range = new RangeHeaderValue(existing, null);
                if (validator is not null) request.Headers.IfRange = RangeCondition(validator);
            }
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNetworkFailure(e, token))
            {
                throw e is OperationCanceledException
                    ? new RetryableDownloadException($"no response within {options.Timeout.TotalSeconds:0.###} s", null)
                    : new RetryableDownloadException($"the request failed: {e.Message}", null);
            }
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect))
                return response;
            var location = response.Headers.Location;
            var status = StatusText(response);
            response.Dispose();
            if (location is null) throw Failed(task, $"{status} without a Location to follow");
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (!string.Equals(next.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase))
                throw Failed(task, $"{status}: redirected to {next}, another scheme than {url.Scheme}; such redirects are refused");
            if (redirects == tuning.MaxRedirects) throw Failed(task, $"more than {tuning.MaxRedirects} redirects");
            current = next;
        }
    }

    private static bool IsNetworkFailure(Exception e, CancellationToken token) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !token.IsCancellationRequested);

    private TimeSpan Backoff(int attempt)
    {
        var full = Math.Min(tuning.BackoffMax.TotalMilliseconds, tuning.BackoffMin.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // Jitter, so that tasks failing together do not all come back at once.
        return TimeSpan.FromMilliseconds(full * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static void Restart(FileStream file, string validatorFile)
    {
        file.SetLength(0);
        DeleteQuietly(validatorFile);
    }

    private static async Task HashPrefixAsync(FileStream file, long length, IncrementalHash sha, byte[] buffer, CancellationToken token)
    {
        file.Position = 0;
        var left = length;
        while (left > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), token).ConfigureAwait(false);
            if (read == 0) throw new IOException($"{file.Name} ended after {length - left} of {length} bytes while it was being read");
            sha.AppendData(buffer, 0, read);
            left -= read;
        }
    }

    // If-Range takes a strong ETag or a date; a weak ETag cannot guard a range, so none is kept.
    private static void WriteValidator(string validatorFile, HttpResponseMessage response)
    {
        var text = response.Headers.ETag is { IsWeak: false } etag ? etag.ToString()
            : response.Content.Headers.LastModified is { } modified ? modified.ToString("R") : null;
        if (text is not null) File.WriteAllText(validatorFile, text);
    }

    private static string? ReadValidator(string validatorFile)
    {
        try
        {
            var text = File.ReadAllText(validatorFile).Trim();
            return RangeCondition(text) is null ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static RangeConditionHeaderValue? RangeCondition(string validator) =>
        validator.StartsWith('"') && EntityTagHeaderValue.TryParse(validator, out var etag) ? new RangeConditionHeaderValue(etag)
        : DateTimeOffset.TryParse(validator, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date) ? new RangeConditionHeaderValue(date)
        : null;

    private static string StatusText(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode}{(response.ReasonPhrase is { Length: > 0 } reason ? " " + reason : "")}";

    private static DownloadFailedException Failed(DownloadTask task, string message) => new($"{task.Url} (line {task.Line}): {message}");

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next run of the task starts it over.
        }
    }
}

/// <summary>An attempt that another one may fix: a timeout, a connection error, 429 or 5xx; <see cref="RetryAfter"/> is the server's wait when it gave one.</summary>
internal sealed class RetryableDownloadException(string message, TimeSpan? retryAfter) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
