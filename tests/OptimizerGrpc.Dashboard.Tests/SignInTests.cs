using OpenQA.Selenium;
using OptimizerGrpc.Dashboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OptimizerGrpc.Dashboard.Tests;

/// <summary>Signing in to a server that asks for credentials, as a person does it in the browser.</summary>
public sealed class SignInTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Keys = "alice researcher alice-secret-000000001; bob researcher bob-secret-0000000001; watcher viewer viewer-secret-00000001";

    [Fact]
    public async Task LoginForm_RefusesAWrongKey_ThenAViewerSeesTheStudiesLive()
    {
        await using var session = await DashboardSession.StartAsync(browser, output, Keys, clientKey: "alice-secret-000000001");
        var study = (await session.Server.Client.CreateStudyAsync(Market.MaGrid("alice's grid"))).Study;
        var page = session.Page;
        page.Open(session.Server.Dashboard);
        page.WaitFor("the sign-in form", () => page.Script<bool>("return !document.getElementById('view-login').hidden;"));
        Assert.True(page.Script<bool>("return document.getElementById('view-list').hidden;"));
        page.Screenshot("sign-in");

        session.ExpectFailedRequest("/api/session", 401);
        page.Driver.FindElement(By.Id("login-key")).SendKeys("not-a-key-of-this-server");
        page.Driver.FindElement(By.Id("login-submit")).Click();
        page.WaitFor("the refusal", () => page.Text("#login-error").Contains("not valid", StringComparison.Ordinal));

        page.Driver.FindElement(By.Id("login-key")).SendKeys("viewer-secret-00000001");
        page.Driver.FindElement(By.Id("login-submit")).Click();
        string row = $"#study-list tr[data-study-id=\"{study.StudyId}\"]";
        page.WaitFor("alice's study in the viewer's list", () => page.Count(row) == 1);
        Assert.Equal("watcher (viewer)", page.Text("#who"));

        // Live: trials run after sign-in reach the list through the (cookie-authenticated) event stream.
        await Market.RunAsync(session.Server.Client, study.StudyId, Market.Whole);
        page.WaitFor("the finished state pushed to the list", () => page.Text(row).Contains("COMPLETED", StringComparison.OrdinalIgnoreCase));
        page.Screenshot("signed-in-list");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task KeyInTheFragment_SignsIn_LeavesNoKeyInTheAddress_AndShowsOnlyWhatTheKeyMaySee()
    {
        await using var session = await DashboardSession.StartAsync(browser, output, Keys, clientKey: "alice-secret-000000001");
        var alices = (await session.Server.Client.CreateStudyAsync(Market.MaGrid("alice's grid"))).Study;
        var page = session.Page;

        page.Open(new Uri(session.Server.StudyPage(alices.StudyId) + "&key=alice-secret-000000001"));
        page.WaitFor("the study page", () => page.Text("#study-title").Contains("alice's grid", StringComparison.Ordinal));
        Assert.DoesNotContain("key=", page.Driver.Url, StringComparison.Ordinal);
        Assert.EndsWith("#/study/" + alices.StudyId, page.Driver.Url, StringComparison.Ordinal);

        // Sign out; bob signs in by fragment and sees neither the study in his list nor its page.
        page.Driver.FindElement(By.Id("sign-out")).Click();
        page.WaitFor("the sign-in form after signing out", () => page.Script<bool>("return !document.getElementById('view-login').hidden;"));
        page.Open(new Uri(session.Server.Dashboard + "#key=bob-secret-0000000001"));
        page.WaitFor("bob's (empty) list", () => page.Script<bool>("return !document.getElementById('study-list-empty').hidden;"));
        Assert.Equal(0, page.Count($"#study-list tr[data-study-id=\"{alices.StudyId}\"]"));
        session.ExpectFailedRequest($"/api/studies/{alices.StudyId}", 403);
        page.Open(session.Server.StudyPage(alices.StudyId));
        page.WaitFor("the refusal", () => page.Text("#error").Contains("belongs to 'alice'", StringComparison.Ordinal));
        session.AssertNoErrors();
    }
}
