using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

/// <summary>Shorthands for the calls most tests make.</summary>
internal static class Calls
{
    public static async Task<Study> CreateAsync(this OptimizerService.OptimizerServiceClient client, string id, StudySpec spec) =>
        (await client.CreateStudyAsync(new CreateStudyRequest { StudyId = id, Spec = spec })).Study;

    public static async Task<Study> GetAsync(this OptimizerService.OptimizerServiceClient client, string id) =>
        (await client.GetStudyAsync(new GetStudyRequest { StudyId = id })).Study;

    public static async Task<List<Trial>> AskAsync(this OptimizerService.OptimizerServiceClient client, string id, int count, string worker = "w1") =>
        [.. (await client.AskTrialsAsync(new AskTrialsRequest { StudyId = id, Count = count, WorkerId = worker })).Trials];

    public static async Task<TellTrialResponse> TellAsync(this OptimizerService.OptimizerServiceClient client, Trial trial, TrialOutcome outcome, int? attempt = null, string worker = "w1") =>
        await client.TellTrialAsync(new TellTrialRequest
        {
            StudyId = trial.StudyId,
            TrialNumber = trial.Number,
            Attempt = attempt ?? trial.Attempt,
            Outcome = outcome,
            WorkerId = worker,
        });
}
