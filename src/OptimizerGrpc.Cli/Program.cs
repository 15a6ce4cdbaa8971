using OptimizerGrpc.Cli;

return await CommandLine.RunAsync(args);
