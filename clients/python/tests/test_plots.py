"""The run's plots (result.plot_history, plot_importance, plot_heatmap, plot_regimes, plot_walk_forward, plot_equity)
on NYSE runs through the manager against the real server, drawn with the Agg backend: each writes a PNG and draws one
mark per datum (a point per completed trial, a cell per surface cell, a bar per window...). Also the prices the
manager sends with the study and the equity curves the server keeps."""
import sys

import numpy as np
import pytest

from optimizer_grpc import (EquityCurve, EquityCurves, GridSearchMethod, MovingAverageCrossoverRule,
                            OptimizationManager, RegimeDetectorTarget, RegimeSpecificOptimization, RuleParametersTarget,
                            SequentialOptimization, SharpeRatioMetric, TrendVolatilityRegimeDetector, TrialState,
                            WalkForwardOptimization, plot_equity, plot_heatmap, plot_history,
                            plot_regimes, plot_walk_forward)
from optimizer_grpc.optimization._runner import MAX_DISPLAY_PRICES, display_prices

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

GRID = {"fast_window": [5, 10, 20], "slow_window": [50, 100, 200, 250]}
FAST, SLOW = "ma.ma.fast_window", "ma.ma.slow_window"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def manager(server_address):
    with OptimizationManager(address=server_address, capacity=2, progress=False) as m:
        m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
        m.register_sequence("sequential", SequentialOptimization())
        m.register_sequence("regimes", RegimeSpecificOptimization(min_regime_data=100))
        m.register_sequence("walk_forward", WalkForwardOptimization(in_sample_bars=3000, out_of_sample_bars=2000))
        m.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
        m.register_target("detector", RegimeDetectorTarget(TrendVolatilityRegimeDetector()))
        yield m


@pytest.fixture(scope="module")
def run(manager, nyse):
    """A 12-trial grid (3 fast x 4 slow windows) of NYSE backtests."""
    return manager.run_optimization("sequential", ["ma"], data_handler=nyse)


@pytest.fixture(scope="module")
def regimes(manager, nyse):
    """The same grid per regime of TrendVolatilityRegimeDetector's labels (segment mode, with the cross-regime
    validation stages)."""
    return manager.run_optimization("regimes", ["ma"], data_handler=nyse, regime_detector_target="detector")


def _png(path):
    data = path.read_bytes()
    assert data[:8] == PNG and len(data) > 5000, path.name
    return data


def _completed(result, stage_id=None):
    return [t for t in result.trials if t.state == TrialState.COMPLETED and stage_id in (None, t.stage_id)]


def test_study_carries_the_close_prices_for_displays(client, run, nyse):
    data = client.get_study(run["study_id"]).spec.data
    assert data.bar_count == len(nyse) and list(data.prices) == nyse.close.tolist()  # 9,311 bars: every one


def test_display_prices_spread_at_most_20000_values_over_a_long_series():
    close = np.arange(50_000, dtype=float) + 1.0
    prices = display_prices(close, len(close))
    assert len(prices) == MAX_DISPLAY_PRICES == 20_000
    i = np.array([0, 1, 2, 3, 19_999])
    assert prices[i].tolist() == close[i * 50_000 // 20_000].tolist() == [1.0, 3.0, 6.0, 8.0, 49_998.0]
    assert display_prices(close[:100], 100).tolist() == close[:100].tolist()
    assert len(display_prices(None, 100)) == 0 and len(display_prices(close[:99], 100)) == 0  # no close, or not per bar


def test_plot_history_draws_each_completed_trial_and_the_best_so_far(run, tmp_path):
    figure = run.plot_history(path=tmp_path / "history.png")
    _png(tmp_path / "history.png")
    ax = figure.axes[0]
    completed = sorted(_completed(run), key=lambda t: t.number)
    assert len(completed) == 12
    points = ax.collections[0].get_offsets()
    assert len(points) == len(completed)
    assert points[:, 0].tolist() == [t.number for t in completed]
    assert points[:, 1].tolist() == [t.values["sharpe_ratio"] for t in completed]
    (best,) = [line for line in ax.get_lines() if line.get_label() == "best so far"]
    assert len(best.get_xdata()) == len(completed)
    assert best.get_ydata().tolist() == np.maximum.accumulate(points[:, 1]).tolist()
    assert best.get_ydata()[-1] == pytest.approx(run["target_results"]["ma"]["best_score"])
    assert ax.get_xlabel() == "trial number" and ax.get_ylabel() == "sharpe_ratio"
    assert ax.get_title() == "all stages: 12 completed trials"
    assert plot_history(run).axes[0].collections[0].get_offsets().shape == (12, 2)  # the module-level function


def test_plot_history_of_one_stage_of_a_regime_study(regimes, tmp_path):
    result = regimes
    stage = next(s for s in result["study_result"].study.stages if s.regime and not s.winner_of_regime)
    ax = result.plot_history(stage=stage.stage_id, path=tmp_path / "stage.png").axes[0]
    assert len(ax.collections[0].get_offsets()) == len(_completed(result, stage.stage_id)) == 12
    whole = result.plot_history().axes[0]
    assert len(whole.collections[0].get_offsets()) == len(_completed(result))
    assert len(whole.get_lines()) == len({t.stage_id for t in _completed(result)})  # a best-so-far line per stage
    with pytest.raises(ValueError, match="no stage 'stage-99'"):
        result.plot_history(stage="stage-99")


def test_plot_importance_method_draws_a_bar_per_parameter(run, tmp_path):
    figure = run.plot_importance(path=tmp_path / "importance.png")
    _png(tmp_path / "importance.png")
    bars = figure.axes[0].patches
    assert len(bars) == len(run.analysis.stages[0].importance) == 2
    assert sorted(b.get_width() for b in bars) == pytest.approx(sorted(i.importance for i in run.analysis.stages[0].importance))


def test_plot_heatmap_has_a_cell_per_pair_of_values_with_x_across(run, tmp_path):
    figure = run.plot_heatmap(FAST, SLOW, path=tmp_path / "heatmap.png")
    _png(tmp_path / "heatmap.png")
    ax = figure.axes[0]
    grid = ax.images[0].get_array()
    assert grid.shape == (4, 3)  # rows: the 4 slow windows (y), columns: the 3 fast windows (x)
    assert ax.get_xlabel() == FAST and ax.get_ylabel() == SLOW
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "10", "20"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["50", "100", "200", "250"]
    assert grid.count() == 12 and grid.max() == pytest.approx(run["target_results"]["ma"]["best_score"])
    swapped = plot_heatmap(run, SLOW, FAST).axes[0].images[0].get_array()
    assert swapped.shape == (3, 4) and np.array_equal(swapped.filled(np.nan).T, grid.filled(np.nan), equal_nan=True)
    with pytest.raises(ValueError, match=f"no surface of {FAST} and ma.ma.nope; the analysis has "):
        run.plot_heatmap(FAST, "ma.ma.nope")


def test_plot_regimes_colours_each_bar_by_its_regime_and_draws_the_matrix(regimes, nyse, tmp_path):
    result = regimes
    figure = result.plot_regimes(path=tmp_path / "regimes.png")
    _png(tmp_path / "regimes.png")
    prices_ax, matrix_ax = figure.axes[:2]
    labels, names = result.data.regime_labels, result.data.regime_names
    assert len(labels) == len(nyse) and list(names) == result["regimes"]
    lines = prices_ax.get_lines()
    assert len(lines) == 1 + len(names)  # the whole series (grey) under one line per regime
    assert lines[0].get_ydata().tolist() == nyse.close.tolist()
    for i, line in enumerate(lines[1:]):
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.isfinite(y).sum() == (labels == i).sum() > 0
        assert y[labels == i].tolist() == nyse.close[labels == i].tolist()
        assert line.get_label().startswith(names[i])
    n = len(names)
    assert matrix_ax.images[0].get_array().shape == (n, n) and len(matrix_ax.texts) == n * n
    assert matrix_ax.get_xlabel() == "scored on regime" and matrix_ax.get_ylabel() == "winner of regime"
    assert len(plot_regimes(result).axes) == 3  # prices, matrix, its colour bar


def test_run_plots_say_which_run_they_need(run):
    with pytest.raises(ValueError, match="no regime labels in this result: plot_regimes draws a regime-specific run"):
        run.plot_regimes()
    with pytest.raises(ValueError, match="no walk-forward windows in this result"):
        run.plot_walk_forward()


def test_plot_walk_forward_draws_two_bars_per_window_and_the_stitched_equity(manager, nyse, tmp_path):
    result = manager.run_optimization("walk_forward", ["ma"], data_handler=nyse)
    figure = result.plot_walk_forward(path=tmp_path / "walk_forward.png")
    _png(tmp_path / "walk_forward.png")
    bars_ax, equity_ax = figure.axes
    windows = result["walk_forward"]["windows"]
    assert len(windows) == 3 and len(bars_ax.patches) == 2 * len(windows)
    heights = [p.get_height() for p in bars_ax.patches]
    assert heights == pytest.approx([w["in_sample_metrics"]["sharpe_ratio"] for w in windows]
                                    + [w["out_of_sample_metrics"]["sharpe_ratio"] for w in windows])
    (equity,) = [line for line in equity_ax.get_lines() if line.get_label().startswith("stitched")]
    stitched = result["walk_forward"]["stitched_equity"]
    assert equity.get_ydata().tolist() == stitched and len(equity.get_xdata()) == len(stitched)
    x = np.asarray(equity.get_xdata())
    assert x[0] == windows[0]["out_of_sample"][0] and x[-1] == windows[-1]["out_of_sample"][1] - 1
    assert np.all(np.diff(x) > 0)
    drawdown = plot_walk_forward(result, metric="max_drawdown").axes[0]
    assert drawdown.get_ylabel() == "max_drawdown"



def test_list_equity_curves_returns_the_best_trials_curves_typed(client, run):
    curves = client.list_equity_curves(run["study_id"], top=3)
    assert isinstance(curves, EquityCurves) and curves.kept_per_stage >= 3
    assert len(curves) == 3 and all(isinstance(c, EquityCurve) for c in curves)
    scores = [c.score for c in curves]
    assert scores == sorted(scores, reverse=True)
    assert curves.curves[0].trial_number == run["target_results"]["ma"]["trial_number"]
    assert curves.kept_per_stage == 5 and len(client.list_equity_curves(run["study_id"], top=0)) == 5  # the default
    for curve in curves:
        assert curve.stage_id == "stage-0" and curve.bar_count == 9311 and curve.stride >= 1
        assert len(curve.equity) == len(curve.bars()) and curve.bars()[0] == curve.start_bar
        assert (len(curve.equity) - 1) * curve.stride < curve.bar_count
    with pytest.raises(ValueError, match="top must be >= 0"):
        client.list_equity_curves(run["study_id"], top=-1)


def test_plot_equity_overlays_the_best_trials(client, run, tmp_path):
    curves = client.list_equity_curves(run["study_id"], stage_id="stage-0", top=5)
    figure = run.plot_equity(top=5, path=tmp_path / "equity.png")
    _png(tmp_path / "equity.png")
    lines = figure.axes[0].get_lines()
    assert len(lines) == len(curves) == 5
    for line, curve in zip(lines, curves):
        assert line.get_ydata().tolist() == list(curve.equity) and line.get_xdata().tolist() == curve.bars().tolist()
        assert line.get_label().startswith(f"#{curve.trial_number}: score ")
    assert len(plot_equity(run, top=2).axes[0].get_lines()) == 2


def test_plot_equity_after_the_manager_closed_asks_for_a_client(server_address, nyse):
    with OptimizationManager(address=server_address, capacity=2, progress=False) as m:
        m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
        m.register_sequence("sequential", SequentialOptimization())
        m.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule(
            "ma", parameter_space={"fast_window": [5, 10], "slow_window": [50]})]))
        result = m.run_optimization("sequential", ["ma"], data_handler=nyse)
    with pytest.raises(RuntimeError, match="pass client="):
        result.plot_equity()


def test_run_plots_name_matplotlib_when_it_is_missing(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    for name, draw in (("plot_history", run.plot_history), ("plot_heatmap", lambda: run.plot_heatmap(FAST, SLOW))):
        with pytest.raises(ImportError, match=f"{name} needs matplotlib, which is not installed "
                                              r"\(apt-get install python3-matplotlib"):
            draw()


def test_plots_draw_on_given_axes(run):
    from matplotlib.figure import Figure
    figure = Figure()
    left, right = figure.subplots(1, 2)
    assert run.plot_history(ax=left) is figure and run.plot_heatmap(FAST, SLOW, ax=right) is figure
    assert len(left.collections[0].get_offsets()) == 12 and right.images[0].get_array().shape == (4, 3)
