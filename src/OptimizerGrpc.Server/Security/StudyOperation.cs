using Microsoft.AspNetCore.Authorization;

namespace OptimizerGrpc.Server.Security;

/// <summary>What a call does to a study; each RPC and dashboard route needs one (docs/security.md has the table).</summary>
public enum StudyOperation
{
    /// <summary>Get, list, watch, trials, results, analysis, equity, report, the dashboard.</summary>
    Read,

    /// <summary>CreateStudy.</summary>
    Create,

    /// <summary>Stop, pause, resume, delete.</summary>
    Steer,

    /// <summary>AskTrials, TellTrial, Work.</summary>
    Work,
}

/// <summary>The requirement of a policy (and of a resource check on one study) that the caller may do an operation.</summary>
public sealed class StudyOperationRequirement(StudyOperation operation) : IAuthorizationRequirement
{
    public StudyOperation Operation { get; } = operation;
}

/// <summary>The study a resource check is about: its id and owner.</summary>
public sealed record StudyResource(string StudyId, string Owner);
