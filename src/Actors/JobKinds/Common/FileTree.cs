namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>What a walk over a tree yields: a file, or a place that could not be read.</summary>
internal abstract record TreeItem(string DisplayPath);

/// <summary>A file found under a job's PATH: where it is, how to show it, and its size when walked.</summary>
internal sealed record FileEntry(string FullPath, string DisplayPath, long Length) : TreeItem(DisplayPath);

/// <summary>A file or directory that could not be read during the walk, with the reason.</summary>
internal sealed record TreeError(string DisplayPath, string Message) : TreeItem(DisplayPath);

/// <summary>Walks files and directory trees lazily in a stable order: ordinal order of the path relative to the root, with '/' as separator.</summary>
/// <remarks>
/// Each directory's entries are sorted by name, a directory's name compared as "name/", and visited depth
/// first; that yields exactly the ordinal order of the relative paths without holding more than one
/// directory listing per level. Hidden files are included; symbolic links met inside the tree are not followed,
/// neither to directories (no cycles) nor to files (a file linked twice would be counted twice), as <c>grep -r</c>
/// does; a root that is a link is followed. Unreadable directories become <see cref="TreeError"/>s, never exceptions.
/// </remarks>
internal static class FileTree
{
    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>True when <paramref name="path"/> is an existing file or directory.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>Yields the files under <paramref name="root"/> (or <paramref name="root"/> itself when it is a file) that <paramref name="include"/> accepts by name.</summary>
    public static IEnumerable<TreeItem> Walk(string root, Func<string, bool> include, CancellationToken cancellationToken)
    {
        if (File.Exists(root))
        {
            yield return new FileEntry(Path.GetFullPath(root), root, LengthOf(new FileInfo(root)));
            yield break;
        }

        var pending = new Stack<IEnumerator<(FileSystemInfo Info, string Display)>>();
        pending.Push(List(new DirectoryInfo(root), root, out var rootError).GetEnumerator());
        if (rootError is not null)
            yield return rootError;

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = pending.Peek();
            if (!current.MoveNext())
            {
                current.Dispose();
                pending.Pop();
                continue;
            }

            var (info, display) = current.Current;
            if (info is DirectoryInfo directory)
            {
                pending.Push(List(directory, display, out var error).GetEnumerator());
                if (error is not null)
                    yield return error;
            }
            else if (include(info.Name))
            {
                yield return new FileEntry(info.FullName, display, LengthOf((FileInfo)info));
            }
        }
    }

    private static List<(FileSystemInfo Info, string Display)> List(DirectoryInfo directory, string display, out TreeError? error)
    {
        error = null;
        var entries = new List<(FileSystemInfo Info, string Display, string Key)>();
        try
        {
            foreach (var info in directory.EnumerateFileSystemInfos("*", ListOptions))
            {
                if (info.LinkTarget is not null)
                    continue;
                var key = info is DirectoryInfo ? info.Name + "/" : info.Name;
                entries.Add((info, Path.Join(display, info.Name), key));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            error = new TreeError(display, e.Message);
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries.ConvertAll(e => (e.Info, e.Display));
    }

    private static long LengthOf(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file vanished or cannot be stat'ed; the task that reads it reports why.
            return 0;
        }
    }
}
