"""The study analysis (AnalyzeStudy, GetStudyResult.include_analysis) through the client and the manager, against the
real server on NYSE backtests; the typed values' helpers on hand-built messages; the plots."""
import json
import math
import sys

import numpy as np
import pytest

from optimizer_grpc import (GridSearchMethod, IntRange, InvalidArgumentError, MovingAverageCrossoverRule,
                            OptimizationManager, RegimeDetectorTarget, RegimeSpecificOptimization, RuleParametersTarget,
                            SequentialOptimization, SharpeRatioMetric, StudyAnalysis, StudyBuilder,
                            TrendVolatilityRegimeDetector, TrialOutcome, WalkForwardOptimization, Worker,
                            plot_importance, plot_pbo_logits, plot_sensitivity_surface, summarize_analysis)
from optimizer_grpc._pb import pb
from optimizer_grpc.analysis import CellKind, SensitivitySurface

GRID = {"fast_window": [5, 10, 20], "slow_window": [50, 100, 200]}
SPEC_NAMES = {"ma.ma.fast_window", "ma.ma.slow_window"}


def _manager(address):
    m = OptimizationManager(address=address, capacity=2, progress=False)
    m.register_method("grid", GridSearchMethod())
    m.register_metric("sharpe_ratio", SharpeRatioMetric())
    m.register_sequence("sequential", SequentialOptimization())
    m.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule("ma", parameter_space=GRID)]))
    return m


@pytest.fixture(scope="module")
def run(server_address, nyse):
    """One 9-trial grid of NYSE backtests through the manager (records, so the overfitting statistics apply)."""
    with _manager(server_address) as m:
        yield m.run_optimization("sequential", ["ma"], data_handler=nyse)


def test_analyze_study_on_a_backtest_study(client, run):
    analysis = client.analyze_study(run["study_id"])
    assert isinstance(analysis, StudyAnalysis) and len(analysis.stages) == 1
    stage = analysis.stages[0]
    assert stage.metric == "sharpe_ratio" and stage.completed_trials == 9 and stage.unavailable == ""
    assert {i.parameter for i in stage.importance} == {"ma.ma__fast_window", "ma.ma__slow_window"}  # wire names
    assert sum(i.importance for i in stage.importance) == pytest.approx(1.0)
    assert [len(s.cells) for s in stage.sensitivity] == [3, 3] and stage.sensitivity[0].kind == CellKind.VALUE
    surface = stage.surfaces[0]
    assert surface.to_array().shape == (3, 3) and int(surface.count_array().sum()) == 9
    assert max(surface.best_scores) == pytest.approx(run["target_results"]["ma"]["best_score"])
    assert stage.robustness.best.score == pytest.approx(run["target_results"]["ma"]["best_score"])
    winner = stage.overfitting.winner
    assert 0.0 <= winner.probabilistic_sharpe_ratio <= 1.0 and 0.0 <= winner.deflated_sharpe_ratio <= 1.0
    assert winner.trials == 9 and winner.periods > 9000
    assert stage.overfitting.pbo.combinations == 12870 and stage.overfitting.pbo.blocks == 16  # C(16, 8)
    assert 0.0 <= stage.overfitting.pbo.probability <= 1.0
    assert sum(stage.overfitting.pbo.logit_histogram) <= 12870
    assert analysis.regimes is None and analysis.walk_forward is None
    assert client.analyze_study(run["study_id"], pbo_blocks=4).stages[0].overfitting.pbo.combinations == 6  # C(4, 2)


def test_get_result_includes_the_analysis_only_when_asked(client, run):
    assert client.get_result(run["study_id"]).analysis is None
    result = client.get_result(run["study_id"], include_analysis=True, pbo_blocks=8)
    assert result.analysis.stages[0].importance == client.analyze_study(run["study_id"]).stages[0].importance
    assert result.analysis.stages[0].overfitting.pbo.combinations == 70  # C(8, 4)


def test_out_of_range_options_name_their_field(client, run):
    with pytest.raises(InvalidArgumentError) as error:
        client.analyze_study(run["study_id"], pbo_blocks=3)
    assert [v.field for v in error.value.violations] == ["options.pbo_blocks"]
    with pytest.raises(InvalidArgumentError) as error:
        client.get_result(run["study_id"], include_analysis=True, bins=1, top_fraction=0.0)
    assert {v.field for v in error.value.violations} == {"analysis_options.bins", "analysis_options.top_fraction"}


def test_values_only_study_has_a_landscape_but_no_overfitting_statistics(client):
    study = client.create_study(StudyBuilder("values").target("f", {"x": IntRange(0, 4), "y": IntRange(0, 4)})
                                .maximize("score").grid())
    Worker(client, study.study_id, lambda t: TrialOutcome.of(score=-(t.params["f.x"] - 3) ** 2 - 0.1 * t.params["f.y"]),
           capacity=2).run()
    stage = client.analyze_study(study.study_id).stages[0]
    assert stage.completed_trials == 25 and stage.importance[0].parameter == "f.x"
    assert stage.overfitting.winner is None and stage.overfitting.pbo is None
    assert stage.overfitting.unavailable and all("values only" in r for r in stage.overfitting.unavailable)
    assert "unavailable: " in summarize_analysis(client.get_result(study.study_id, include_analysis=True))


def test_manager_result_carries_the_analysis_as_dicts_and_typed(run):
    analysis = run["analysis"]
    text = json.dumps(analysis, allow_nan=True)
    assert json.loads(text)["stages"][0]["stage_id"] == run.analysis.stages[0].stage_id
    typed = run.analysis.to_dict()
    assert set(analysis) == {*typed, "target_results"}  # the typed value's fields, plus the view by target
    assert json.dumps({k: analysis[k] for k in typed}, allow_nan=True) == json.dumps(typed, allow_nan=True)
    stage = analysis["stages"][0]
    assert {i["parameter"] for i in stage["importance"]} == SPEC_NAMES  # the spec's names, as in walk_forward
    assert set(stage["robustness"]["best"]["params"]) == SPEC_NAMES
    assert stage["sensitivity"][0]["kind"] == "VALUE" and stage["overfitting"]["pbo"]["combinations"] == 12870
    assert analysis["target_results"] == {"ma": stage} and analysis["target_results"]["ma"] is stage
    assert "analysis" not in run["target_results"]["ma"]  # the spec's dicts stay as they were
    assert stage["robustness"]["best"]["trial_number"] == run["target_results"]["ma"]["trial_number"]


def test_manager_skips_or_tunes_the_analysis(server_address, nyse):
    with _manager(server_address) as m:
        skipped = m.run_optimization("sequential", ["ma"], data_handler=nyse, analyze=False)
        assert "analysis" not in skipped and skipped.analysis is None
        tuned = m.run_optimization("sequential", ["ma"], data_handler=nyse, analysis_options={"pbo_blocks": 2})
        assert tuned.analysis.stages[0].overfitting.pbo.combinations == 2  # C(2, 1)
    with pytest.raises(TypeError):
        OptimizationManager(analysis_options={"pbo_block": 2})


def test_each_regime_and_window_gets_its_stage_analysis(server_address, nyse):
    with _manager(server_address) as m:
        m.register_target("regime_detector", RegimeDetectorTarget(TrendVolatilityRegimeDetector()))
        m.register_sequence("regimes", RegimeSpecificOptimization(min_regime_data=100))
        m.register_sequence("walk_forward", WalkForwardOptimization(in_sample_bars=3000, out_of_sample_bars=2000))
        regimes = m.run_optimization("regimes", ["ma"], data_handler=nyse, regime_detector_target="regime_detector")
        walk_forward = m.run_optimization("walk_forward", ["ma"], data_handler=nyse)
    stages = {s.stage_id: s for s in regimes["study_result"].study.stages}
    views = regimes["analysis"]["regime_results"]
    assert set(views) == set(regimes["regime_results"]) and regimes["analysis"]["target_results"] == {}
    for regime, stage in views.items():
        assert stages[stage["stage_id"]].regime == regime and stage["completed_trials"] == 9
    assert regimes["analysis"]["regimes"]["regimes"] == regimes["regimes"]
    # Segment mode: each regime's winner was backtested once on every other regime, so the matrix is complete.
    matrix = regimes.analysis.regimes
    assert matrix.unavailable == "" and not np.isnan(matrix.to_array()).any()
    cross = [s for s in regimes["study_result"].study.stages if s.winner_of_regime]
    assert len(cross) == len(matrix.regimes) * (len(matrix.regimes) - 1)
    assert all(s.counts.completed == 1 and s.data_context.regime != s.winner_of_regime for s in cross)
    windows = walk_forward["walk_forward"]["windows"]
    stages = {s.stage_id: s for s in walk_forward["study_result"].study.stages}
    assert len(walk_forward["analysis"]["windows"]) == len(windows) == 3
    for w, stage in zip(windows, walk_forward["analysis"]["windows"]):  # the search, not the validation stage
        assert stages[stage["stage_id"]].data_context.start_bar == w["in_sample"][0]
        assert stage["completed_trials"] == 9
    assert len(walk_forward.analysis.walk_forward.window_efficiency) == len(windows)
    assert "walk-forward: 3 windows" in summarize_analysis(walk_forward)


def test_summarize_analysis_gives_a_verdict_per_stage(client, run):
    text = summarize_analysis(run)
    top = run.analysis.stages[0].importance[0].parameter
    assert text.startswith("stage-0 'main': sharpe_ratio, 9 completed trials")
    assert f"importance:  {top} " in text and "PSR " in text and "DSR " in text
    assert "PBO:" in text and "over 12870 combinations" in text
    assert summarize_analysis(run.analysis) == text.replace("stage-0 'main'", "stage-0")
    with pytest.raises(ValueError, match="no analysis"):
        summarize_analysis(client.get_result(run["study_id"]))  # fetched without include_analysis
    with pytest.raises(TypeError, match="typed .analysis"):
        summarize_analysis(run["analysis"])


def test_plots_write_png_files(run, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    for plot in (plot_importance, plot_sensitivity_surface, plot_pbo_logits):
        path = tmp_path / f"{plot.__name__}.png"
        figure = plot(run, path)
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, plot.__name__
        assert figure.axes and figure.axes[0].get_title().startswith("stage-0")


def test_plots_name_matplotlib_when_it_is_missing(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="plot_importance needs matplotlib"):
        plot_importance(run)


def test_surface_and_regime_helpers_on_hand_built_messages():
    nan = float("nan")
    message = pb.StudyAnalysis(
        stages=[pb.StageAnalysis(stage_id="stage-0", metric="m", completed_trials=3, surfaces=[pb.SensitivitySurface(
            row_parameter="t.a", column_parameter="t.b", rows=2, columns=3, best_scores=[1, 2, 3, 4, nan, 6],
            counts=[1, 1, 1, 1, 0, 1])])],
        regimes=pb.RegimeMatrix(regimes=["up", "down"], bar_shares=[0.75, 0.25], sharpe_ratios=[0.1, nan, 0.3, 0.4]))
    analysis = StudyAnalysis.from_proto(message, rename=lambda n: n.upper())
    surface = analysis.stage("stage-0").surface("T.A", "T.B")
    assert isinstance(surface, SensitivitySurface)
    grid = surface.grid()
    assert grid[0] == [1, 2, 3] and grid[1][0] == 4 and math.isnan(grid[1][1]) and grid[1][2] == 6
    assert surface.to_array().shape == (2, 3) and surface.count_array()[1, 1] == 0
    rows = analysis.regimes.rows()
    assert rows[0][0] == 0.1 and math.isnan(rows[0][1]) and rows[1] == [0.3, 0.4]
    assert analysis.regimes.to_array().shape == (2, 2)
    plain = analysis.to_dict()
    assert math.isnan(plain["stages"][0]["surfaces"][0]["best_scores"][4])  # NaN kept
    assert plain["stages"][0]["robustness"] is None and plain["walk_forward"] is None
    assert "NaN" in json.dumps(plain, allow_nan=True)
    text = summarize_analysis(analysis)
    assert text.startswith("stage-0: m, 3 completed trials\nregimes: each winner's Sharpe ratio")
    assert "  up (75% of bars): up 0.100, down nan" in text
