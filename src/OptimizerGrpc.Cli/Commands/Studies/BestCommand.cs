using System.CommandLine;
using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer best ID</c>: the best trial of each stage and the best parameters per target (the spec's target_results).</summary>
internal static class BestCommand
{
    public static Command Create()
    {
        var id = Parsers.StudyId();
        var json = Parsers.Json();
        var command = new Verb(
            "best",
            "Show what a study found so far: the best trial of each stage, and the best parameters and score per target.",
            "best <ID> [--json] [--server ADDRESS]")
        {
            id, json,
        };
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            var result = await client.GetStudyResultAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(BestJson.Of(result));
            }
            else
            {
                Print(result);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Print(StudyResultInfo result)
    {
        var console = Terminal.Create();
        var study = result.Study;
        Console.WriteLine($"study {study.StudyId}: {Formats.Lower(study.State)}, {study.Counts.Completed} completed trials");
        if (study.Stages.Any(s => s.BestTrial is not null))
        {
            var stages = Terminal.Table("STAGE", "NAME", "TRIAL", "OBJECTIVE", "PARAMS");
            foreach (var s in study.Stages.Where(s => s.BestTrial is not null))
            {
                stages.Row(s.StageId, s.Name, s.BestTrial!.Number.ToString(CultureInfo.InvariantCulture), Formats.Values(s.BestTrial.ObjectiveValues), Formats.Params(s.BestTrial.Params));
            }

            console.Write(stages);
        }
        else
        {
            Console.WriteLine("no completed trial yet");
        }

        if (result.TargetResults.Count > 0)
        {
            Console.WriteLine();
            var targets = Terminal.Table("TARGET", "METRIC", "SCORE", "TRIAL", "STAGE", "BEST PARAMS");
            foreach (var t in result.TargetResults)
            {
                targets.Row(t.Target, t.Metric, Formats.Number(t.BestScore), t.TrialNumber.ToString(CultureInfo.InvariantCulture), t.StageId, Formats.Params(t.BestParams));
            }

            console.Write(targets);
        }
    }
}

/// <summary><c>best --json</c>.</summary>
internal sealed record BestJson(string StudyId, StudyState State, TrialJson? BestTrial, IReadOnlyList<StageJson> Stages, IReadOnlyList<TargetResultJson> TargetResults)
{
    public static BestJson Of(StudyResultInfo r) => new(
        r.Study.StudyId, r.Study.State, TrialJson.OfNullable(r.BestTrial), [.. r.Study.Stages.Select(StageJson.Of)],
        [.. r.TargetResults.Select(t => new TargetResultJson(t.Target, t.Metric, t.BestScore, t.TrialNumber, t.StageId, t.BestParams))]);
}

/// <summary>A target's best parameters and score.</summary>
internal sealed record TargetResultJson(string Target, string Metric, double BestScore, long TrialNumber, string StageId, IReadOnlyDictionary<string, ParamValue> BestParams);
