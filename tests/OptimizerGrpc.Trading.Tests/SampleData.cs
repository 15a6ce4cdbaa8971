namespace OptimizerGrpc.Trading.Tests;

/// <summary>Finds files in the repository's samples/data folder from the test output directory.</summary>
internal static class SampleData
{
    public static string PathOf(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"samples/data/{fileName} not found above {AppContext.BaseDirectory}.");
    }
}
