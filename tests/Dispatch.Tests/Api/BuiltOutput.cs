namespace Dispatch.Tests.Api;

/// <summary>The repository and the solution's build output, for tests that run the silo or the CLI as processes.</summary>
public static class BuiltOutput
{
    /// <summary>The folder holding Dispatch.sln, above the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Dispatch.sln")))
            {
                root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Dispatch.sln not found above the test binaries.");
            }
            return root;
        }
    }

    /// <summary>A project's built assembly in the configuration the tests were built in (dotnet test builds the whole solution).</summary>
    public static string Assembly(string projectFolder, string fileName)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot, projectFolder, "bin", configuration, "net10.0", fileName);
        Assert.True(File.Exists(path), $"{fileName} is not built at {path} (dotnet test builds the whole solution).");
        return path;
    }
}
