using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace OptimizerGrpc.Testing;

/// <summary>
/// Headless Chromium driven by Selenium through Debian's <c>chromium</c> and <c>chromium-driver</c> packages. Both paths
/// are given explicitly, so Selenium Manager never tries to download a browser or a driver (the machines reach no
/// download site). Shared by the dashboard tests and the <c>dashboard</c> benchmark.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The browser of Debian's <c>chromium</c> package.</summary>
    public const string BrowserPath = "/usr/bin/chromium";

    /// <summary>The driver of Debian's <c>chromium-driver</c> package (the same version as the browser).</summary>
    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>The window the screenshots show: wide enough for the study page's two columns of cards.</summary>
    public const int Width = 1400, Height = 1000;

    /// <summary>
    /// Starts a headless browser with a fresh profile (an empty cache) that records the console at every level.
    /// Throws, naming the Debian packages, when the browser or its driver is not installed.
    /// </summary>
    public static ChromeDriver Start()
    {
        string[] missing = [.. new[] { BrowserPath, DriverPath }.Where(p => !File.Exists(p))];
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(" and ", missing)} not found: the dashboard's browser tests need headless Chromium and its driver " +
                "(as root: apt-get install chromium chromium-driver).");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", $"--window-size={Width},{Height}",
            // /dev/shm is small in containers; a renderer that runs out of it crashes mid-test.
            "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check",
            // A page left for another stays alive in the back/forward cache with its event streams open; without the
            // cache, leaving a page closes its streams as closing its tab would.
            "--disable-features=BackForwardCache");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        try
        {
            return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }
}
