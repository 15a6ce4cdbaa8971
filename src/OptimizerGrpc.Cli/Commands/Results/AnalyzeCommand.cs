using System.CommandLine;
using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;

namespace OptimizerGrpc.Cli.Commands.Results;

/// <summary>
/// <c>optimizer analyze STUDY_ID [--server ADDRESS] [--json FILE]</c>: asks a running server for a study's analysis and
/// prints it per stage (importance, sensitivity, robustness, modes, overfitting statistics with the reasons for what is
/// unavailable), then the regime matrix or walk-forward summary. Exit codes: 0 printed, 2 usage error or a study the
/// server does not know (or an id it refuses), 3 the server could not be reached or failed.
/// </summary>
internal static class AnalyzeCommand
{
    private static readonly Argument<string[]> StudyId = new("STUDY_ID") { Description = "The study", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the full analysis to this JSON file", HelpName = "FILE" };

    public static Command Create()
    {
        var command = new Verb(
            "analyze",
            "Print the analysis of a study on a running server: per stage the parameter importance, each parameter's " +
            "sensitivity, the best trial against the robust pick, the modes, and the winner's overfitting statistics (PSR, " +
            "DSR, MinTRL, MinBTL, PBO) or why they are unavailable; the regime matrix or the walk-forward summary.",
            "analyze <STUDY_ID> [--server ADDRESS] [--json FILE]")
        {
            StudyId, Json,
        };
        var connection = ServerConnection.AddTo(command);
        command.Notes = "Exit codes: 0 printed, 2 usage error or a study the server does not know, 3 no server or it failed, 4 denied.";
        command.SetAction((parse, ct) => RunAsync(parse, connection, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult options, ServerConnection connection, CancellationToken ct)
    {
        if (options.GetValue(StudyId) is not [string studyId])
        {
            throw new UsageException("analyze needs exactly one study id");
        }

        string address = connection.Address(options)!;
        await using var client = new OptimizerClient(address, connection.ClientOptions(options));
        StudyInfo study;
        StudyAnalysisInfo analysis;
        try
        {
            study = await client.GetStudyAsync(studyId, ct);
            // Through the manager: a study `optimizer run` made shows the spec's names ("rule.parameter"), as run printed them.
            analysis = await new OptimizationManager(client).AnalyzeStudyAsync(studyId, cancellationToken: ct);
        }
        catch (RpcException e)
        {
            return await RpcFailure.ReportStudyCallAsync(e, address, studyId, "analyse");
        }

        Console.WriteLine($"study    {study.StudyId}: {study.State}, {study.Counts.Completed:N0} completed of {study.Counts.Finished:N0} finished trials, {study.Stages.Count} stage(s)");
        AnalysisReport.PrintFull(analysis, study.Stages);
        if (options.GetValue(Json) is { Length: > 0 } json)
        {
            await ResultJson.WriteAsync(json, new { study.StudyId, State = study.State.ToString(), Analysis = analysis }, ct);
            Console.WriteLine();
            Console.WriteLine($"written  {json}");
        }

        return 0;
    }
}
