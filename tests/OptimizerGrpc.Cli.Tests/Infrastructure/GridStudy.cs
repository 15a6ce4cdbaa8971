using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Tests;

/// <summary>
/// A 3 x 2 grid study on a real server: ma.fast 1..3, ma.slow 4..5, maximize "score"; <see cref="Score"/> makes the best
/// trial fast = 3, slow = 5 with score 35.
/// </summary>
internal static class GridStudy
{
    public const int Points = 6;

    public static double Score(TrialInfo trial) => (trial["ma.fast"].AsInt64() * 10) + trial["ma.slow"].AsInt64();

    public static async Task<string> CreateAsync(string address, string name, int tell = 0)
    {
        await using var client = new OptimizerClient(address);
        var created = await client.CreateStudyAsync(new StudyBuilder(name)
            .Target("ma", t => t.Int("fast", 1, 3).Int("slow", 4, 5), TargetCategory.RuleParameters, "two windows")
            .Maximize("score")
            .GridSearch()
            .Seed(1));
        string studyId = created.Study.StudyId;
        for (int told = 0; told < tell;)
        {
            var asked = await client.AskTrialsAsync(studyId, tell - told);
            Assert.NotEmpty(asked.Trials);
            foreach (var trial in asked.Trials)
            {
                await client.TellTrialAsync(trial.Ref, TrialOutcome.FromValues(("score", Score(trial))));
                told++;
            }
        }

        return studyId;
    }

    public static async Task<StudyInfo> GetAsync(string address, string studyId)
    {
        await using var client = new OptimizerClient(address);
        return await client.GetStudyAsync(studyId);
    }
}
