// The CLI's folders are namespaces (the architecture rule); every command may use every shared piece.
global using OptimizerGrpc.Cli.Commands.Results;
global using OptimizerGrpc.Cli.Commands.Server;
global using OptimizerGrpc.Cli.Commands.Setup;
global using OptimizerGrpc.Cli.Commands.Studies;
global using OptimizerGrpc.Cli.Commands.Trials;
global using OptimizerGrpc.Cli.Commands.Workflow;
global using OptimizerGrpc.Cli.Connection;
global using OptimizerGrpc.Cli.Output;
global using OptimizerGrpc.Cli.Parsing;
