namespace OptimizerGrpc.Server.Engine;

// The engine's own failures. It never speaks status codes: the gRPC layer's interceptor alone maps these.

/// <summary>No study with the id (NOT_FOUND).</summary>
internal sealed class StudyNotFoundException(string studyId) : Exception($"study '{studyId}' not found")
{
    public string StudyId { get; } = studyId;
}

/// <summary>The study was deleted while a call followed it (NOT_FOUND): watchers of a deleted study end with this.</summary>
internal sealed class StudyDeletedException(string studyId) : Exception($"study '{studyId}' was deleted")
{
    public string StudyId { get; } = studyId;
}

/// <summary>The id is taken by a study with a different spec (ALREADY_EXISTS).</summary>
internal sealed class StudyAlreadyExistsException(string studyId) : Exception($"study '{studyId}' exists with a different spec");

/// <summary>A lifecycle request that the study's state does not allow (FAILED_PRECONDITION).</summary>
internal sealed class InvalidStudyStateException(string message) : Exception(message);

/// <summary>The caller may not act on this study, or on this trial's lease (PERMISSION_DENIED).</summary>
internal sealed class StudyAccessDeniedException(string message) : Exception(message);

/// <summary>A result that the study cannot take: no running attempt matches it (FAILED_PRECONDITION), or no such trial (NOT_FOUND).</summary>
internal sealed class TellRejectedException(string message, bool notFound, bool notHolder = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;

    /// <summary>The trial is leased to another worker (PERMISSION_DENIED).</summary>
    public bool NotHolder { get; } = notHolder;
}
