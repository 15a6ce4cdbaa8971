using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Client;
using OptimizerGrpc.Examples;
using OptimizerGrpc.Trading;

// The spec's usage examples (optimization-module-spec.md, "Usage Examples") over the C# manager API:
//   dotnet run --project samples/OptimizerGrpc.Examples -- basic|regime|multistage [--server ADDRESS] [--data FILE] [--workers N]
// Without --server each starts an embedded server on a free loopback port with a temporary SQLite file.
const string Usage = "usage: examples basic|regime|multistage [--server ADDRESS] [--data FILE] [--workers N]";
if (args.Length == 0 || args[0] is not ("basic" or "regime" or "multistage") || args.Length % 2 == 0)
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i][2..] is not ("server" or "data" or "workers"))
    {
        await Console.Error.WriteLineAsync($"unknown option '{args[i]}'\n{Usage}");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

var data = new CsvDataHandler().Load(options.GetValueOrDefault("data") ?? SampleData.Nyse());
var workers = Environment.ProcessorCount;
if (options.TryGetValue("workers", out var w) && !(int.TryParse(w, CultureInfo.InvariantCulture, out workers) && workers > 0))
{
    await Console.Error.WriteLineAsync($"--workers must be a positive whole number, got '{w}'\n{Usage}");
    return 2;
}

Console.WriteLine($"data: {data.Name}, {data.Count:N0} bars {data.Times[0]:yyyy-MM-dd} .. {data.Times[^1]:yyyy-MM-dd}");

await using var server = options.ContainsKey("server") ? null : await EmbeddedServer.StartAsync();
await using var client = new OptimizerClient(options.GetValueOrDefault("server") ?? server!.Address);
var clock = Stopwatch.StartNew();
switch (args[0])
{
    case "basic":
        await BasicExample.RunAsync(client, data, workers);
        break;
    case "regime":
        await RegimeExample.RunAsync(client, data, workers);
        break;
    default:
        MultiStageWorkflow.Print(await MultiStageWorkflow.RunAsync(client, data, workers));
        break;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n{args[0]} example finished in {clock.Elapsed.TotalSeconds:F1} s"));
return 0;
