using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Services;

/// <summary>Checks the shape of a reported outcome. Values that are present but not finite are not an error
/// here: the engine records them as a FAILED trial with the reason, so the study keeps a trace.</summary>
internal static class OutcomeValidator
{
    public static string? Problem(TrialOutcome? outcome)
    {
        if (outcome is null)
        {
            return "an outcome is required";
        }

        if (outcome.Record is not null)
        {
            return null;
        }

        if (outcome.Error is null && !outcome.Pruned && outcome.Values.Count == 0)
        {
            return "an outcome needs values, a record, an error or pruned";
        }

        return null;
    }

    public static void Validate(TrialOutcome? outcome, string field)
    {
        if (Problem(outcome) is { } problem)
        {
            throw FieldViolations.Single(field, problem);
        }
    }
}
