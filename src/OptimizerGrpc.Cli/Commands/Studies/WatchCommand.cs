using System.CommandLine;
using System.Globalization;
using OptimizerGrpc.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OptimizerGrpc.Cli.Commands.Studies;

/// <summary>
/// <c>optimizer watch ID [--after SEQ]</c>: a study's events as they happen (trials finishing, new bests, stages, state
/// changes) until the study ends or Ctrl+C. On a terminal a live panel (state, progress, best, the latest events);
/// redirected, a line per event; with --json, one JSON object per line.
/// </summary>
internal static class WatchCommand
{
    private const int EventsShown = 15;

    public static Command Create()
    {
        var id = Parsers.StudyId();
        var after = Parsers.NonNegative("--after", "Start after this event sequence number (0: replay the whole history)");
        var json = Parsers.Json();
        var command = new Verb(
            "watch",
            "Follow a study's events live (trials finishing, new bests, stages, state changes) until the study ends or Ctrl+C.",
            "watch <ID> [--after SEQ] [--json] [--server ADDRESS]")
        {
            id, after, json,
        };
        command.Notes = """
            --json prints one JSON object per event and line (JSON Lines). Exit codes: 0 the study completed or was
            stopped (or Ctrl+C), 1 it failed, 2 no such study.
            """;
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(
            parse, client => WatchAsync(client, parse.GetValue(id)!, parse.GetValue(after) ?? 0, parse.GetValue(json), ct), ct));
        return command;
    }

    private static async Task<int> WatchAsync(OptimizerClient client, string studyId, long after, bool json, CancellationToken ct)
    {
        var study = await client.GetStudyAsync(studyId, ct);
        if (study.IsFinished && study.LastSequence <= after)
        {
            // Nothing left to replay and nothing will happen: the stream would wait forever.
            if (!json)
            {
                Console.WriteLine($"study {studyId}: {Formats.Lower(study.State)}, no events after {after}");
            }

            return Outcome(study.State);
        }

        var events = client.WatchStudyAsync(studyId, after, includeTrials: true, ct);
        if (json || !Terminal.IsInteractive)
        {
            await foreach (var e in events)
            {
                if (json)
                {
                    JsonOutput.WriteLine(EventJson.Of(e));
                }
                else
                {
                    Console.WriteLine(Line(e));
                }

                if (Ends(e))
                {
                    return Outcome(e.State);
                }
            }

            return ExitCodes.Ok;
        }

        return await LiveAsync(study, events);
    }

    // The live panel: a header that follows the study, and the latest events below it.
    private static async Task<int> LiveAsync(StudyInfo study, IAsyncEnumerable<StudyEventInfo> events)
    {
        var state = study.State;
        long finished = study.Counts.Finished, planned = Formats.PlannedTrials(study);
        string best = Formats.Best(study.BestTrial);
        var latest = new Queue<string>();
        IRenderable Render() => new Rows(
            new Markup($"[bold]{Markup.Escape(study.StudyId)}[/]  {Markup.Escape(Formats.Lower(state))}  " +
                $"{finished}{(planned > 0 ? $"/{planned}" : "")} trials  best {Markup.Escape(best)}"),
            new Text(string.Join('\n', latest)));
        int exit = ExitCodes.Ok;
        await Terminal.Create().Live(Render()).StartAsync(async live =>
        {
            await foreach (var e in events)
            {
                latest.Enqueue(Line(e));
                while (latest.Count > EventsShown)
                {
                    latest.Dequeue();
                }

                switch (e.Kind)
                {
                    case StudyEventKind.TrialFinished:
                        finished++;
                        break;
                    case StudyEventKind.NewBest:
                        best = Formats.Best(e.Trial);
                        break;
                    case StudyEventKind.StudyStateChanged:
                        state = e.State;
                        break;
                }

                live.UpdateTarget(Render());
                if (Ends(e))
                {
                    exit = Outcome(e.State);
                    break;
                }
            }
        });
        return exit;
    }

    private static bool Ends(StudyEventInfo e) =>
        e.Kind == StudyEventKind.StudyStateChanged && e.State is StudyState.Completed or StudyState.Stopped or StudyState.Failed;

    private static int Outcome(StudyState state) => state == StudyState.Failed ? ExitCodes.Failed : ExitCodes.Ok;

    public static string Line(StudyEventInfo e)
    {
        string time = e.Time?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "--:--:--";
        string what = e.Kind switch
        {
            StudyEventKind.TrialFinished when e.Trial is { } t =>
                $"trial #{t.Number} {Formats.Lower(t.State)} {(t.Reason.Length > 0 ? t.Reason : Formats.Values(t.ObjectiveValues))}  {Formats.Params(t.Params)}",
            StudyEventKind.NewBest when e.Trial is { } t => $"new best in {e.StageId}: trial #{t.Number} {Formats.Values(t.ObjectiveValues)}  {Formats.Params(t.Params)}",
            StudyEventKind.StageStarted => $"stage {e.Stage?.StageId} ({e.Stage?.Name}) started",
            StudyEventKind.StageCompleted => $"stage {e.Stage?.StageId} ({e.Stage?.Name}) {Formats.Lower(e.Stage?.State ?? StageState.Completed)}",
            StudyEventKind.StudyStateChanged => $"study {Formats.Lower(e.PreviousState)} -> {Formats.Lower(e.State)}{(string.IsNullOrEmpty(e.Reason) ? "" : $": {e.Reason}")}",
            StudyEventKind.TrialRequeued => $"trial #{e.Requeued?.TrialNumber} requeued as attempt {e.Requeued?.Attempt} (lease of {e.WorkerId} expired)",
            _ => Formats.Lower(e.Kind),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{e.Sequence,6} {time} {what}");
    }
}

/// <summary>One event of <c>watch --json</c>.</summary>
internal sealed record EventJson(
    long Sequence, DateTimeOffset? Time, StudyEventKind Kind, string StudyId, string? StageId, TrialJson? Trial, StageJson? Stage,
    StudyState? State, StudyState? PreviousState, string? Reason)
{
    public static EventJson Of(StudyEventInfo e) => new(
        e.Sequence, e.Time, e.Kind, e.StudyId, e.StageId ?? e.Stage?.StageId ?? e.Trial?.StageId, TrialJson.OfNullable(e.Trial),
        e.Stage is null ? null : StageJson.Of(e.Stage),
        e.Kind == StudyEventKind.StudyStateChanged ? e.State : null, e.Kind == StudyEventKind.StudyStateChanged ? e.PreviousState : null, e.Reason);
}
