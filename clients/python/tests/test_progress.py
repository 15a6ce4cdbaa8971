"""The progress bar: state from WatchStudy events, the plain (non-tty) and in-place renderings, and a live run."""
import io

from optimizer_grpc import (GridSearchMethod, MovingAverageCrossoverRule, OptimizationManager, RuleParametersTarget,
                            SequentialOptimization, SharpeRatioMetric)
from optimizer_grpc.model import DataContext, Stage, StageState, StudyEvent, StudyState, Trial, TrialCounts, TrialState
from optimizer_grpc.progress import ProgressBar, ProgressState, render


def stage_event(kind, stage_id, max_trials=0, finished=0):
    stage = Stage(stage_id, 0, stage_id, ("t",), StageState.RUNNING, {}, None, TrialCounts(completed=finished),
                  max_trials, DataContext(), planned_trials=max_trials)
    return StudyEvent("s", 1, None, kind, stage=stage)


def trial_event(kind, number, value=None, state=TrialState.COMPLETED):
    trial = Trial("s", number, 1, {}, state=state, values={} if value is None else {"sharpe_ratio": value})
    return StudyEvent("s", number + 2, None, kind, trial=trial)


def fed(*events, maximize=True):
    state = ProgressState(metric="sharpe_ratio", maximize=maximize, started=100.0)
    for e in events:
        state.apply(e)
    return state


def test_plain_line_counts_trials_best_and_eta():
    state = fed(stage_event("stage_started", "a", max_trials=40), trial_event("trial_finished", 0, 0.5),
                trial_event("new_best", 0, 0.5), trial_event("trial_finished", 1, 0.9), trial_event("new_best", 1, 0.9),
                trial_event("trial_finished", 2, state=TrialState.FAILED), trial_event("trial_finished", 3, 0.1))
    # 4 of 40 in 8 s: 2 s a trial, 36 left -> 72 s.
    assert render(state, 108.0, bar=False) == \
        "progress: 4/40 trials (10%), 1 failed, best sharpe_ratio 0.9, 0:08 elapsed, ETA 1:12"


def test_plain_line_without_a_budget_has_no_percentage_or_eta():
    state = fed(stage_event("stage_started", "a"), trial_event("trial_finished", 0, 0.5))
    assert render(state, 103.0, bar=False) == "progress: 1 trials, best -, 0:03 elapsed, ETA ?"
    state.apply(stage_event("stage_completed", "a", finished=1))
    state.apply(StudyEvent("s", 9, None, "study_state_changed", state=StudyState.COMPLETED,
                           previous_state=StudyState.RUNNING))
    assert state.done and render(state, 3700.0, bar=False) == "progress: 1/1 trials (100%), best -, 1:00:00 elapsed"


def test_minimised_metric_keeps_the_lowest_best():
    state = fed(trial_event("new_best", 0, 0.3), trial_event("new_best", 1, 0.2), trial_event("new_best", 2, 0.25),
                maximize=False)
    assert state.best == 0.2


def test_bar_rendering_fills_in_proportion():
    state = fed(stage_event("stage_started", "a", max_trials=8), stage_event("stage_started", "b", max_trials=8),
                *[trial_event("trial_finished", i, 1.0) for i in range(4)], trial_event("new_best", 3, 1.25))
    line = render(state, 104.0, bar=True)
    assert line == "[######..................] 4/16  25% | best sharpe_ratio 1.25 | 0:04 elapsed, ETA 0:12"


def test_progress_bar_writes_plain_lines_to_a_non_tty_stream_during_a_run(server_address, nyse):
    stream = io.StringIO()
    rule = MovingAverageCrossoverRule("ma", parameter_space={"fast_window": [5, 10, 20], "slow_window": [50, 100]})
    with OptimizationManager(address=server_address, capacity=2, progress_stream=stream, progress_interval=0.0) as m:
        m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
        m.register_sequence("sequential", SequentialOptimization()).register_target("ma", RuleParametersTarget([rule]))
        result = m.run_optimization("sequential", ["ma"], data_handler=nyse)
        quiet = m.run_optimization("sequential", ["ma"], data_handler=nyse, progress=False, progress_stream=io.StringIO())
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and all(line.startswith("progress: ") for line in lines)
    assert len(lines) >= 2  # one per event with interval 0, then the final line
    best = result["target_results"]["ma"]["best_score"]
    assert lines[-1].startswith(f"progress: 6/6 trials (100%), best sharpe_ratio {best:.6g}, ")
    assert "ETA" not in lines[-1]
    assert quiet["state"] == "COMPLETED"


def test_progress_bar_redraws_in_place_on_a_tty(server_address, nyse):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    rule = MovingAverageCrossoverRule("ma", parameter_space={"fast_window": [5, 10], "slow_window": [50, 100]})
    with OptimizationManager(address=server_address, capacity=2, progress_stream=stream) as m:
        m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
        m.register_sequence("sequential", SequentialOptimization()).register_target("ma", RuleParametersTarget([rule]))
        m.run_optimization("sequential", ["ma"], data_handler=nyse)
    text = stream.getvalue()
    assert text.startswith("\r[") and text.endswith("\n") and text.count("\n") == 1
    assert "4/4 100%" in text.split("\r")[-1]


def test_watch_failure_is_reported_not_raised():
    class Broken:
        def watch(self, *args, **kwargs):
            raise RuntimeError("stream gone")
            yield  # pragma: no cover

    stream = io.StringIO()
    with ProgressBar(Broken(), "s", stream=stream, bar=False):
        pass
    assert stream.getvalue().splitlines() == ["progress: watching stopped (stream gone)",
                                              "progress: 0 trials, best -, 0:00 elapsed"]
