using System.CommandLine;
using OptimizerGrpc.Client;
using Spectre.Console;
using V1 = OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary><c>optimizer show ID</c>: a study's spec in brief, its state, trial counts, stages and best trial.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var id = Parsers.StudyId();
        var json = Parsers.Json();
        var command = new Verb(
            "show",
            "Show a study: its spec in brief (targets, objectives, method, budget), state, trial counts, stages and best trial.",
            "show <ID> [--json] [--server ADDRESS]")
        {
            id, json,
        };
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            var study = await client.GetStudyAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(ShowJson.Of(study));
            }
            else
            {
                Print(study);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Print(StudyInfo study)
    {
        var console = Terminal.Create();
        var spec = study.Spec;
        var c = study.Counts;
        var grid = new Grid().AddColumn(new GridColumn { NoWrap = true }).AddColumn();
        void Line(string key, string value) => grid.AddRow(new Text(key), new Text(value));
        Line("study", $"{study.StudyId}  {spec.DisplayName}");
        Line("state", Formats.Lower(study.State) + (study.StateReason.Length > 0 ? $": {study.StateReason}" : ""));
        if (study.Owner.Length > 0)
        {
            Line("owner", study.Owner);
        }

        if (study.FailureReasons.Count > 0)
        {
            Line("failures", string.Join("\n", study.FailureReasons.Select(f => $"{f.Count} x {f.Reason}")));
        }

        Line("targets", string.Join("; ", spec.Targets.Select(t => $"{t.Name} ({string.Join(", ", t.Parameters.Select(p => p.Name))})")));
        Line("objectives", string.Join(", ", spec.Objectives.Select(o => $"{Direction(o.Direction)} {o.Metric}")));
        Line("method", Method(spec.Method) + (spec.MaxTrials > 0 ? $", at most {spec.MaxTrials} trials per stage" : ""));
        Line("trials", $"{Formats.Progress(c, Formats.PlannedTrials(study))} finished: {c.Completed} completed, {c.Infeasible} infeasible, " +
            $"{c.Failed} failed, {c.Pruned} pruned; {c.Running} running, {c.Pending} pending");
        Line("best", study.BestTrial is { } best ? $"{Formats.Best(best)} {Formats.Params(best.Params)}" : "-");
        Line("created", study.CreateTime?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        console.Write(grid);
        if (study.Stages.Count > 0)
        {
            console.WriteLine();
            var table = Terminal.Table("STAGE", "NAME", "STATE", "TRIALS", "BEST");
            foreach (var s in study.Stages)
            {
                table.Row(s.StageId, s.Name, Formats.Lower(s.State) + (s.SkipReason.Length > 0 ? $" ({s.SkipReason})" : ""),
                    Formats.Progress(s.Counts, s.PlannedTrials), Formats.Best(s.BestTrial));
            }

            console.Write(table);
        }
    }

    public static string Direction(V1.Direction direction) => direction switch
    {
        V1.Direction.Minimize => "minimize",
        V1.Direction.Maximize => "maximize",
        _ => "optimize",
    };

    public static string Method(V1.MethodSpec? method) => method?.KindCase switch
    {
        null or V1.MethodSpec.KindOneofCase.None => "default",
        V1.MethodSpec.KindOneofCase.ParticleSwarm => "particle_swarm",
        var kind => kind.ToString()!.ToLowerInvariant(),
    } + (method?.HasSeed == true ? $" (seed {method.Seed})" : "");
}

/// <summary><c>show --json</c>: the study with its spec in brief and its stages.</summary>
internal sealed record ShowJson(
    StudyJson Study, string Method, IReadOnlyList<ObjectiveJson> Objectives, IReadOnlyDictionary<string, IReadOnlyList<string>> Targets,
    long MaxTrials, IReadOnlyList<StageJson> Stages)
{
    public static ShowJson Of(StudyInfo study) => new(
        StudyJson.Of(study),
        ShowCommand.Method(study.Spec.Method),
        [.. study.Spec.Objectives.Select(o => new ObjectiveJson(o.Metric, ShowCommand.Direction(o.Direction)))],
        study.Spec.Targets.ToDictionary(t => t.Name, t => (IReadOnlyList<string>)[.. t.Parameters.Select(p => p.Name)]),
        study.Spec.MaxTrials,
        [.. study.Stages.Select(StageJson.Of)]);
}

/// <summary>An objective: metric and direction.</summary>
internal sealed record ObjectiveJson(string Metric, string Direction);

/// <summary>A stage as <c>show</c> and <c>best</c> print it.</summary>
internal sealed record StageJson(
    string StageId, int Index, string Name, StageState State, string SkipReason, TrialCountsJson Trials, long PlannedTrials,
    string? Regime, int? WindowIndex, TrialJson? BestTrial)
{
    public static StageJson Of(StageInfo s) => new(
        s.StageId, s.Index, s.Name, s.State, s.SkipReason, TrialCountsJson.Of(s.Counts), s.PlannedTrials, s.Regime, s.WindowIndex, TrialJson.OfNullable(s.BestTrial));
}
