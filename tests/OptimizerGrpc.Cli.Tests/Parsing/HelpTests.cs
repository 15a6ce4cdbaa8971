namespace OptimizerGrpc.Cli.Tests.Parsing;

/// <summary><c>optimizer --help</c>, <c>optimizer VERB --help</c>, and usage errors: exit 2 with the message and the synopsis.</summary>
public sealed class HelpTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Help_ListsEveryCommandWithSynopsisEnvironmentExitCodesAndCompletion()
    {
        var (code, stdout, stderr) = await _cli.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        foreach (string verb in new[] { "serve", "run", "demo", "studies", "show", "watch", "trials", "best", "pause", "resume", "stop", "delete", "ask", "tell", "analyze", "report", "keys", "tls", "completion" })
        {
            Assert.Contains($"\n  {verb} ", stdout, StringComparison.Ordinal);
        }

        Assert.Contains("optimizer trials <ID> [--state S[,S...]] [--stage STAGE_ID] [--format table|csv|json] [--limit N]", stdout, StringComparison.Ordinal);
        Assert.Contains("OPTIMIZER_ADDRESS", stdout, StringComparison.Ordinal);
        Assert.Contains("4  UNAUTHENTICATED or PERMISSION_DENIED", stdout, StringComparison.Ordinal);
        Assert.Contains("source <(optimizer completion bash)", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve", "--jwt-audience")]
    [InlineData("run", "--no-dashboard")]
    [InlineData("demo", "--workers")]
    [InlineData("studies", "--state")]
    [InlineData("show", "--json")]
    [InlineData("watch", "--after")]
    [InlineData("trials", "--format")]
    [InlineData("best", "--server")]
    [InlineData("pause", "--api-key")]
    [InlineData("resume", "--tls-ca")]
    [InlineData("stop", "--reason")]
    [InlineData("delete", "--yes")]
    [InlineData("ask", "--lease-seconds")]
    [InlineData("tell", "--failed")]
    [InlineData("analyze", "--json")]
    [InlineData("report", "--out")]
    [InlineData("keys create", "--role")]
    [InlineData("tls create", "--host")]
    [InlineData("completion", "bash")]
    public async Task VerbHelp_ExitsZeroAndExplainsItsOptions(string verb, string option)
    {
        var (code, stdout, _) = await _cli.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, code);
        // The usage line names the host program: optimizer, or testhost in this process.
        Assert.Contains($" {verb} ", stdout.Split("Usage:")[1], StringComparison.Ordinal);
        Assert.Contains(option, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_IsAUsageError()
    {
        var (code, _, stderr) = await _cli.RunAsync("frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("optimizer: Unrecognized command or argument 'frobnicate'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadChoice_NamesTheOptionTheAllowedValuesAndWhatWasGiven()
    {
        var (code, _, stderr) = await _cli.RunAsync("trials", "s", "--format", "xml");

        Assert.Equal(2, code);
        Assert.Contains("optimizer: --format must be table, csv or json, got 'xml'", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: optimizer trials <ID>", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tell_WithoutAnOutcome_SaysWhichOptionsGiveOne()
    {
        var (code, _, stderr) = await _cli.RunAsync("tell", "s", "0", "--attempt", "1");

        Assert.Equal(2, code);
        Assert.Contains("tell needs the outcome: --value NAME=X (repeat for several), --failed MESSAGE or --pruned", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_SuggestDirective_CompletesCommandsAndOptionValues()
    {
        var (code, stdout, _) = await _cli.RunAsync("[suggest:33]", "optimizer trials x --format ");
        Assert.Equal(0, code);
        Assert.Equal(["csv", "json", "table"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        (code, stdout, _) = await _cli.RunAsync("completion", "bash");
        Assert.Equal(0, code);
        Assert.Contains("complete -o default -F _optimizer_complete optimizer", stdout, StringComparison.Ordinal);
    }
}
