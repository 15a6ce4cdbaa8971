"""The spec's event integration: the bus, OptimizationEventHandler, and live study events from WatchStudy."""
import itertools
import logging

from optimizer_grpc import (Backtester, EventBus, EventType, GridSearchMethod, MovingAverageCrossoverRule,
                            OptimizationEventHandler, OptimizationManager, OptimizationRequestEvent,
                            RuleParametersTarget, SequentialOptimization, SharpeRatioMetric, TrialCompletedEvent)
from optimizer_grpc.trading import metrics as stats

FAST, SLOW = [5, 20], [50, 100]


def manager_for(server_address, bus):
    m = OptimizationManager(address=server_address, capacity=2, progress=False, event_bus=bus)
    m.register_method("grid", GridSearchMethod()).register_metric("sharpe_ratio", SharpeRatioMetric())
    m.register_sequence("sequential", SequentialOptimization())
    m.register_target("ma", RuleParametersTarget([MovingAverageCrossoverRule(
        "ma", parameter_space={"fast_window": FAST, "slow_window": SLOW})]))
    return m


def test_bus_delivers_by_type_in_order_and_isolates_failing_handlers(caplog):
    bus, seen = EventBus(), []

    def broken(event):
        raise RuntimeError("handler bug")

    bus.subscribe(EventType.TRIAL_COMPLETED, broken)
    unsubscribe = bus.subscribe(EventType.TRIAL_COMPLETED, lambda e: seen.append(("a", e.data["trial"])))
    bus.subscribe(EventType.NEW_BEST, lambda e: seen.append(("best", e)))
    with caplog.at_level(logging.ERROR, logger="optimizer_grpc.events"):
        bus.emit(TrialCompletedEvent("s", 1))
    unsubscribe()
    bus.emit(TrialCompletedEvent("s", 2))
    assert seen == [("a", 1)]
    assert "handler bug" in caplog.text


def test_manager_emits_live_study_events_and_the_handler_answers_requests(server_address, nyse):
    bus = EventBus()
    events = []
    for kind in EventType:
        bus.subscribe(kind, events.append)
    with manager_for(server_address, bus) as manager:
        OptimizationEventHandler(manager, bus).attach()
        bus.emit(OptimizationRequestEvent("ma", "grid", "sharpe_ratio", data_handler=nyse))

    kinds = [e.event_type for e in events]
    assert kinds[0] == EventType.OPTIMIZATION_REQUEST and kinds[1] == EventType.OPTIMIZATION_STARTED
    assert kinds[-2:] == [EventType.OPTIMIZATION_COMPLETED, EventType.OPTIMIZATION_RESULT]
    trials = [e.data["trial"] for e in events if e.event_type == EventType.TRIAL_COMPLETED]
    assert sorted(t.number for t in trials) == list(range(len(FAST) * len(SLOW)))  # each trial once
    assert kinds.count(EventType.STAGE_COMPLETED) == 1
    # New bests improve monotonically and the last one is the result's winner.
    bests = [e.data["trial"].values["sharpe_ratio"] for e in events if e.event_type == EventType.NEW_BEST]
    assert bests == sorted(bests) and len(bests) >= 1
    result = events[-1].data["result"]
    assert events[-1].data["target_name"] == "ma"
    scores = {(f, s): stats.sharpe_ratio(Backtester().run(MovingAverageCrossoverRule("ma", fast_window=f, slow_window=s), nyse)[0])
              for f, s in itertools.product(FAST, SLOW)}
    (f, s), best = max(scores.items(), key=lambda kv: kv[1])
    assert result["target_results"]["ma"]["best_params"] == {"ma.fast_window": f, "ma.slow_window": s}
    assert bests[-1] == result["target_results"]["ma"]["best_score"]
    assert events[-2].data["study_id"] == events[1].data["study_id"] == result["study_id"]
