using OptimizerGrpc.Benchmarks;

return await ThroughputBenchmark.MainAsync(args);
