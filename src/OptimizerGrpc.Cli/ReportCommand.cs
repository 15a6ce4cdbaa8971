using Grpc.Core;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Cli;

/// <summary>
/// <c>optimizer report STUDY_ID [--server ADDRESS] [--out FILE]</c>: asks a running server for a study's report (the
/// dashboard's views with data and scripts inlined, one HTML file that opens offline) and writes it. Exit codes: 0
/// written, 2 usage error or a study the server does not know, 3 the server could not be reached or failed.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        if (options.Positionals.Count != 1)
        {
            throw new UsageException("report needs exactly one study id");
        }

        string studyId = options.Positionals[0];
        string address = options.Get("server", AnalyzeCommand.DefaultServer);
        if (!address.Contains("://", StringComparison.Ordinal))
        {
            address = "http://" + address;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            throw new UsageException($"--server must be an address like {AnalyzeCommand.DefaultServer}, got '{options.Get("server", "")}'");
        }

        string path = options.Get("out", "report.html");
        await using var client = new OptimizerClient(address, Connection.ClientOptions(options));
        string html;
        try
        {
            html = await client.GetStudyReportAsync(studyId, ct);
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
            await Console.Error.WriteLineAsync($"optimizer: the server could not render study '{studyId}': {e.StatusCode}: {e.Status.Detail}");
            return 3;
        }

        await File.WriteAllTextAsync(path, html, ct);
        Console.WriteLine($"written  {path} ({html.Length / 1024:N0} KB): open it in a browser, no server or internet needed");
        return 0;
    }
}
