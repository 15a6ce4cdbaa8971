"""What a finished or running study yields: the winners per target and stage (GetStudyResult) and the equity curves of
a stage's best backtests (ListEquityCurves), mapped from the wire.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Optional, Tuple

import numpy as np

from optimizer_grpc.analysis import StudyAnalysis
from optimizer_grpc.model import Stage, Study, Trial
from optimizer_grpc.values import ParamValue, params_from_proto


@dataclass(frozen=True)
class TargetResult:
    target: str
    best_params: Dict[str, ParamValue]
    best_score: float
    metric: str
    stage_id: str
    trial_number: int

    @staticmethod
    def from_proto(m: Any) -> "TargetResult":
        return TargetResult(m.target, params_from_proto(m.best_params), m.best_score, m.metric, m.stage_id,
                            m.trial_number)


@dataclass(frozen=True)
class StudyResult:
    """GetStudyResult: winners per target and stage, the best trial, the analysis when it was asked for
    (``get_result(..., include_analysis=True)``), and the raw message for the rest."""

    study: Study
    target_results: Dict[str, TargetResult]
    stage_results: Tuple[Tuple[Stage, Tuple[TargetResult, ...]], ...]
    best_trial: Optional[Trial]
    raw: Any = field(repr=False, compare=False, default=None)
    analysis: Optional[StudyAnalysis] = field(repr=False, compare=False, default=None)

    @staticmethod
    def from_proto(m: Any) -> "StudyResult":
        return StudyResult(
            study=Study.from_proto(m.study),
            target_results={t.target: TargetResult.from_proto(t) for t in m.target_results},
            stage_results=tuple((Stage.from_proto(s.stage), tuple(TargetResult.from_proto(t) for t in s.target_results))
                                for s in m.stages),
            best_trial=Trial.from_proto(m.best_trial) if m.HasField("best_trial") else None, raw=m,
            analysis=StudyAnalysis.from_proto(m.analysis) if m.HasField("analysis") else None)


@dataclass(frozen=True)
class EquityCurve:
    """The equity of one of a stage's best backtests as the server kept it: ``equity[i]`` is the equity at bar
    ``start_bar + i * stride`` (records longer than the kept length are sampled); ``bar_count`` is the record's
    length as reported; ``score`` the trial's rank score (higher is better)."""

    trial_number: int
    stage_id: str
    score: float
    start_bar: int
    stride: int
    equity: Tuple[float, ...]
    bar_count: int

    def bars(self) -> np.ndarray:
        """The series bar of each equity value."""
        return self.start_bar + np.arange(len(self.equity), dtype=np.int64) * max(self.stride, 1)

    def to_array(self) -> np.ndarray:
        return np.asarray(self.equity, dtype=float)

    @staticmethod
    def from_proto(m: Any) -> "EquityCurve":
        return EquityCurve(m.trial_number, m.stage_id, m.score, m.start_bar, m.stride, tuple(m.equity), m.bar_count)


@dataclass(frozen=True)
class EquityCurves:
    """ListEquityCurves: the curves grouped by stage, best first, and how many the server keeps per stage."""

    curves: Tuple[EquityCurve, ...]
    kept_per_stage: int

    def __iter__(self) -> Iterator[EquityCurve]:
        return iter(self.curves)

    def __len__(self) -> int:
        return len(self.curves)

    @staticmethod
    def from_proto(m: Any) -> "EquityCurves":
        return EquityCurves(tuple(EquityCurve.from_proto(c) for c in m.curves), m.kept_per_stage)
