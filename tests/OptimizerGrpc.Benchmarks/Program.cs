using OptimizerGrpc.Benchmarks;

// Each suite prints a table and, as its last line, `RESULT key=value ...`.
return args.FirstOrDefault() switch
{
    "throughput" => await ThroughputBenchmark.MainAsync(args),
    "metrics" => MetricsBenchmark.Run(args),
    "backtest" => BacktestBenchmark.Run(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/OptimizerGrpc.Benchmarks -- <throughput|metrics|backtest> [options]");
    return 2;
}
