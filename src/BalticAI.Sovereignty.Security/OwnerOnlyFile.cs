namespace BalticAI.Sovereignty.Security;

/// <summary>Secrets on disk are created readable and writable by their owner only (0600) from the first byte.</summary>
public static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="content"/> to a new file at <paramref name="path"/>; keeps an existing file.</summary>
    /// <returns>false when another writer created the file first.</returns>
    public static bool TryCreate(string path, Action<Stream> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            content(stream);
        }
        try
        {
            // Rename, so that readers never see half a secret.
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }
}
