using System.CommandLine;
using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Cli.Commands.Setup;

/// <summary>
/// <c>optimizer keys create --id NAME --role ROLE [--studies LIST] [--file FILE]</c>: a new API key. The secret is
/// printed once, on the first line of stdout (so scripts can capture it); the keys file gets only its SHA-256.
/// </summary>
internal static class KeysCommand
{
    private static readonly Option<string> Id = new("--id") { Description = "The key's name: owner of the studies it creates", HelpName = "NAME", DefaultValueFactory = _ => "" };
    private static readonly Option<string> Role = WithRoles(new("--role") { Description = "admin, researcher, worker or viewer", HelpName = "ROLE", DefaultValueFactory = _ => "" });
    private static readonly Option<string> Studies = new("--studies") { Description = "Only these studies: ids and PREFIX* patterns", HelpName = "ID,PREFIX*", DefaultValueFactory = _ => "" };
    private static readonly Option<string?> File = new("--file") { Description = "Add the key's hash to this keys file (for 'serve --api-keys')", HelpName = "FILE" };

    public static Command Create()
    {
        var create = new Verb(
            "create",
            "Make an API key: prints the secret once (first line) and adds its hash to FILE (a keys file for 'serve " +
            "--api-keys'; the server reads changes within a second).",
            "keys create --id NAME --role admin|researcher|worker|viewer [--studies ID,PREFIX*] [--file FILE]")
        {
            Id, Role, Studies, File,
        };
        create.SetAction(Run);
        return new Command("keys", "API keys for 'serve --api-keys' (docs/security.md)") { create };
    }

    private static Option<string> WithRoles(Option<string> option)
    {
        option.CompletionSources.Add([.. Roles.All]);
        return option;
    }

    private static int Run(ParseResult options)
    {
        string id = options.GetValue(Id)!;
        if (!ApiKeyFile.IsValidId(id))
        {
            throw new UsageException("--id must be 1 to 64 letters, digits, '.', '_', '@' or '-' (the caller's name: owner of its studies)");
        }

        string role = options.GetValue(Role)!;
        if (!Roles.IsKnown(role))
        {
            throw new UsageException($"--role must be one of {string.Join(", ", Roles.All)}");
        }

        string studies = options.GetValue(Studies)!;
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
        if (options.GetValue(File) is { Length: > 0 } file)
        {
            bool fresh = !System.IO.File.Exists(file);
            using (var writer = System.IO.File.AppendText(file))
            {
                if (fresh)
                {
                    writer.WriteLine("# OptimizerGrpc API keys: ID ROLE sha256:HASH [studies=LIST] (docs/security.md)");
                }

                writer.WriteLine(line);
            }

            if (fresh && !OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
