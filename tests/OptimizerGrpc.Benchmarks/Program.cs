using OptimizerGrpc.Benchmarks;

// Each suite prints a table and, as its last line, `RESULT key=value ...`.
return args.FirstOrDefault() switch
{
    "throughput" => await ThroughputBenchmark.MainAsync(args),
    "metrics" => MetricsBenchmark.Run(args),
    "quality" => QualityBenchmark.Run(args),
    "suggest" => SuggestBenchmark.Run(args),
    "backtest" => BacktestBenchmark.Run(args),
    "analysis" => await AnalysisBenchmark.MainAsync(args),
    "dashboard" => await DashboardBenchmark.MainAsync(args),
    "restart" => await StudiesAtRestart.MainAsync(args),
    "soak" => await SoakBenchmark.MainAsync(args),
    "small-grid" => SmallGridBenchmark.Run(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/OptimizerGrpc.Benchmarks -- <throughput|metrics|quality|suggest|backtest|analysis|dashboard|restart|soak|small-grid> [options]");
    return 2;
}
