using Grpc.Core;
using OptimizerGrpc.Client;
using OptimizerGrpc.Optimization;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer analyze STUDY_ID [--server ADDRESS] [--json FILE]</c>: asks a running server for a study's analysis and
/// prints it per stage (importance, sensitivity, robustness, modes, overfitting statistics with the reasons for what is
/// unavailable), then the regime matrix or walk-forward summary. Exit codes: 0 printed, 2 usage error or a study the
/// server does not know (or an id it refuses), 3 the server could not be reached or failed.
/// </summary>
internal static class AnalyzeCommand
{
    public const string DefaultServer = "http://127.0.0.1:50051";

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        if (options.Positionals.Count != 1)
        {
            throw new UsageException("analyze needs exactly one study id");
        }

        string studyId = options.Positionals[0];
        string address = options.Get("server", DefaultServer);
        if (!address.Contains("://", StringComparison.Ordinal))
        {
            address = "http://" + address; // `optimizer serve` prints http://HOST:PORT; HOST:PORT alone means the same
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            throw new UsageException($"--server must be an address like {DefaultServer}, got '{options.Get("server", "")}'");
        }

        await using var client = new OptimizerClient(address, Connection.ClientOptions(options));
        StudyInfo study;
        StudyAnalysisInfo analysis;
        try
        {
            study = await client.GetStudyAsync(studyId, ct);
            // Through the manager: a study `optimizer run` made shows the spec's names ("rule.parameter"), as run printed them.
            analysis = await new OptimizationManager(client).AnalyzeStudyAsync(studyId, cancellationToken: ct);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            await Console.Error.WriteLineAsync(e.StatusCode == StatusCode.NotFound
                ? $"optimizer: no study '{studyId}' on {address}"
                : $"optimizer: the server refused study id '{studyId}': {e.Status.Detail}");
            return 2;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            await Console.Error.WriteLineAsync($"optimizer: cannot reach a server at {address} ({e.Status.Detail}); start one with `optimizer serve`");
            return 3;
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"optimizer: the server could not analyse study '{studyId}': {e.StatusCode}: {e.Status.Detail}");
            return 3;
        }

        Console.WriteLine($"study    {study.StudyId}: {study.State}, {study.Counts.Completed:N0} completed of {study.Counts.Finished:N0} finished trials, {study.Stages.Count} stage(s)");
        AnalysisReport.PrintFull(analysis, study.Stages);
        if (options.Get("json", "") is { Length: > 0 } json)
        {
            await ResultJson.WriteAsync(json, new { study.StudyId, State = study.State.ToString(), Analysis = analysis }, ct);
            Console.WriteLine();
            Console.WriteLine($"written  {json}");
        }

        return 0;
    }
}
