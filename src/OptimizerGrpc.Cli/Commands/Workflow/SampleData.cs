namespace OptimizerGrpc.Cli.Commands.Workflow;

/// <summary>Finds samples/data from the working directory or the program's directory, walking up.</summary>
internal static class SampleData
{
    public static string Find(string fileName)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", "data", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new UsageException($"cannot find samples/data/{fileName} above the working directory; pass --data FILE");
    }
}
