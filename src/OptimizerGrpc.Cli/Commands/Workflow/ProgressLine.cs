using System.Diagnostics;
using System.Globalization;
using OptimizerGrpc.Optimization;

namespace OptimizerGrpc.Cli.Commands.Workflow;

/// <summary>A progress line: trials done (of the budget), rate, best so far and, when the budget is known, the ETA.</summary>
internal sealed class ProgressLine
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = new();
    private readonly bool _tty = !Console.IsOutputRedirected;
    private TimeSpan _lastPrint;
    private long? _budget;
    private long _done;
    private readonly Dictionary<string, string> _stageNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bestByStage = new(StringComparer.Ordinal);
    private string _best = "-";
    private string _stage = "";

    // FAILED trials by the first line of their reason, to name the most common one.
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);

    public void Start(OptimizationStartedEventArgs e)
    {
        _budget = e.Budget;
        _clock.Start();
        Console.WriteLine($"study    {e.StudyId}: {e.Sequence} over {string.Join(", ", e.Targets)}" +
            (e.Budget is { } b ? $", at most {b:N0} trials" : ""));
    }

    public void Stage(StageStartedEventArgs e)
    {
        lock (_gate)
        {
            // A stage (a target of a sequence, a regime, a walk-forward window) has its own best; the line shows
            // the stage of the latest trial, since the server may run several stages at once.
            _stageNames[e.Stage.StageId] = e.Stage.Regime is { Length: > 0 } regime ? $"regime {regime}"
                : e.Stage.WindowIndex is { } window ? $"window {window}"
                : e.Stage.Name;
            if (_tty && _done > 0)
            {
                Console.WriteLine();
            }

            Show(e.Stage.StageId);
            Print(force: true);
        }
    }

    public void Trial(TrialCompletedEventArgs e)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, e.Finished);
            if (e.Trial.State == Client.TrialState.Failed)
            {
                string reason = e.Trial.Reason.Split('\n', 2)[0].Trim();
                _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
            }

            Show(e.Trial.StageId);
            Print(force: false);
        }
    }

    public void Best(NewBestEventArgs e)
    {
        lock (_gate)
        {
            _bestByStage[e.StageId] = string.Create(CultureInfo.InvariantCulture, $"{e.Score:F4} (trial {e.Trial.Number})");
            Show(e.StageId);
        }
    }

    private void Show(string stageId)
    {
        _stage = _stageNames.GetValueOrDefault(stageId, _stage);
        _best = _bestByStage.GetValueOrDefault(stageId, "-");
    }

    public void Finish()
    {
        lock (_gate)
        {
            Print(force: true);
            if (_tty)
            {
                Console.WriteLine();
            }
        }
    }

    // "  3 failed (most common: ...)", the reason cut at 60 characters; empty without failures.
    private string Failures()
    {
        if (_failures.Count == 0)
        {
            return "";
        }

        var top = _failures.MaxBy(f => f.Value).Key;
        return string.Create(CultureInfo.InvariantCulture, $"  {_failures.Values.Sum()} failed (most common: {(top.Length <= 60 ? top : top[..59] + "…")})");
    }

    // A terminal gets a rewritten line; a log file gets a line a second.
    private void Print(bool force)
    {
        var elapsed = _clock.Elapsed;
        if (!force && elapsed - _lastPrint < (_tty ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1)))
        {
            return;
        }

        _lastPrint = elapsed;
        double rate = _done / Math.Max(elapsed.TotalSeconds, 1e-3);
        string of = _budget is { } b ? $"/{b}" : "";
        string eta = _budget is { } total && rate > 0 && _done < total ? $"  eta {TimeSpan.FromSeconds((total - _done) / rate):mm\\:ss}" : "";
        string line = string.Create(CultureInfo.InvariantCulture, $"progress {(_stage.Length > 0 ? "[" + _stage + "] " : "")}{_done}{of} trials  {rate,6:F0} trials/s  best {_best}{eta}{Failures()}");
        Console.Write(_tty ? "\r" + line.PadRight(100) : line + Environment.NewLine);
    }
}
