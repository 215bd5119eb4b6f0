namespace DurableFlow.Tests.Infra;

/// <summary>Locates files of the repository from the test output directory.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds Functions.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>An absolute path for a repository-relative path written with forward slashes.</summary>
    public static string Of(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Functions.sln above {AppContext.BaseDirectory}: the tests must run from a build inside the repository.");
    }
}
