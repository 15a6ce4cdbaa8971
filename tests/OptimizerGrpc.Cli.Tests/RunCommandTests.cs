using System.Text.Json;

namespace OptimizerGrpc.Cli.Tests;

public sealed class RunCommandTests
{
    private static readonly string Nyse = CliRun.RepositoryFile("samples", "data", "nyse_composite_daily_1966_2002.csv");

    [Fact]
    public async Task Run_GridConfig_WritesTheBestParametersOfTheWholeGrid()
    {
        using var cli = new CliRun();

        var (code, stdout, stderr) = await cli.RunAsync(
            "run", CliRun.RepositoryFile("samples", "configs", "rule_parameters_grid.yaml"), "--data", Nyse, "--output", cli.Output, "--workers", "2");

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        var json = cli.ReadOutput();
        Assert.Equal("Completed", json.GetProperty("state").GetString());
        Assert.Equal("sequential", json.GetProperty("sequence").GetString());
        // 10 fast x 10 slow windows of the crossover (fast < slow leaves 90) x 2 x 2 of the filter.
        Assert.Equal(360, json.GetProperty("trials").GetProperty("completed").GetInt32());
        var best = json.GetProperty("target_results").GetProperty("ma_rule_params");
        var parameters = best.GetProperty("best_params");
        Assert.Equal(
            ["ma_crossover_rule.fast_window", "ma_crossover_rule.slow_window", "ma_filter_rule.fast_window", "ma_filter_rule.slow_window"],
            parameters.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(parameters.GetProperty("ma_crossover_rule.fast_window").GetDouble() < parameters.GetProperty("ma_crossover_rule.slow_window").GetDouble());
        Assert.Equal("sharpe_ratio", best.GetProperty("metric").GetString());
        Assert.True(double.IsFinite(best.GetProperty("best_score").GetDouble()));
        Assert.Empty(json.GetProperty("regime_results").EnumerateObject());
        Assert.Contains("ma_rule_params", stdout);
        Assert.Contains($"written  {cli.Output}", stdout);

        // The verdict of the stage follows the result table; the JSON holds the full analysis.
        Assert.Contains("analysis stage-0 (main): 360 completed trials, score sharpe_ratio", stdout);
        Assert.Contains("  importance  ma_rule_params.ma_crossover_rule.", stdout);
        Assert.Contains("  best        trial ", stdout);
        Assert.Contains("  robust pick ", stdout);
        Assert.Contains("  DSR         ", stdout);
        Assert.Contains("  PBO         ", stdout);
        Assert.True(stdout.IndexOf("analysis stage-0", StringComparison.Ordinal) > stdout.IndexOf("sharpe_ratio (trial", StringComparison.Ordinal));
        var stage = Assert.Single(json.GetProperty("analysis").GetProperty("stages").EnumerateArray());
        Assert.Equal(360, stage.GetProperty("completed_trials").GetInt64());
        Assert.Equal(4, stage.GetProperty("importance").GetArrayLength());
        Assert.Equal(1.0, stage.GetProperty("importance").EnumerateArray().Sum(i => i.GetProperty("importance").GetDouble()), 9);
        Assert.Equal("value", stage.GetProperty("sensitivity")[0].GetProperty("kind").GetString());
        Assert.Equal(best.GetProperty("trial_number").GetInt64(), stage.GetProperty("robustness").GetProperty("best").GetProperty("trial_number").GetInt64());
        var winner = stage.GetProperty("overfitting").GetProperty("winner");
        Assert.InRange(winner.GetProperty("probabilistic_sharpe_ratio").GetDouble(), 0.0, 1.0);
        Assert.Equal(12_870, stage.GetProperty("overfitting").GetProperty("pbo").GetProperty("combinations").GetInt64());
        Assert.Equal(JsonValueKind.Null, stage.GetProperty("unavailable").ValueKind);
    }

    [Fact]
    public async Task Run_RegimeConfig_WritesATablePerRegime()
    {
        using var cli = new CliRun();

        var (code, stdout, stderr) = await cli.RunAsync(
            "run", CliRun.RepositoryFile("samples", "configs", "rule_weights_genetic_by_regime.yaml"), "--data", Nyse, "--output", cli.Output);

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        var json = cli.ReadOutput();
        Assert.Equal("regime_specific", json.GetProperty("sequence").GetString());
        var regimes = json.GetProperty("regime_results").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal(["sideways", "trending_down", "trending_up"], regimes.Keys.Order());
        Assert.Equal(9311, regimes.Values.Sum(r => r.GetProperty("bar_count").GetInt64())); // every bar has one label
        foreach (var (name, regime) in regimes)
        {
            Assert.False(regime.GetProperty("skipped").GetBoolean(), $"{name} has over 100 bars and should be searched");
            var weights = regime.GetProperty("target_results").GetProperty("rule_weights").GetProperty("best_params");
            Assert.Equal(["bollinger_rule.weight", "ma_crossover_rule.weight", "rsi_rule.weight"], weights.EnumerateObject().Select(p => p.Name).Order());
            Assert.All(weights.EnumerateObject(), w => Assert.InRange(w.Value.GetDouble(), 0.0, 1.0));
            Assert.Contains($"regime   {name}:", stdout);
        }

        Assert.Contains("progress [regime ", stdout);

        // A verdict per regime's stage, and the matrix of each regime's winner on every regime's bars.
        Assert.Equal(3, stdout.Split("\nanalysis stage-").Length - 1);
        var analysis = json.GetProperty("analysis");
        Assert.Equal(3, analysis.GetProperty("stages").GetArrayLength());
        Assert.Equal(["sideways", "trending_down", "trending_up"], analysis.GetProperty("regimes").GetProperty("regimes").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal(9, analysis.GetProperty("regimes").GetProperty("sharpe_ratios").GetArrayLength());
    }

    [Fact]
    public async Task Run_EveryTrialFails_ExitsOneAfterTheFailureBudgetWithTheReason()
    {
        // One bar: every backtest record is too short to score, so every trial fails the same way.
        using var cli = new CliRun();
        string data = Path.Combine(Path.GetDirectoryName(cli.Output)!, "one_bar.csv");
        await File.WriteAllTextAsync(data, "Date,Close\n2000-01-03,100\n");

        var (code, stdout, stderr) = await cli.RunAsync(
            "run", CliRun.RepositoryFile("samples", "configs", "rule_parameters_grid.yaml"), "--data", data, "--output", cli.Output, "--workers", "1");

        Assert.True(code == 1, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains(
            "10 trials failed and none completed (failure budget 10); most common: 10 x invalid backtest record: record.equity has 1 values, at least 2 are needed",
            stderr, StringComparison.Ordinal);
        Assert.Contains("10 failed (most common: invalid backtest record", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.Output));
    }

    [Fact]
    public async Task Run_MissingConfigFile_ExitsTwoNamingTheFile()
    {
        using var cli = new CliRun();
        var missing = Path.Combine(cli.Folder, "nope.yaml");

        var (code, _, stderr) = await cli.RunAsync("run", missing, "--data", Nyse, "--output", cli.Output);

        Assert.Equal(2, code);
        Assert.Contains($"cannot read configuration file '{missing}'", stderr);
        Assert.False(File.Exists(cli.Output));
    }

    [Theory]
    [InlineData("optimization:\n  targets:\n    ma: {class: RuleParametersTarget\n  methods: [\n", ":5:1: (yaml): the text ends inside an unclosed")]
    [InlineData("optimization:\n  targets: a: b\n", ":2:")]
    public async Task Run_InvalidYaml_ExitsTwoWithFileAndLine(string yaml, string position)
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "broken.yaml");
        await File.WriteAllTextAsync(config, yaml);

        var (code, _, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output);

        Assert.Equal(2, code);
        Assert.Contains($"optimizer: invalid configuration: {config}{position}", stderr);
        Assert.False(File.Exists(cli.Output));
    }

    [Fact]
    public async Task Run_UnknownTargetClass_ExitsTwoWithTheKeyPath()
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "unknown.yaml");
        await File.WriteAllTextAsync(config, "optimization:\n  targets:\n    ma:\n      class: NoSuchTarget\n");

        var (code, _, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output);

        Assert.Equal(2, code);
        Assert.Contains("NoSuchTarget", stderr);
        Assert.Contains("optimization.targets.ma", stderr);
    }

    [Fact]
    public async Task Run_BadWorkers_IsAUsageError()
    {
        using var cli = new CliRun();

        var (code, _, stderr) = await cli.RunAsync(
            "run", CliRun.RepositoryFile("samples", "configs", "rule_parameters_grid.yaml"), "--data", Nyse, "--workers", "0");

        Assert.Equal(2, code);
        Assert.Contains("--workers must be a positive whole number, got '0'", stderr);
    }
}

public sealed class RunCommandSequenceTests
{
    internal const string Config = """
        optimization:
          targets:
            ma_rule_params:
              class: RuleParametersTarget
              parameters:
                rules: [ma_crossover_rule]
                parameter_space:
                  ma_crossover_rule.fast_window: [10, 20]
                  ma_crossover_rule.slow_window: [50, 100]
            sizing:
              class: PositionSizingTarget
              parameters: {fraction: 1.0, min_fraction: 0.5, fraction_step: 0.5}
          methods:
            grid_search: {class: GridSearchMethod}
          metrics:
            sharpe_ratio: {class: SharpeRatioMetric, parameters: {annualization_factor: 252}}
          sequences:
            sequential: {class: SequentialOptimization}
            walk_forward: {class: WalkForwardOptimization, parameters: {in_sample_bars: 3000, out_of_sample_bars: 2000}}
            hierarchical: {class: HierarchicalOptimization}
          run:
            sequence: sequential
            targets: [ma_rule_params, sizing]
            methods: {ma_rule_params: grid_search, sizing: grid_search}
            metrics: {ma_rule_params: sharpe_ratio, sizing: sharpe_ratio}
        """;

    private static readonly string Nyse = CliRun.RepositoryFile("samples", "data", "nyse_composite_daily_1966_2002.csv");

    [Fact]
    public async Task Run_SequentialOverTwoTargets_ShowsEachStageInTheProgressLine()
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "two_stages.yaml");
        await File.WriteAllTextAsync(config, Config);

        var (code, stdout, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output);

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains("progress [ma_rule_params] ", stdout);
        Assert.Contains("progress [sizing] ", stdout);
        Assert.Contains("/6 trials", stdout); // 4 window pairs, then 2 fractions
        var targets = cli.ReadOutput().GetProperty("target_results");
        Assert.Equal(["ma_rule_params", "sizing"], targets.EnumerateObject().Select(t => t.Name).Order());
    }

    [Fact]
    public async Task Run_SettingTheServerRefuses_ExitsTwoWithTheServersMessage()
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "bad_step.yaml");
        await File.WriteAllTextAsync(config, Config.Replace("out_of_sample_bars: 2000}", "out_of_sample_bars: 2000, step_bars: 0}", StringComparison.Ordinal));

        var (code, _, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output, "--sequence", "walk_forward");

        Assert.Equal(2, code);
        Assert.Contains("optimizer: the server refused the study: ", stderr);
        Assert.Contains("step_bars", stderr);
        Assert.False(File.Exists(cli.Output));
    }

    [Fact]
    public async Task Run_Hierarchical_PrintsAndWritesEachOuterCandidatesInnerWinner()
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "hierarchical.yaml");
        await File.WriteAllTextAsync(config, Config);

        var (code, stdout, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output, "--sequence", "hierarchical");

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains("hierarchical: 4 candidates of ma_rule_params, each scored by a search of sizing", stdout);
        Assert.Contains("/8 trials", stdout); // the server's planned trials: 4 outer candidates x 2 inner
        var h = cli.ReadOutput().GetProperty("hierarchical");
        var candidates = h.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(4, candidates.Count); // the 2 x 2 window pairs, each with a search over 2 fractions
        Assert.All(candidates, c => Assert.Equal(2, c.GetProperty("trials").GetInt64()));
        double best = candidates.Max(c => c.GetProperty("best_score").GetDouble());
        Assert.Equal(best, h.GetProperty("best").GetProperty("best_score").GetDouble(), 12);
        Assert.Equal(8, cli.ReadOutput().GetProperty("trials").GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task Run_WalkForward_PrintsAndWritesTheWindows()
    {
        using var cli = new CliRun();
        var config = Path.Combine(cli.Folder, "walk.yaml");
        await File.WriteAllTextAsync(config, Config);

        var (code, stdout, stderr) = await cli.RunAsync("run", config, "--data", Nyse, "--output", cli.Output, "--sequence", "walk_forward");

        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Contains("walk-forward 3 windows: stitched out-of-sample return", stdout);
        Assert.Contains("progress [window 2] ", stdout);
        var walk = cli.ReadOutput().GetProperty("walk_forward");
        var windows = walk.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal([[0, 3000], [2000, 5000], [4000, 7000]], windows.Select(w => w.GetProperty("in_sample").EnumerateArray().Select(b => b.GetInt64()).ToArray()));
        Assert.All(windows, w => Assert.True(w.GetProperty("out_of_sample_metrics").TryGetProperty("sharpe_ratio", out _)));
        Assert.All(windows, w => Assert.Equal(3, w.GetProperty("best_params").EnumerateObject().Count()));
        var equity = walk.GetProperty("stitched_equity").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(1.0, equity[0], 12);
        Assert.Equal(equity[^1] - 1, walk.GetProperty("stitched_return").GetDouble(), 9);

        // Each in-sample stage has a verdict; the validation stages defer to the stitched out-of-sample statistics.
        Assert.Contains("analysis stage-4 (in-sample 2): 8 completed trials, score sharpe_ratio", stdout);
        Assert.Contains("analysis stage-5 (out-of-sample 2): 1 completed trials", stdout);
        Assert.Contains("analysis walk-forward: stitched out-of-sample DSR ", stdout);
        var stitched = cli.ReadOutput().GetProperty("analysis").GetProperty("walk_forward").GetProperty("stitched");
        Assert.Equal(6000, stitched.GetProperty("periods").GetInt64()); // 3 windows of 2,000 out-of-sample bars
    }
}
