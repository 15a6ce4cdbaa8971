using System.CommandLine;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Trials;

/// <summary>
/// <c>optimizer ask ID [--count N] [--worker-id W] [--lease-seconds S] [--wait S]</c>: leases trials for a script to
/// evaluate, as Optuna's CLI does; each trial is one JSON line with study_id, number, attempt and params, which
/// <c>optimizer tell</c> takes back. When the search waits for results it asks again until --wait runs out.
/// </summary>
internal static class AskCommand
{
    // How often to ask again while the search waits for other trials' results (a generation, a paused study).
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var id = Parsers.StudyId();
        var count = Parsers.Positive("--count", "How many trials to lease [default: 1]");
        var worker = new Option<string?>("--worker-id") { Description = "The lease holder's id [default: the server names the connection]", HelpName = "W" };
        var lease = Parsers.Positive("--lease-seconds", "Hold the lease this long without a heartbeat [default: the study's, 60]");
        var wait = Parsers.NonNegative("--wait", "Seconds to keep asking while the search waits for results [default: 10]");
        var json = Parsers.Json();
        var command = new Verb(
            "ask",
            "Lease trials to evaluate in a script: prints each as one line of JSON with study_id, number, attempt and params.",
            "ask <ID> [--count N] [--worker-id W] [--lease-seconds S] [--wait S] [--server ADDRESS]")
        {
            id, count, worker, lease, wait, json,
        };
        command.Notes = """
            The output is always JSON (one trial per line); --json is accepted for symmetry. Report each trial with
            'optimizer tell ID NUMBER --attempt A --value METRIC=X' before its lease runs out.
            Exit codes: 0 trials printed; 1 the study is finished (no more trials; stderr says its state) or none came
            within --wait; 2 no such study.
            """;
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            string studyId = parse.GetValue(id)!;
            var leaseDuration = parse.GetValue(lease) is int seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var deadline = TimeProvider.System.GetTimestamp() + TimeSpan.FromSeconds(parse.GetValue(wait) ?? 10).Ticks * TimeProvider.System.TimestampFrequency / TimeSpan.TicksPerSecond;
            while (true)
            {
                var asked = await client.AskTrialsAsync(studyId, parse.GetValue(count) ?? 1, parse.GetValue(worker), leaseDuration, ct);
                foreach (var trial in asked.Trials)
                {
                    JsonOutput.WriteLine(TrialJson.Of(trial));
                }

                if (asked.Trials.Count > 0)
                {
                    return ExitCodes.Ok;
                }

                if (asked.StudyFinished)
                {
                    await Console.Error.WriteLineAsync($"optimizer: study '{studyId}' is {Formats.Lower(asked.StudyState)}: no more trials");
                    return ExitCodes.Failed;
                }

                if (TimeProvider.System.GetTimestamp() >= deadline)
                {
                    await Console.Error.WriteLineAsync(
                        $"optimizer: no trial to hand out in study '{studyId}' ({Formats.Lower(asked.StudyState)}): the search waits for results of trials already out");
                    return ExitCodes.Failed;
                }

                await Task.Delay(Retry, ct);
            }
        }, ct));
        return command;
    }
}
