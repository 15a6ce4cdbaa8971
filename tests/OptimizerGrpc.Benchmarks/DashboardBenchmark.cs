using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Testing;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// <c>dashboard</c>: what opening a large study's page costs a browser. The real server in-process (Kestrel, gRPC and
/// the dashboard port, a SQLite file, durability normal) holds a completed 100,000-trial random-search study of five
/// parameters (as <see cref="AnalysisRpcBenchmark"/>; values-only outcomes, told over two Work streams). Headless
/// Chromium (Debian's chromium and chromium-driver) then loads the study page <c>--runs</c> times, each in a fresh tab
/// of one browser: the first load finds the browser's cache empty (the payload figure), the later ones reuse the cached
/// page assets. Before that, each <c>/api/</c> request of the page is timed alone with HttpClient, in the page's order,
/// twice: the first call finds nothing cached (the trials are loaded, the analysis computed), so the browser loads
/// meet a warm server. Per browser load, the time from navigation start to <c>#chart-history[data-rendered="1"]</c> with a chart in it (first render,
/// recorded in the page by a MutationObserver installed before any script) and to every chart drawn, and the bytes the
/// browser received (transferSize of the navigation and every resource entry). Prints tables and, last,
/// <c>RESULT first_render_ms_100k=… payload_kb_100k=… api_kb_100k=… all_views_ms_100k=… history_first_ms_100k=…
/// analysis_first_ms_100k=…</c>: the median first render, the cold load's bytes in KB, its API bytes alone, the median
/// time to every view, and the first (uncached) history and analysis requests in ms.
/// Usage: <c>dashboard [--trials N] [--runs N]</c>.
/// </summary>
internal static class DashboardBenchmark
{
    private const string StudyId = "dash";
    private const double TargetMs = 2000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The charts every load waits for. Values-only trials keep no equity curves (that card shows a message), the Pareto
    /// chart is hidden for one objective, the study-wide views without regimes or windows.
    /// </summary>
    private static readonly string[] Views = ["chart-history", "chart-importance", "chart-sensitivity", "chart-heatmap", "chart-robustness", "chart-parallel"];

    // Installed before the page's own scripts: records when each chart container first says data-rendered="1" with a
    // chart drawn in it, in ms since navigation start (performance.now()).
    private const string Probe = """
        window.__rendered = {};
        new MutationObserver(list => {
          for (const m of list) {
            const e = m.target;
            // A chart, not a message ("Loading…") in its place: the page marks both data-rendered.
            if (e.id && e.dataset && e.dataset.rendered === '1' && e.querySelector('canvas') && !(e.id in window.__rendered)) {
              window.__rendered[e.id] = performance.now();
            }
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        int trials = 100_000, runs = 3;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--trials" when i + 1 < args.Length: trials = int.Parse(args[++i], Inv); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], Inv); break;
                default:
                    Console.Error.WriteLine("usage: OptimizerGrpc.Benchmarks dashboard [--trials N] [--runs N]");
                    return 2;
            }
        }

        await using var server = await DashboardServer.StartAsync(durable: false);
        double tellSeconds = await BuildStudyAsync(server, trials);
        var page = server.StudyPage(StudyId);
        Console.WriteLine($"dashboard benchmark: {Environment.ProcessorCount} cores; a completed study of {trials:N0} trials, 5 parameters " +
                          $"(told in {tellSeconds:F1} s); {page}; headless {HeadlessChromium.BrowserPath}, {runs} loads in fresh tabs (the first with an empty cache)");
        Console.WriteLine();

        // Each API request the page makes, alone and in the page's order, on the server as the study left it (nothing
        // cached): the first call pays for loading the trials (history, trials) or computing the analysis once.
        Console.WriteLine("API requests of the page, timed with HttpClient one after another (first call: nothing cached):");
        Console.WriteLine($"  {"request",-78} {"first ms",9} {"again ms",9} {"KB",8}");
        var firstCall = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, path) in ApiPaths())
        {
            var (first, bytes) = await TimeAsync(server, path);
            var (again, _) = await TimeAsync(server, path);
            firstCall[name] = first;
            Console.WriteLine($"  {"/" + path,-78} {first,9:F0} {again,9:F0} {bytes / 1024.0,8:F1}");
        }

        Console.WriteLine();
        var loads = new List<Load>();
        using (var driver = HeadlessChromium.Start())
        {
            for (int run = 0; run < runs; run++)
            {
                loads.Add(LoadOnce(driver, page));
            }
        }

        Console.WriteLine($"{"load",-7} {"first render ms",16} {"all views ms",13} {"received KB",12} {"API KB",8} {"requests",9}");
        for (int k = 0; k < loads.Count; k++)
        {
            var l = loads[k];
            Console.WriteLine($"{(k == 0 ? "cold" : "cached" + k.ToString(Inv)),-7} {l.FirstRenderMs,16:F0} {l.AllViewsMs,13:F0} {l.Bytes / 1024.0,12:F1} {l.ApiBytes / 1024.0,8:F1} {l.Entries.Count,9}");
        }

        var cold = loads[0];
        Console.WriteLine();
        Console.WriteLine("cold load (empty browser cache), by request (resource timing):");
        Console.WriteLine($"  {"request",-78} {"ms",7} {"received KB",12} {"body KB",8}");
        foreach (var e in cold.Entries)
        {
            Console.WriteLine($"  {Shorten(e.Name, server.Dashboard),-78} {e.DurationMs,7:F0} {e.TransferSize / 1024.0,12:F1} {e.BodySize / 1024.0,8:F1}");
        }

        double firstRender = Median(loads.Select(l => l.FirstRenderMs));
        double allViews = Median(loads.Select(l => l.AllViewsMs));
        Console.WriteLine();
        Console.WriteLine($"first render (median of {runs}): {firstRender:F0} ms — {(firstRender <= TargetMs ? "within" : "OVER")} the {TargetMs:F0} ms target; every view: {allViews:F0} ms");
        Console.WriteLine(
            $"RESULT first_render_ms_100k={firstRender.ToString("F0", Inv)} payload_kb_100k={(cold.Bytes / 1024.0).ToString("F1", Inv)} " +
            $"api_kb_100k={(cold.ApiBytes / 1024.0).ToString("F1", Inv)} all_views_ms_100k={allViews.ToString("F0", Inv)} " +
            $"history_first_ms_100k={firstCall["history"].ToString("F0", Inv)} analysis_first_ms_100k={firstCall["analysis"].ToString("F0", Inv)}");
        return 0;
    }

    /// <summary>Creates and completes the study over two Work streams; returns the seconds telling took.</summary>
    private static async Task<double> BuildStudyAsync(DashboardServer server, int trials)
    {
        var raw = server.Client.Raw;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await raw.CreateStudyAsync(new CreateStudyRequest { StudyId = StudyId, Spec = AnalysisRpcBenchmark.Spec(trials) }, cancellationToken: cts.Token);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 2).Select(i => new BenchWorker(raw, $"d{i}", StudyId, 64, Score));
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(cts.Token))));
        var study = (await raw.GetStudyAsync(new GetStudyRequest { StudyId = StudyId }, cancellationToken: cts.Token)).Study;
        if (study.State != StudyState.Completed || study.Counts.Completed != trials)
        {
            throw new InvalidOperationException($"study ended {study.State} with {study.Counts}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The page's API requests for the study, in the order it makes them (docs/dashboard-api.md; wwwroot/api.js).</summary>
    private static IEnumerable<(string Name, string Path)> ApiPaths()
    {
        const string study = "api/studies/" + StudyId;
        yield return ("study", study);
        yield return ("history", study + "/history?stage=stage-0");
        yield return ("trials", study + "/trials?stage=stage-0&sort=number&desc=true&offset=0&limit=50");
        yield return ("top trials", study + "/trials?stage=stage-0&sort=score&desc=true&limit=500");
        yield return ("equity", study + "/equity?stage=stage-0&top=5");
        yield return ("analysis", study + "/analysis");
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(DashboardServer server, string path)
    {
        var clock = Stopwatch.StartNew();
        byte[] body = await server.Http.GetByteArrayAsync(new Uri(server.Dashboard, path));
        return (clock.Elapsed.TotalMilliseconds, body.Length);
    }

    /// <summary>A values-only outcome: the annualised Sharpe ratio of the parameters' drift plus noise seeded by the trial number.</summary>
    private static TrialOutcome Score(Trial trial)
    {
        var p = trial.Params;
        double drift = AnalysisBenchmark.Drift(
            p["t.fast"].IntValue, p["t.slow"].IntValue, p["t.threshold"].FloatValue, p["t.rate"].FloatValue,
            Array.IndexOf(AnalysisBenchmark.Kinds, p["t.kind"].StringValue));
        var rng = new Xoshiro256StarStar((ulong)trial.Number + 1);
        double sharpe = ((drift / AnalysisBenchmark.Sigma) + (rng.NextGaussian() / Math.Sqrt(2000))) * Math.Sqrt(252);
        var outcome = new TrialOutcome();
        outcome.Values.Add("sharpe_ratio", sharpe);
        return outcome;
    }

    /// <summary>Opens the page in a fresh tab, waits for every view, reads the render times and the resource entries.</summary>
    private static Load LoadOnce(ChromeDriver driver, Uri page)
    {
        string first = driver.CurrentWindowHandle;
        driver.SwitchTo().NewWindow(WindowType.Tab);
        driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = Probe });
        driver.Navigate().GoToUrl(page);
        var clock = Stopwatch.StartNew();
        Dictionary<string, double> rendered;
        while (true)
        {
            rendered = ((IDictionary<string, object>)driver.ExecuteScript("return window.__rendered || {};")!)
                .ToDictionary(kv => kv.Key, kv => Convert.ToDouble(kv.Value, Inv), StringComparer.Ordinal);
            bool rows = Convert.ToInt64(driver.ExecuteScript("return document.querySelectorAll('#trial-table tbody tr[data-number]').length;"), Inv) > 0;
            if (rows && Views.All(rendered.ContainsKey))
            {
                break;
            }

            if (clock.Elapsed > RenderTimeout)
            {
                throw new TimeoutException($"the page drew only {string.Join(", ", rendered.Keys)} in {RenderTimeout.TotalSeconds:F0} s");
            }

            Thread.Sleep(20);
        }

        Thread.Sleep(500); // let the last requests (the stream's end) complete so their entries are recorded
        var entries = ((IEnumerable<object>)driver.ExecuteScript("""
            return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
              .map(e => [e.name, e.transferSize, e.encodedBodySize, e.duration]);
            """)!)
            .Cast<IReadOnlyList<object>>()
            .Select(e => new Entry((string)e[0], Convert.ToInt64(e[1], Inv), Convert.ToInt64(e[2], Inv), Convert.ToDouble(e[3], Inv)))
            .ToList();
        driver.Close();
        driver.SwitchTo().Window(first);
        return new Load(rendered["chart-history"], Views.Max(v => rendered[v]), entries);
    }

    private static bool IsApi(string url) => url.Contains("/api/", StringComparison.Ordinal);

    private static string Shorten(string url, Uri root) => url.StartsWith(root.ToString(), StringComparison.Ordinal) ? "/" + url[root.ToString().Length..] : url;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private sealed record Entry(string Name, long TransferSize, long BodySize, double DurationMs);

    private sealed record Load(double FirstRenderMs, double AllViewsMs, IReadOnlyList<Entry> Entries)
    {
        public long Bytes => Entries.Sum(e => e.TransferSize);

        public long ApiBytes => Entries.Where(e => IsApi(e.Name)).Sum(e => e.TransferSize);
    }
}
