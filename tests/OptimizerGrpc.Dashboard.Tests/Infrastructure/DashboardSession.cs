using OpenQA.Selenium;
using OptimizerGrpc.Testing;
using Xunit.Abstractions;

namespace OptimizerGrpc.Dashboard.Tests.Infrastructure;

/// <summary>
/// One test's real server and the class's browser. <see cref="AssertNoErrors"/> fails on a SEVERE browser console entry
/// (a script error, a failed request) that the test did not provoke on purpose, and on an error the server logged.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly List<Func<string, bool>> _expected = [];

    private DashboardSession(DashboardServer server, DashboardPage page)
    {
        Server = server;
        Page = page;
    }

    public DashboardServer Server { get; }

    public DashboardPage Page { get; }

    /// <param name="apiKeys">Keys-file lines: the server asks for credentials; the session's client uses <paramref name="clientKey"/>.</param>
    public static async Task<DashboardSession> StartAsync(BrowserFixture browser, ITestOutputHelper output, string? apiKeys = null, string? clientKey = null)
    {
        var page = new DashboardPage(browser.Driver, output);
        page.Console(); // what an earlier test left in the console is that test's business
        return new DashboardSession(await DashboardServer.StartAsync(apiKeys: apiKeys, clientKey: clientKey), page);
    }

    /// <summary>Allows SEVERE console entries of a request the test makes fail on purpose (path and status).</summary>
    public void ExpectFailedRequest(string path, int status) =>
        _expected.Add(m => m.Contains(path, StringComparison.Ordinal) && m.Contains($"status of {status}", StringComparison.Ordinal));

    public void AssertNoErrors()
    {
        var severe = Page.Console()
            .Where(e => e.Level == LogLevel.Severe && !_expected.Any(x => x(e.Message)))
            .Select(e => e.Message)
            .ToList();
        Assert.True(severe.Count == 0, "the page logged errors:\n" + string.Join("\n", severe));
        Assert.True(Server.Errors.Count == 0, "the server logged errors:\n" + string.Join("\n", Server.Errors));
    }

    public async ValueTask DisposeAsync()
    {
        // Leave the page first, so that its event streams close before the server stops: the server's streams end
        // only when the page goes away, and a stop would otherwise wait out the host's shutdown timeout (30 s).
        Page.Driver.Navigate().GoToUrl("about:blank");
        await Server.DisposeAsync();
    }
}
