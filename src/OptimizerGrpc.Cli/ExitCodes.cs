namespace OptimizerGrpc.Cli;

/// <summary>
/// The exit codes of every <c>optimizer</c> command (README "The optimizer command", <c>optimizer --help</c>). They
/// keep the codes analyze, report and run had before the operator verbs (2 for an unknown study, 3 for no server), so
/// scripts written against them go on working.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The server refused the operation or it failed: FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED, RESOURCE_EXHAUSTED,
    /// OUT_OF_RANGE, a result the server rejected or whose lease expired, a study that ended FAILED (run, watch), or
    /// no trial to hand out because the study is finished (ask).
    /// </summary>
    public const int Failed = 1;

    /// <summary>A usage error, a study or trial the server does not know (NOT_FOUND) or an id or value it refuses (INVALID_ARGUMENT).</summary>
    public const int Usage = 2;

    /// <summary>No server answered at the address (UNAVAILABLE, DEADLINE_EXCEEDED) or it failed (INTERNAL, UNKNOWN, UNIMPLEMENTED, ...).</summary>
    public const int Unreachable = 3;

    /// <summary>UNAUTHENTICATED (no key, or a wrong one) or PERMISSION_DENIED (the key's role or scope does not allow it).</summary>
    public const int Denied = 4;

    /// <summary>The lines of <c>optimizer --help</c> and the README's table.</summary>
    public const string Help = """
          0  done
          1  the server refused the operation or it failed (a study that ended FAILED, a rejected result, ask on a
             finished study)
          2  usage error, or a study the server does not know (NOT_FOUND) or an id or value it refuses (INVALID_ARGUMENT)
          3  no server answered at the address (UNAVAILABLE), or it failed (INTERNAL, ...)
          4  UNAUTHENTICATED or PERMISSION_DENIED (see docs/security.md)
        """;
}
