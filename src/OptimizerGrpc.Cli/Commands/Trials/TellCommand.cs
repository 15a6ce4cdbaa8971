using System.CommandLine;
using System.Globalization;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Trials;

/// <summary>
/// <c>optimizer tell ID NUMBER --attempt A (--value NAME=X ... | --failed MESSAGE | --pruned) [--worker-id W]</c>:
/// reports the outcome of a trial that <c>optimizer ask</c> leased.
/// </summary>
internal static class TellCommand
{
    public static Command Create()
    {
        var id = Parsers.StudyId();
        var number = new Argument<long>("NUMBER")
        {
            Description = "The trial's number (from ask)",
            CustomParser = result =>
            {
                string text = result.Tokens[0].Value;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    return value;
                }

                result.AddError($"NUMBER must be a trial number (a whole number from 0 up), got '{text}'");
                return 0;
            },
        };
        var attempt = Parsers.Positive("--attempt", "The attempt (from ask): a re-queued trial's later attempt has a higher one");
        attempt.Required = true;
        var values = new Option<string[]>("--value") { Description = "An objective or metric value; repeat for several", HelpName = "NAME=X" };
        var failed = new Option<string?>("--failed") { Description = "The evaluation failed, with this message", HelpName = "MESSAGE" };
        var pruned = new Option<bool>("--pruned") { Description = "The evaluation was stopped early (with --value: the values so far)" };
        var worker = new Option<string?>("--worker-id") { Description = "The lease holder's id, as given to ask", HelpName = "W" };
        var json = Parsers.Json();
        var command = new Verb(
            "tell",
            "Report the outcome of a trial leased with 'optimizer ask': its values, a failure, or that it was pruned.",
            "tell <ID> <NUMBER> --attempt A (--value NAME=X [--value ...] | --failed MESSAGE | --pruned) [--worker-id W] [--json] [--server ADDRESS]")
        {
            id, number, attempt, values, failed, pruned, worker, json,
        };
        command.Notes = """
            Telling twice is harmless: the first outcome wins and a repeat is reported as a duplicate (exit 0).
            Exit codes: 0 recorded (or a duplicate), 1 the lease had expired or the server rejected the outcome (the
            message says why), 2 usage error or no such study or trial, 4 the lease belongs to another holder.
            """;
        command.Validators.Add(result =>
        {
            bool hasValues = result.GetValue(values) is { Length: > 0 };
            bool hasFailed = result.GetValue(failed) is not null;
            if (hasFailed && (hasValues || result.GetValue(pruned)))
            {
                result.AddError("tell takes --failed MESSAGE alone: a failed trial has no values and was not pruned");
            }
            else if (!hasFailed && !hasValues && !result.GetValue(pruned))
            {
                result.AddError("tell needs the outcome: --value NAME=X (repeat for several), --failed MESSAGE or --pruned");
            }
        });
        var connection = ServerConnection.AddTo(command);
        command.SetAction((parse, ct) => connection.RunAsync(parse, async client =>
        {
            var trial = new TrialRef(parse.GetValue(id)!, parse.GetValue(number), parse.GetValue(attempt)!.Value);
            var outcome = parse.GetValue(failed) is { } message ? TrialOutcome.Failure(message)
                : parse.GetValue(values) is { Length: > 0 } pairs ? TrialOutcome.FromValues([.. pairs.Select(ParseValue)]) with { Pruned = parse.GetValue(pruned) }
                : TrialOutcome.PrunedWith();
            var told = await client.TellTrialAsync(trial, outcome, parse.GetValue(worker), ct);
            return Report(trial, told, parse.GetValue(json));
        }, ct));
        return command;
    }

    private static (string Name, double Value) ParseValue(string pair)
    {
        int eq = pair.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && double.TryParse(pair.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? (pair[..eq].Trim(), value)
            : throw new UsageException($"--value must be NAME=NUMBER (e.g. sharpe_ratio=1.25), got '{pair}'");
    }

    private static int Report(TrialRef trial, TellResult told, bool json)
    {
        if (json)
        {
            JsonOutput.Write(new TellJson(trial.StudyId, trial.TrialNumber, trial.Attempt, told.Status, TrialJson.OfNullable(told.Trial)));
        }

        string what = $"trial #{trial.TrialNumber} (attempt {trial.Attempt})";
        switch (told.Status)
        {
            case TellStatus.Accepted:
            case TellStatus.Duplicate:
                if (!json)
                {
                    Console.WriteLine(told.Status == TellStatus.Accepted
                        ? $"{what}: recorded, {Formats.Lower(told.Trial?.State ?? TrialState.Unspecified)}"
                        : $"{what}: an outcome was already recorded; this one was ignored");
                }

                return ExitCodes.Ok;
            case TellStatus.Expired:
                Console.Error.WriteLine($"optimizer: {what}: the lease had expired and the trial was handed out again; the outcome was ignored");
                return ExitCodes.Failed;
            default:
                Console.Error.WriteLine($"optimizer: {what}: the server rejected the outcome{(told.Trial?.Reason is { Length: > 0 } reason ? $": {reason}" : "")}");
                return ExitCodes.Failed;
        }
    }
}

/// <summary><c>tell --json</c>.</summary>
internal sealed record TellJson(string StudyId, long Number, int Attempt, TellStatus Status, TrialJson? Trial);
