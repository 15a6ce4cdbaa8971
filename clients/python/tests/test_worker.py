import socket
import threading
import time

import pytest

from optimizer_grpc import (Client, IntRange, LocalServer, StudyBuilder, StudyState, TrialOutcome, TrialState, Worker)


def quadratic(trial):
    x, y = trial.params["f.x"], trial.params["f.y"]
    if (x, y) == (1, 1):
        raise ValueError("boom at (1, 1)")
    return {"score": -(x - 3) ** 2 - (y - 2) ** 2}


def grid(n=6):
    return StudyBuilder("w").target("f", {"x": IntRange(0, n - 1), "y": IntRange(0, n - 1)}).maximize("score").grid()


def test_worker_runs_a_grid_to_completion_with_exceptions_as_failed(client):
    study = client.create_study(grid())
    worker = Worker(client, study.study_id, quadratic, capacity=4)
    worker.run()
    assert worker.counters.evaluated == 36 and worker.counters.failed == 1
    assert worker.counters.unacknowledged == 0 and worker.counters.running == 0
    assert worker.done_studies == {study.study_id: StudyState.COMPLETED}
    done = client.get_study(study.study_id)
    assert done.counts.completed == 35 and done.counts.failed == 1
    assert done.best_trial.params == {"f.x": 3, "f.y": 2}
    failed = list(client.list_trials(study.study_id, states=[TrialState.FAILED]))
    assert "boom at (1, 1)" in failed[0].reason and "ValueError" in failed[0].reason


def test_capacity_bounds_concurrent_evaluations(client):
    study = client.create_study(grid(4))
    lock, state = threading.Lock(), {"now": 0, "peak": 0}

    def slow(trial):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.02)
        with lock:
            state["now"] -= 1
        return TrialOutcome.of(score=float(trial.number))

    Worker(client, study.study_id, slow, capacity=3).run()
    assert 1 < state["peak"] <= 3
    assert client.get_study(study.study_id).counts.completed == 16


def test_process_pool_worker(client):
    study = client.create_study(grid(3))
    worker = Worker(client, [study.study_id], quadratic, capacity=2, use_processes=True)
    worker.run()
    assert client.get_study(study.study_id).counts.finished == 9


def test_worker_serves_several_studies(client):
    a, b = client.create_study(grid(2)), client.create_study(grid(3))
    Worker(client, [a.study_id, b.study_id], quadratic, capacity=2).run()
    assert client.get_study(a.study_id).state == client.get_study(b.study_id).state == StudyState.COMPLETED


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_worker_reconnects_across_a_server_restart_and_finishes(tmp_path):
    storage, port = str(tmp_path / "restart.db"), free_port()
    server = LocalServer(storage=storage, port=port)
    address = server.start()

    def evaluate(trial):
        time.sleep(0.1)  # 64 trials on 2 slots take > 3 s, so the restart happens mid-study
        return {"score": float(trial.params["f.x"] + trial.params["f.y"])}

    with Client(address) as client:
        study = client.create_study(grid(8))
        worker = Worker(client, study.study_id, evaluate, capacity=2, initial_reconnect_delay=0.1,
                        max_reconnect_delay=0.5)
        thread = threading.Thread(target=worker.run)
        thread.start()
        while client.get_study(study.study_id).counts.completed < 6:
            time.sleep(0.02)
        server.kill()  # a crash: the stream breaks mid-study
        server = LocalServer(storage=storage, port=port)
        server.start()
        thread.join(timeout=120)
        try:
            assert not thread.is_alive()
            assert worker.counters.reconnects >= 1
            done = client.get_study(study.study_id)
            assert done.state == StudyState.COMPLETED and done.counts.completed == 64
        finally:
            worker.stop()
            server.stop()


def test_unknown_study_raises_not_found(client):
    from optimizer_grpc import NotFoundError
    with pytest.raises(NotFoundError):
        Worker(client, "no-such-study", quadratic, capacity=1).run()


def test_stop_ends_run_early(client):
    study = client.create_study(grid(10))
    holder = {}

    def evaluate(trial):
        if trial.number == 3:
            holder["worker"].stop()
        time.sleep(0.01)
        return {"score": 0.0}

    worker = Worker(client, study.study_id, evaluate, capacity=1)
    holder["worker"] = worker
    worker.run()
    assert client.get_study(study.study_id).counts.finished < 100


@pytest.mark.parametrize("method, settings", [
    ("random", {}),
    ("genetic", {"population_size": 12, "generations": 4}),
    ("particle_swarm", {"swarm_size": 8, "iterations": 5}),
    ("bayesian", {"n_initial": 8}),
    ("tpe", {"n_startup_trials": 8}),
    ("tpe", {"multivariate": False}),
    ("auto", {}),
])
def test_every_method_runs_end_to_end_and_respects_the_relationship(client, method, settings):
    builder = (StudyBuilder(method).target("f", {"x": IntRange(0, 20), "y": IntRange(0, 20)}).maximize("score")
               .relationship("sum", "f.x + f.y <= 25").seed(9).max_trials(40))
    builder = getattr(builder, method)(**settings)
    study = client.create_study(builder)
    Worker(client, study.study_id, lambda t: {"score": -(t.params["f.x"] - 12) ** 2 - (t.params["f.y"] - 4) ** 2},
           capacity=4).run()
    done = client.get_study(study.study_id)
    assert done.state == StudyState.COMPLETED
    trials = list(client.list_trials(study.study_id))
    assert trials and all(t.params["f.x"] + t.params["f.y"] <= 25 for t in trials)
    assert done.best_trial.values["score"] == max(t.values["score"] for t in trials if t.state == TrialState.COMPLETED)
