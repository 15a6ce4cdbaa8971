namespace OptimizerGrpc.Cli.Parsing;

/// <summary>A mistake on the command line found by a command itself; printed with the command's synopsis, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
