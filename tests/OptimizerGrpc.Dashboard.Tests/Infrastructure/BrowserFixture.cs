using OpenQA.Selenium.Chrome;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Dashboard.Tests.Infrastructure;

/// <summary>One headless Chromium per test class; each test opens its own server's pages in it.</summary>
public sealed class BrowserFixture : IDisposable
{
    public ChromeDriver Driver { get; } = HeadlessChromium.Start();

    public void Dispose() => Driver.Quit();
}
