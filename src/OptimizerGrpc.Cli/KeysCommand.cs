using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer keys create --id NAME --role ROLE [--studies LIST] [--file FILE]</c>: a new API key. The secret is
/// printed once, on the first line of stdout (so scripts can capture it); the keys file gets only its SHA-256.
/// </summary>
internal static class KeysCommand
{
    public static int Run(Options options)
    {
        if (options.Positionals is not ["create"])
        {
            throw new UsageException("expected 'optimizer keys create --id NAME --role ROLE [--studies LIST] [--file FILE]'");
        }

        string id = options.Get("id", "");
        if (!ApiKeyFile.IsValidId(id))
        {
            throw new UsageException("--id must be 1 to 64 letters, digits, '.', '_', '@' or '-' (the caller's name: owner of its studies)");
        }

        string role = options.Get("role", "");
        if (!Roles.IsKnown(role))
        {
            throw new UsageException($"--role must be one of {string.Join(", ", Roles.All)}");
        }

        string studies = options.Get("studies", "");
        try
        {
            StudyScope.Parse(studies);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--studies: {e.Message}");
        }

        string secret = ApiKey.NewSecret();
        string line = $"{id} {role} {ApiKey.HashText(secret)}{(studies.Length > 0 ? " studies=" + studies.Replace(" ", "", StringComparison.Ordinal) : "")}";
        Console.WriteLine(secret);
        if (options.Get("file", "") is { Length: > 0 } file)
        {
            bool fresh = !File.Exists(file);
            using (var writer = File.AppendText(file))
            {
                if (fresh)
                {
                    writer.WriteLine("# OptimizerGrpc API keys: ID ROLE sha256:HASH [studies=LIST] (docs/security.md)");
                }

                writer.WriteLine(line);
            }

            if (fresh && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Console.Error.WriteLine($"added key '{id}' ({role}) to {file}; the secret above is not stored anywhere: give it to its user now");
        }
        else
        {
            Console.Error.WriteLine($"keys-file line (add it to the server's --api-keys file):\n{line}");
        }

        return 0;
    }
}
