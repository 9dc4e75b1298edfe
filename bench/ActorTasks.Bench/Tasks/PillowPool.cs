using System.Diagnostics;
using System.Globalization;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// The baseline of the images benchmark: Python's <c>multiprocessing.Pool(2)</c> mapping Pillow over the same files with
/// the same transform (open, resize to the size asked with bicubic, <c>ImageEnhance.Brightness</c>, save as PNG at the
/// same relative path), timed around the map alone (the pool is started and its workers have imported Pillow first).
/// </summary>
internal static class PillowPool
{
    private const string Script = """
        import multiprocessing, os, sys, time
        from PIL import Image, ImageEnhance

        SRC, OUT, W, H, F = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])

        def process(rel):
            with Image.open(os.path.join(SRC, rel)) as im:
                im = im.convert("RGB").resize((W, H), Image.BICUBIC)
                im = ImageEnhance.Brightness(im).enhance(F)
                target = os.path.join(OUT, os.path.splitext(rel)[0] + ".png")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                im.save(target)
                return os.path.getsize(target)

        if __name__ == "__main__":
            runs = int(sys.argv[6])
            files = sorted(os.path.relpath(os.path.join(d, f), SRC) for d, _, fs in os.walk(SRC) for f in fs if f.endswith(".jpg"))
            with multiprocessing.Pool(2) as pool:
                pool.map(process, files[:2], chunksize=1)
                for _ in range(runs):
                    start = time.perf_counter()
                    sizes = pool.map(process, files, chunksize=1)
                    seconds = time.perf_counter() - start
                    print("RATE", len(files) / seconds, sum(sizes), flush=True)
        """;

    /// <summary>A Python with Pillow, "python (Pillow x.y)" to show, or null with the reason there is none.</summary>
    public static (string Python, string Shown)? Find(out string? reason)
    {
        reason = null;
        // Debian's python3 first: python3-pil installs Pillow for it, not for a pyenv python3 that may be first on PATH.
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            if (Probe(python) is { } shown) return (python, shown);
        }
        if (File.Exists("/usr/bin/apt-get"))
        {
            Console.WriteLine("Pillow not found: installing Debian's python3-pil (apt-get install -y python3-pil)");
            if (Run("/usr/bin/apt-get", "install", "-y", "-q", "python3-pil") == 0 && Probe("/usr/bin/python3") is { } installed)
                return ("/usr/bin/python3", installed);
        }
        reason = "no python3 with Pillow (and python3-pil could not be installed)";
        return null;
    }

    /// <summary>Images per second of each of <paramref name="runs"/> maps over the JPEGs under <paramref name="source"/>, and the PNG bytes written.</summary>
    public static async Task<List<(double Rate, long Bytes)>> RunAsync(string python, string source, string output, int width, int height,
        double brightness, int runs)
    {
        var arguments = new object[] { source, output, width, height, brightness, runs }.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)!).ToList();
        var lines = await PythonPool.RunScriptAsync(python, "pillow", Script, arguments, runs);
        return [.. lines.Select(fields => (double.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture)))];
    }

    private static string? Probe(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "import sys, PIL; print('Python %d.%d.%d' % sys.version_info[:3], '(Pillow ' + PIL.__version__ + ')')" })
                info.ArgumentList.Add(a);
            using var process = Process.Start(info);
            if (process is null) return null;
            var shown = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? shown : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static int Run(string file, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(file) { UseShellExecute = false };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(info);
            if (process is null) return -1;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
