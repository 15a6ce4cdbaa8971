using System.CommandLine;
using Grpc.Core;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli.Commands.Results;

/// <summary>
/// <c>optimizer report STUDY_ID [--server ADDRESS] [--out FILE]</c>: asks a running server for a study's report (the
/// dashboard's views with data and scripts inlined, one HTML file that opens offline) and writes it. Exit codes: 0
/// written, 2 usage error or a study the server does not know, 3 the server could not be reached or failed.
/// </summary>
internal static class ReportCommand
{
    private static readonly Argument<string[]> StudyId = new("STUDY_ID") { Description = "The study", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string> Out = new("--out") { Description = "The HTML file", HelpName = "FILE", DefaultValueFactory = _ => "report.html" };

    public static Command Create()
    {
        var command = new Verb(
            "report",
            "Write a study's report: one HTML file with the dashboard's views, data and scripts inlined, that opens offline.",
            "report <STUDY_ID> [--server ADDRESS] [--out FILE]")
        {
            StudyId, Out,
        };
        var connection = ServerConnection.AddTo(command);
        command.Notes = "Exit codes: 0 written, 2 usage error or a study the server does not know, 3 no server or it failed, 4 denied.";
        command.SetAction((parse, ct) => RunAsync(parse, connection, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult options, ServerConnection connection, CancellationToken ct)
    {
        if (options.GetValue(StudyId) is not [string studyId])
        {
            throw new UsageException("report needs exactly one study id");
        }

        string address = connection.Address(options)!;
        string path = options.GetValue(Out)!;
        await using var client = new OptimizerClient(address, connection.ClientOptions(options));
        string html;
        try
        {
            html = await client.GetStudyReportAsync(studyId, ct);
        }
        catch (RpcException e)
        {
            return await RpcFailure.ReportStudyCallAsync(e, address, studyId, "render");
        }

        await File.WriteAllTextAsync(path, html, ct);
        Console.WriteLine($"written  {path} ({html.Length / 1024:N0} KB): open it in a browser, no server or internet needed");
        return 0;
    }
}
