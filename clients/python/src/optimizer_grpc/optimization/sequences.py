"""The spec's optimization sequences. Each turns (targets, methods, metrics) into the server's SequenceSpec;
the server plans and runs the stages; nothing is imitated on the client. A kind a server does not implement
fails with UnimplementedError (from the server's UNIMPLEMENTED)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

import numpy as np

from optimizer_grpc._pb import pb
from optimizer_grpc.optimization._runner import StudyPlan, stage_proto


class OptimizationSequence(ABC):
    """Base interface for optimization sequences."""

    name = "sequence"

    @abstractmethod
    def plan(self, manager: Any, targets: List[str], methods: Dict[str, str], metrics: Dict[str, str],
             **kwargs: Any) -> StudyPlan:
        """The study this sequence runs."""

    def execute(self, manager: Any, targets: List[str], methods: Dict[str, str], metrics: Dict[str, str],
                **kwargs: Any) -> Dict[str, Any]:
        """Runs the sequence as one study on the manager's server and returns the spec's result dict."""
        return manager._run_plan(self.plan(manager, targets, methods, metrics, **kwargs), **kwargs)

    def get_metadata(self) -> Dict[str, Any]:
        return {"name": self.__class__.__name__, "description": self.__doc__ or "No description available"}


class SingleOptimization(OptimizationSequence):
    """All targets searched together in one stage."""

    name = "single"

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        return StudyPlan(self.name, targets, methods, metrics, pb.SequenceSpec(single=pb.SingleSequence()))


class SequentialOptimization(OptimizationSequence):
    """Sequentially optimize targets one after another; each winner is fixed for the later targets."""

    name = "sequential"

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        if len(targets) == 1:
            # One target: a single stage is exactly a one-step sequence.
            sequence = pb.SequenceSpec(single=pb.SingleSequence())
        else:
            sequence = pb.SequenceSpec(sequential=pb.SequentialSequence(
                stages=[stage_proto(manager, t, methods, metrics) for t in targets]))
        return StudyPlan(self.name, targets, methods, metrics, sequence)


class ParallelOptimization(OptimizationSequence):
    """Independent targets searched at the same time; the winners are combined."""

    name = "parallel"

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        return StudyPlan(self.name, targets, methods, metrics, pb.SequenceSpec(parallel=pb.ParallelSequence(
            stages=[stage_proto(manager, t, methods, metrics) for t in targets])))


class HierarchicalOptimization(OptimizationSequence):
    """Every candidate of the first (outer) target is scored by an optimization of the second (inner) target."""

    name = "hierarchical"

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        if len(targets) != 2:
            raise ValueError(f"hierarchical optimization needs exactly two targets (outer, inner), got {targets}")
        return StudyPlan(self.name, targets, methods, metrics, pb.SequenceSpec(hierarchical=pb.HierarchicalSequence(
            outer=stage_proto(manager, targets[0], methods, metrics),
            inner=stage_proto(manager, targets[1], methods, metrics))))


_MODES = {"segment": pb.EVALUATION_MODE_SEGMENT, "attribution": pb.EVALUATION_MODE_ATTRIBUTION}


class RegimeSpecificOptimization(OptimizationSequence):
    """Optimize targets separately for each detected market regime (regimes with at least min_regime_data bars).

    The regime labels come from ``regime_detector`` or the target named by ``regime_detector_target`` and are sent
    to the server with the data description; trials then carry the regime's segments as their data context.

    In segment mode, ``cross_regime_validation`` (default: the server's, on) backtests each regime's winner once on
    every other regime's segments, after the regime's own stage, so the analysis can report the cross-regime matrix.
    Attribution mode needs no extra backtests (each record covers every regime) and ignores it.
    """

    name = "regime_specific"

    def __init__(self, min_regime_data: int = 100, mode: str = "segment",
                 cross_regime_validation: Optional[bool] = None) -> None:
        if mode not in _MODES:
            raise ValueError(f"mode must be 'segment' or 'attribution', got {mode!r}")
        self.min_regime_data, self.mode = min_regime_data, mode
        self.cross_regime_validation = cross_regime_validation

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        detector = kwargs.get("regime_detector")
        detector_target = kwargs.get("regime_detector_target")
        if detector is None and detector_target:
            detector = manager.targets.get(detector_target)
        if detector is None:
            raise ValueError("No regime detector provided: pass regime_detector or regime_detector_target")
        data_handler = kwargs.get("data_handler")
        if data_handler is None:
            raise ValueError("data_handler is required to identify regimes")
        regimes = detector.identify_regimes(data_handler)
        names = list(regimes)
        labels = np.full(len(data_handler), -1, dtype=np.int32)  # -1: a bar in no regime (warm-up); never evaluated
        for i, name in enumerate(names):
            labels[np.asarray(regimes[name], dtype=np.int64)] = i
        data = pb.DataDescription(regime_labels=labels.tolist(), regime_names=names)
        stage = stage_proto(manager, targets[0], methods, metrics)
        stage.targets[:] = targets
        sequence = pb.SequenceSpec(regime_specific=pb.RegimeSpecificSequence(
            stage=stage, min_regime_data=int(kwargs.get("min_regime_data", self.min_regime_data)), mode=_MODES[self.mode],
            regime_detector_target=detector_target if detector_target in targets else ""))
        if self.cross_regime_validation is not None:
            sequence.regime_specific.cross_regime_validation = bool(self.cross_regime_validation)
        return StudyPlan(self.name, targets, methods, metrics, sequence, data=data)


class WalkForwardOptimization(OptimizationSequence):
    """Optimize on rolling (or anchored) in-sample windows and score each winner on the next out-of-sample window."""

    name = "walk_forward"

    def __init__(self, in_sample_bars: int, out_of_sample_bars: int, step_bars: Optional[int] = None,
                 anchored: bool = False, mode: str = "segment") -> None:
        if in_sample_bars <= 0 or out_of_sample_bars <= 0:
            raise ValueError("in_sample_bars and out_of_sample_bars must be > 0")
        self.in_sample_bars, self.out_of_sample_bars, self.step_bars = in_sample_bars, out_of_sample_bars, step_bars
        self.anchored, self.mode = anchored, mode

    def plan(self, manager, targets, methods, metrics, **kwargs) -> StudyPlan:
        stage = stage_proto(manager, targets[0], methods, metrics)
        stage.targets[:] = targets
        wf = pb.WalkForwardSequence(
            stage=stage, in_sample_bars=self.in_sample_bars, out_of_sample_bars=self.out_of_sample_bars,
            window_kind=pb.WINDOW_KIND_ANCHORED if self.anchored else pb.WINDOW_KIND_ROLLING, mode=_MODES[self.mode])
        if self.step_bars is not None:
            wf.step_bars = self.step_bars
        return StudyPlan(self.name, targets, methods, metrics, pb.SequenceSpec(walk_forward=wf))
