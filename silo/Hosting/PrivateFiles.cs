namespace Dispatch.Silo.Hosting;

/// <summary>
/// The data folder and its secrets (databases, the operator token) readable by the service's own user only, from the
/// first byte: a file created wide open and narrowed afterwards can be opened by someone else in between.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder 0700, or narrows an existing one to 0700 (it holds nothing meant for others).</summary>
    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>
    /// Creates an empty file 0600 unless it exists, and narrows an existing one (and an SQLite file's -wal and -shm
    /// companions) to 0600. SQLite then opens the file as it is and gives its -wal and -shm files the same mode.
    /// </summary>
    public static void EnsureFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Made by an earlier start (perhaps by an older version, with the default mode): narrowed below.
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }

    /// <summary>Writes a new file that is 0600 from its creation; fails if the file exists.</summary>
    public static async Task WriteNewTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
