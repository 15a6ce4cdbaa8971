using OptimizerGrpc.Client;
using OptimizerGrpc.Trading;

namespace OptimizerGrpc.Optimization.Tests.Running;

/// <summary>
/// A run fails loudly with the reasons (OptimizationFailedException), reports some failures in its result, records a
/// rule's refusal as INFEASIBLE, and warns about a default outside its domain. Against the real server.
/// </summary>
public sealed class FailureReportingTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly PriceSeries Nyse = new CsvDataHandler().Load(Repository.File("samples", "data", "nyse_composite_daily_1966_2002.csv"));

    /// <summary>A user's rule over one parameter "n" in [1, 20]: long every n-th bar; it can be told to throw or refuse.</summary>
    private sealed class UserRule(int n, Func<int, bool> throws, Func<int, bool> refuses) : ITradingRule
    {
        private int _n = n;

        public string Name => "user";

        public IReadOnlyList<RuleParameter> ParameterSpace { get; } = [new("n", RuleParameterKind.Integer, 1, 20, 1, 5, "period")];

        public IReadOnlyDictionary<string, double> GetParameters() => new Dictionary<string, double> { ["n"] = _n };

        public void SetParameters(IReadOnlyDictionary<string, double> parameters) => _n = (int)parameters["n"];

        public (bool IsValid, string? Error) ValidateParameters(IReadOnlyDictionary<string, double> parameters) =>
            refuses((int)parameters["n"]) ? (false, $"n = {parameters["n"]} is not allowed") : (true, null);

        public ITradingRule Clone() => new UserRule(_n, throws, refuses);

        public void ComputePositions(ReadOnlySpan<double> close, Span<double> positions)
        {
            if (throws(_n))
            {
                throw new InvalidOperationException("no positions for this data feed");
            }

            for (int t = 0; t < positions.Length; t++)
            {
                positions[t] = t % _n == 0 ? 1 : 0;
            }
        }
    }

    private OptimizationManager Manager(OptimizerClient client, UserRule rule) => new OptimizationManager(client)
        .RegisterTarget("user", new RuleParametersTarget([rule]))
        .RegisterMethod("grid", new GridSearchMethod())
        .RegisterMetric("sharpe", new SharpeRatioMetric())
        .RegisterSequence("single", new SingleOptimization());

    [Fact]
    public async Task RunOptimization_EveryTrialFails_ThrowsWithTheReasonAfterTheFailureBudget()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = Manager(client, new UserRule(5, _ => true, _ => false));

        var error = await Assert.ThrowsAsync<OptimizationFailedException>(() =>
            manager.RunOptimizationAsync("single", ["user"], Nyse, options: new RunOptions { Workers = 1 }));

        const string Reason = "client error: System.InvalidOperationException: no positions for this data feed";
        Assert.Equal(StudyState.Failed, error.State);
        Assert.Equal(10, error.Counts.Failed); // the default failure budget, not the grid's 20 trials
        Assert.Equal([new FailureReasonInfo(Reason, 10)], error.FailureReasons);
        Assert.Contains(Reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOptimization_SomeFailuresAndARefusal_ReportedInTheResult_RefusalInfeasible()
    {
        await using var client = new OptimizerClient(server.Address);
        var manager = Manager(client, new UserRule(5, n => n is 3 or 4, n => n == 7));

        var result = await manager.RunOptimizationAsync("single", ["user"], Nyse, options: new RunOptions { Workers = 2 });

        Assert.Equal(StudyState.Completed, result.State);
        Assert.Equal(2, result.Failures.Count);
        Assert.Equal([new FailureReasonInfo("client error: System.InvalidOperationException: no positions for this data feed", 2)], result.Failures.Reasons);
        Assert.Equal(1, result.Counts.Infeasible);
        var refused = new List<TrialInfo>();
        await foreach (var trial in client.ListTrialsAsync(result.StudyId))
        {
            if (trial.State == TrialState.Infeasible)
            {
                refused.Add(trial);
            }
        }

        Assert.Equal("refused by the client: user: Invalid parameters for rule user: n = 7 is not allowed", Assert.Single(refused).Reason);
    }

    [Fact]
    public async Task RunOptimization_DefaultOutsideTheDomain_Warns()
    {
        await using var client = new OptimizerClient(server.Address);
        var rule = new UserRule(5, _ => false, _ => false);
        var manager = new OptimizationManager(client)
            .RegisterTarget("user", new RuleParametersTarget([rule], new Dictionary<string, ParameterDomain> { ["user.n"] = ParameterDomain.List([2, 4, 8]) }))
            .RegisterMethod("grid", new GridSearchMethod())
            .RegisterMetric("sharpe", new SharpeRatioMetric())
            .RegisterSequence("single", new SingleOptimization());
        var warnings = new List<string>();
        manager.Warning += (_, e) => warnings.Add(e.Message);

        var result = await manager.RunOptimizationAsync("single", ["user"], Nyse, options: new RunOptions { Workers = 1 });

        const string Expected = "target 'user': the default user.n = 5 is not a value of its domain [2, 4, 8]; stages that do not search it use the middle of the domain instead";
        Assert.Equal([Expected], warnings);
        Assert.Equal([Expected], result.Warnings);
    }
}
