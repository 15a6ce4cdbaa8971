import uuid

import grpc
import pytest

from optimizer_grpc import (AlreadyExistsError, InvalidArgumentError, IntRange, NotFoundError, StudyBuilder, StudyState,
                            TellStatus, TrialOutcome, TrialState, UnimplementedError)


def small_grid(name="t"):
    return (StudyBuilder(name).target("ma", {"fast": IntRange(2, 4), "slow": [10, 20]}, defaults={"fast": 3})
            .maximize("score").grid())


def test_create_get_list_study_round_trip(client):
    study = client.create_study(small_grid("round-trip"))
    assert study.state == StudyState.RUNNING
    assert client.get_study(study.study_id).display_name == "round-trip"
    assert study.study_id in {s.study_id for s in client.list_studies(page_size=1)}
    assert study.study_id in {s.study_id for s in client.list_studies(states=[StudyState.RUNNING])}


def test_create_with_study_id_is_idempotent_and_rejects_another_spec(client):
    sid = "py-" + uuid.uuid4().hex[:8]
    first = client.create_study(small_grid(), study_id=sid)
    again = client.create_study(small_grid(), study_id=sid)
    assert first.study_id == again.study_id == sid
    with pytest.raises(AlreadyExistsError):
        client.create_study(small_grid().max_trials(3), study_id=sid)


def test_ask_tell_params_are_python_values_and_duplicate_tell_is_acknowledged(client):
    study = client.create_study(small_grid())
    asked = client.ask(study.study_id, count=2, worker_id="py-test")
    assert len(asked.trials) == 2
    trial = asked.trials[0]
    assert trial.params == {"ma.fast": 2, "ma.slow": 10} and type(trial.params["ma.fast"]) is int
    assert trial.target_params("ma") == {"fast": 2, "slow": 10}
    first = client.tell(trial, TrialOutcome.of(score=1.5))
    assert first.status == TellStatus.ACCEPTED and first.trial.state == TrialState.COMPLETED
    assert first.trial.values == {"score": 1.5}
    assert client.tell(trial, TrialOutcome.of(score=9.0)).status == TellStatus.DUPLICATE


def test_pause_resume_stop_delete(client):
    study = client.create_study(small_grid())
    assert client.pause_study(study.study_id).state == StudyState.PAUSED
    assert client.ask(study.study_id, 1).trials == []
    assert client.resume_study(study.study_id).state == StudyState.RUNNING
    assert client.stop_study(study.study_id, "enough").state == StudyState.STOPPED
    client.delete_study(study.study_id)
    with pytest.raises(NotFoundError):
        client.get_study(study.study_id)


def finish_by_ask_tell(client, study_id):
    while True:
        asked = client.ask(study_id, count=10)
        for t in asked.trials:
            client.tell(t, TrialOutcome.of(score=-(t.params["ma.fast"] - 3) ** 2 + t.params["ma.slow"] / 100))
        if asked.study_finished or not asked.trials:
            return


def test_list_trials_pages_and_delta_sync(client):
    study = client.create_study(small_grid())
    asked = client.ask(study.study_id, count=2)
    for t in asked.trials:
        client.tell(t, TrialOutcome.of(score=1.0))
    page = client.list_trials_page(study.study_id, page_size=1)
    assert len(page.trials) == 1 and page.next_page_token
    cursor = page.last_sequence
    finish_by_ask_tell(client, study.study_id)
    all_trials = list(client.list_trials(study.study_id, page_size=2))
    assert [t.number for t in all_trials] == list(range(6))
    changed = list(client.list_trials(study.study_id, after_sequence=cursor))
    assert {t.number for t in changed} == {2, 3, 4, 5}
    completed = list(client.list_trials(study.study_id, states=[TrialState.COMPLETED]))
    assert len(completed) == 6


def test_watch_replays_and_resumes_after_a_sequence(client):
    study = client.create_study(small_grid())
    finish_by_ask_tell(client, study.study_id)
    events = list(client.watch(study.study_id, include_trials=True))
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)
    kinds = {e.kind for e in events}
    assert {"trial_finished", "new_best", "study_state_changed"} <= kinds
    assert events[-1].kind == "study_state_changed" and events[-1].state == StudyState.COMPLETED
    middle = events[len(events) // 2].sequence
    assert [e.sequence for e in client.watch(study.study_id, after_sequence=middle, include_trials=True)] == \
        [e.sequence for e in events if e.sequence > middle]


def test_get_result_has_best_params_per_target(client):
    study = client.create_study(small_grid())
    finish_by_ask_tell(client, study.study_id)
    result = client.get_result(study.study_id)
    assert result.study.state == StudyState.COMPLETED
    assert result.target_results["ma"].best_params == {"fast": 3, "slow": 20}
    assert result.target_results["ma"].best_score == pytest.approx(0.2)


def test_bad_spec_is_invalid_argument_with_field_violations(client):
    bad = StudyBuilder("bad").target("ma", {"fast": IntRange(5, 2)}).maximize("")
    with pytest.raises(InvalidArgumentError) as info:
        client.create_study(bad)
    error = info.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT and isinstance(error, ValueError)
    fields = {v.field for v in error.violations}
    assert "spec.targets[0].parameters[0].int_range.low" in fields
    assert "spec.objectives[0].metric" in fields
    assert "spec.objectives[0].metric" in str(error)


def test_unknown_study_is_not_found(client):
    with pytest.raises(NotFoundError):
        client.get_study("no-such-study")


def test_study_without_a_method_gets_auto_and_a_named_tpe_keeps_its_settings(client):
    unnamed = client.create_study(StudyBuilder("u").target("a", {"x": IntRange(0, 3)}).maximize("v").max_trials(5))
    assert client.get_study(unnamed.study_id).spec.method.WhichOneof("kind") == "auto"
    named = client.create_study(StudyBuilder("t").target("a", {"x": IntRange(0, 3)}).maximize("v")
                                .tpe(n_startup_trials=4, multivariate=False, local_fraction=0.35).max_trials(5))
    method = client.get_study(named.study_id).spec.method
    assert method.WhichOneof("kind") == "tpe"
    assert (method.tpe.n_startup_trials, method.tpe.multivariate, method.tpe.HasField("n_ei_candidates")) == (4, False, False)
    assert method.tpe.local_fraction == pytest.approx(0.35)
    assert not method.tpe.HasField("log_scale_ratio")
    warped = client.create_study(StudyBuilder("w").target("a", {"x": IntRange(0, 3)}).maximize("v")
                                 .bayesian(n_initial=4, output_warping=True).max_trials(5))
    assert client.get_study(warped.study_id).spec.method.bayesian.output_warping


def tpe_refusal_fields(client, **tpe):
    """The fields named by the INVALID_ARGUMENT a TPE study with these settings gets."""
    with pytest.raises(InvalidArgumentError) as info:
        client.create_study(StudyBuilder("bad").target("a", {"n": IntRange(1, 1000)}).maximize("v").tpe(**tpe).max_trials(20))
    return [v.field for v in info.value.violations]


def seeded_tpe_study(client, trials, **tpe):
    """A seeded TPE study over n in 1..1000 (five start-up trials, per-parameter estimators), asked and told one trial
    at a time to the end: the stored study and its proposals in order."""
    spec = (StudyBuilder("tpe").target("a", {"n": IntRange(1, 1000)}).maximize("v")
            .tpe(n_startup_trials=5, multivariate=False, **tpe).seed(3).max_trials(trials))
    study = client.create_study(spec)
    proposals = []
    while True:
        asked = client.ask(study.study_id, count=1)
        for t in asked.trials:
            proposals.append(t.params["a.n"])
            client.tell(t, TrialOutcome.of(v=-abs(t.params["a.n"] - 30)))
        if asked.study_finished or not asked.trials:
            break
    finished = client.get_study(study.study_id)
    assert (finished.state, len(proposals)) == (StudyState.COMPLETED, trials)
    return finished, proposals


def test_tpe_log_scale_ratio_draws_start_up_trials_log_uniformly(client):
    # A log-uniform draw over 1..1000 falls below 100 with probability 2/3, a uniform one 0.1; with seed 3 the
    # log-scaled study's five start-up draws are all below 100 and the plain study's none.
    logged, proposals = seeded_tpe_study(client, 20, log_scale_ratio=10)
    start_up = proposals[:5]
    assert logged.spec.method.tpe.log_scale_ratio == pytest.approx(10)
    assert sum(n < 100 for n in start_up) >= 3
    _, plain = seeded_tpe_study(client, 20)
    assert sum(n < 100 for n in plain[:5]) <= 1
    assert tpe_refusal_fields(client, log_scale_ratio=1.5) == ["spec.method.tpe.log_scale_ratio"]


def test_tpe_late_local_fraction_changes_the_search_only_after_late_after_trials(client):
    # One trial is asked and told at a time, so the k-th proposal sees k completed trials: the first 15 are the plain
    # local study's exactly, and with 0.8 instead of 0.35 of the later ones local, the two studies part after that.
    late, proposals = seeded_tpe_study(client, 30, local_fraction=0.35, late_local_fraction=0.8, late_after=15)
    tpe = late.spec.method.tpe
    assert (tpe.late_local_fraction, tpe.late_after) == (pytest.approx(0.8), 15)
    plain_study, plain = seeded_tpe_study(client, 30, local_fraction=0.35)
    assert not plain_study.spec.method.tpe.HasField("late_local_fraction")
    assert not plain_study.spec.method.tpe.HasField("late_after")
    assert proposals[:15] == plain[:15]
    assert proposals[15:] != plain[15:]
    assert tpe_refusal_fields(client, late_local_fraction=0.95) == ["spec.method.tpe.late_local_fraction"]


def test_tpe_second_basin_fraction_changes_only_local_proposals(client):
    # One trial at a time: the five start-up draws are the plain local study's; after them each local proposal also
    # draws whether to centre on a second basin, so the two studies part. A value out of range is refused.
    second, proposals = seeded_tpe_study(client, 30, local_fraction=0.5, second_basin_fraction=0.5)
    assert second.spec.method.tpe.second_basin_fraction == pytest.approx(0.5)
    plain_study, plain = seeded_tpe_study(client, 30, local_fraction=0.5)
    assert not plain_study.spec.method.tpe.HasField("second_basin_fraction")
    assert proposals[:5] == plain[:5]
    assert proposals[5:] != plain[5:]
    assert tpe_refusal_fields(client, second_basin_fraction=1.5) == ["spec.method.tpe.second_basin_fraction"]


def test_tpe_and_auto_methods_map_to_their_method_specs():
    from optimizer_grpc.optimization import AutoMethod, TpeMethod
    tpe = TpeMethod(n_trials=30, n_ei_candidates=48, seed=3).to_proto()
    assert (tpe.WhichOneof("kind"), tpe.tpe.n_ei_candidates, tpe.tpe.HasField("n_startup_trials"), tpe.seed) == ("tpe", 48, False, 3)
    assert not tpe.tpe.HasField("local_fraction")
    assert TpeMethod(n_trials=30, local_fraction=0.2).to_proto().tpe.local_fraction == pytest.approx(0.2)
    assert not tpe.tpe.HasField("log_scale_ratio")
    assert TpeMethod(n_trials=30, log_scale_ratio=10).to_proto().tpe.log_scale_ratio == pytest.approx(10)
    built = StudyBuilder("b").target("a", {"x": IntRange(1, 100)}).maximize("v").tpe(log_scale_ratio=10).build()
    assert built.method.tpe.log_scale_ratio == pytest.approx(10) and not built.method.tpe.HasField("local_fraction")
    assert not (tpe.tpe.HasField("late_local_fraction") or tpe.tpe.HasField("late_after"))
    late = TpeMethod(n_trials=30, late_local_fraction=0.8, late_after=15, seed=3).to_proto()
    assert (late.tpe.late_local_fraction, late.tpe.late_after, late.seed) == (pytest.approx(0.8), 15, 3)
    built = (StudyBuilder("b").target("a", {"x": IntRange(1, 100)}).maximize("v")
             .tpe(late_local_fraction=0.8, late_after=15).build())
    assert (built.method.tpe.late_local_fraction, built.method.tpe.late_after) == (pytest.approx(0.8), 15)
    assert not built.method.tpe.HasField("local_fraction")
    assert not tpe.tpe.HasField("second_basin_fraction")
    assert TpeMethod(n_trials=30, second_basin_fraction=0.25).to_proto().tpe.second_basin_fraction == pytest.approx(0.25)
    assert AutoMethod(n_trials=30).to_proto().WhichOneof("kind") == "auto"
    from optimizer_grpc.optimization import BayesianMethod
    assert BayesianMethod(n_trials=30, output_warping=True).to_proto().bayesian.output_warping
    assert not BayesianMethod(n_trials=30).to_proto().bayesian.HasField("output_warping")
    assert (TpeMethod(n_trials=30).max_trials, AutoMethod(n_trials=7).max_trials) == (30, 7)


def test_bayesian_study_is_accepted(client):
    spec = StudyBuilder("b").target("a", {"x": IntRange(0, 3)}).maximize("v").bayesian().max_trials(5)
    study = client.create_study(spec)
    assert study.study_id
