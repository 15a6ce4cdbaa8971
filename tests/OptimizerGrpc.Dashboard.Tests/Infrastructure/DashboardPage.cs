using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace OptimizerGrpc.Dashboard.Tests.Infrastructure;

/// <summary>
/// What a test does with the browser: open a page, read the DOM hooks the page keeps for tests (charts' data-rendered
/// and data-points, <c>body[data-live]</c>), wait for them, take screenshots, and read the console.
/// </summary>
public sealed class DashboardPage(ChromeDriver driver, ITestOutputHelper output)
{
    /// <summary>How long a view may take to appear before the test fails; generous for a loaded 2-core CI machine.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    public ChromeDriver Driver => driver;

    /// <summary>Where screenshots go: $OPTIMIZER_SCREENSHOTS, else optimizer-dashboard-screenshots in the temp folder.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("OPTIMIZER_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "optimizer-dashboard-screenshots");

    public void Open(Uri url)
    {
        // A blank page first: a new URL that differs from the open one only in its #fragment would not reload.
        driver.Navigate().GoToUrl("about:blank");
        driver.Navigate().GoToUrl(url);
    }

    public T Script<T>(string script, params object[] args) => (T)driver.ExecuteScript(script, args)!;

    /// <summary>An element's attribute, or null when the element or the attribute is missing.</summary>
    public string? Attribute(string selector, string name) =>
        (string?)driver.ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", selector, name);

    /// <summary>A chart container's data-points, once it says data-rendered="1".</summary>
    public int RenderedPoints(string chartId)
    {
        WaitFor($"#{chartId} drawn", () => Attribute($"#{chartId}", "data-rendered") == "1");
        return int.Parse(Attribute($"#{chartId}", "data-points")!, CultureInfo.InvariantCulture);
    }

    public int Count(string selector) => Convert.ToInt32(driver.ExecuteScript("return document.querySelectorAll(arguments[0]).length;", selector), CultureInfo.InvariantCulture);

    public string Text(string selector) => (string?)driver.ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector) ?? "";

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public void WaitFor(string what, Func<bool> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                Screenshot("timeout-" + new string([.. what.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]));
                Assert.Fail($"waited {limit.TotalSeconds:F0} s for {what}; browser console:\n{string.Join("\n", Console())}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Scrolls an element to the top of the window (for a screenshot of a view below the fold).</summary>
    public void ScrollTo(string selector) =>
        driver.ExecuteScript("const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'start'});", selector);

    /// <summary>Saves a PNG of the window and prints its path to the test output and to stdout (the CI log).</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        driver.GetScreenshot().SaveAsFile(path);
        output.WriteLine("screenshot: " + path);
        System.Console.WriteLine("screenshot: " + path);
        return path;
    }

    /// <summary>The console entries since the last call (the driver hands each entry out once).</summary>
    public IReadOnlyList<LogEntry> Console() => driver.Manage().Logs.GetLog(LogType.Browser);
}
