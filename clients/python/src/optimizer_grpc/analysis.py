"""Typed values of a study's analysis (AnalyzeStudy, GetStudyResult with include_analysis), mapped from the wire.

Scores are a stage's ranking score (its objective, negated when minimised). NaN stays NaN, in the values and in
``to_dict()``, whose dicts hold only JSON-able values (``json.dumps(d, allow_nan=True)``). Parameter names are the
server's ("target.name"); ``from_proto(m, rename)`` maps them (the manager passes the spec's names).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import numpy as np

from optimizer_grpc._pb import pb
from optimizer_grpc.values import ParamValue, from_proto

Rename = Callable[[str], str]


def _same(name: str) -> str:
    return name


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Plain:
    def to_dict(self) -> Dict[str, Any]:
        """Plain dicts, lists and scalars (enums by name; NaN kept as float('nan'))."""
        return _plain(self)


def _params(m: Mapping[str, Any], rename: Rename) -> Dict[str, ParamValue]:
    return {rename(k): from_proto(v) for k, v in sorted(m.items())}


@dataclass(frozen=True)
class AnalysisOptions(_Plain):
    """Tuning of the analysis; None takes the server's default (in brackets). Ranges are checked by the server.

    top_fraction: share of the best trials that count as good (0.1); bins: cells of a continuous parameter (10);
    robust_top: best trials given a neighbourhood score (10); pbo_blocks: S of the cross-validation, 2, 4, 8 or 16
    (16); surface_parameters: the most important parameters whose pairs get a surface (4); pbo_max_trials: trials
    entering the cross-validation (1000); mode_radius: clustering radius on the unit scale (0.1).
    """

    top_fraction: Optional[float] = None
    bins: Optional[int] = None
    robust_top: Optional[int] = None
    pbo_blocks: Optional[int] = None
    surface_parameters: Optional[int] = None
    pbo_max_trials: Optional[int] = None
    mode_radius: Optional[float] = None

    def to_proto(self) -> Any:
        return pb.AnalysisOptions(**{f.name: getattr(self, f.name) for f in fields(self)
                                     if getattr(self, f.name) is not None})


class CellKind(enum.IntEnum):
    UNSPECIFIED = 0
    VALUE = 1  # one cell per value of an ordered discrete domain
    BIN = 2  # one cell per equal bin of the unit scale
    CHOICE = 3  # one cell per choice of a categorical parameter


@dataclass(frozen=True)
class ParameterImportance(_Plain):
    """A parameter's share of the score's variation (PED-ANOVA); a stage's importances sum to 1."""

    parameter: str
    importance: float
    divergence: float


@dataclass(frozen=True)
class SensitivityCell(_Plain):
    """One value, bin (low and high are its edges) or choice; scores are NaN when count is 0."""

    low: ParamValue
    high: ParamValue
    count: int
    best_score: float
    mean_score: float


@dataclass(frozen=True)
class ParameterSensitivity(_Plain):
    parameter: str
    kind: CellKind
    cells: Tuple[SensitivityCell, ...]

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "ParameterSensitivity":
        return ParameterSensitivity(rename(m.parameter), CellKind(m.kind), tuple(
            SensitivityCell(from_proto(c.low), from_proto(c.high), c.count, c.best_score, c.mean_score)
            for c in m.cells))


@dataclass(frozen=True)
class SensitivitySurface(_Plain):
    """The best score on the grid of two parameters' cells (a heatmap's data), row-major; NaN where no trial fell."""

    row_parameter: str
    column_parameter: str
    rows: int
    columns: int
    best_scores: Tuple[float, ...]
    counts: Tuple[int, ...]

    def grid(self) -> List[List[float]]:
        """best_scores as ``rows`` lists of ``columns`` values."""
        return [list(self.best_scores[r * self.columns:(r + 1) * self.columns]) for r in range(self.rows)]

    def to_array(self) -> np.ndarray:
        """best_scores as a (rows, columns) float array."""
        return np.asarray(self.best_scores, dtype=float).reshape(self.rows, self.columns)

    def count_array(self) -> np.ndarray:
        return np.asarray(self.counts, dtype=np.int64).reshape(self.rows, self.columns)


@dataclass(frozen=True)
class NeighbourhoodScore(_Plain):
    """A trial's score against the mean of its neighbours (trials in the same or an adjacent cell of every parameter)."""

    trial_number: int
    params: Dict[str, ParamValue]
    score: float
    neighbourhood_mean: float  # NaN without neighbours
    neighbours: int
    isolated_peak: bool
    on_low_edge: Tuple[str, ...] = ()
    on_high_edge: Tuple[str, ...] = ()

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "NeighbourhoodScore":
        return NeighbourhoodScore(m.trial_number, _params(m.params, rename), m.score, m.neighbourhood_mean,
                                  m.neighbours, m.isolated_peak, tuple(rename(p) for p in m.on_low_edge),
                                  tuple(rename(p) for p in m.on_high_edge))


@dataclass(frozen=True)
class Robustness(_Plain):
    """The best trials' neighbourhoods; robust_pick is the one with the best neighbourhood mean (None if none has
    neighbours)."""

    top: Tuple[NeighbourhoodScore, ...]
    best: Optional[NeighbourhoodScore]
    robust_pick: Optional[NeighbourhoodScore]
    median_score: float
    score_spread: float

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "Robustness":
        def one(name: str) -> Optional[NeighbourhoodScore]:
            return NeighbourhoodScore.from_proto(getattr(m, name), rename) if m.HasField(name) else None

        return Robustness(tuple(NeighbourhoodScore.from_proto(t, rename) for t in m.top), one("best"),
                          one("robust_pick"), m.median_score, m.score_spread)


@dataclass(frozen=True)
class Mode(_Plain):
    """A cluster of good trials (DBSCAN in normalised parameter space)."""

    centre: Dict[str, ParamValue]
    size: int
    best_trial_number: int
    best_score: float
    min_score: float
    max_score: float
    score_std: float

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "Mode":
        return Mode(_params(m.centre, rename), m.size, m.best_trial_number, m.best_score, m.min_score, m.max_score,
                    m.score_std)


@dataclass(frozen=True)
class SharpeStatistics(_Plain):
    """The winner's overfitting-aware statistics (Bailey & Lopez de Prado 2012, 2014); Sharpe ratios per period."""

    periods: int
    sharpe_ratio: float
    annualized_sharpe_ratio: float
    skewness: float
    kurtosis: float  # non-excess
    probabilistic_sharpe_ratio: float
    deflated_sharpe_ratio: float
    expected_max_sharpe: float
    trials: int
    sharpe_variance: float
    min_track_record_length: float
    min_backtest_length_years: float

    @staticmethod
    def from_proto(m: Any) -> "SharpeStatistics":
        return SharpeStatistics(**{f.name: getattr(m, f.name) for f in fields(SharpeStatistics)})


@dataclass(frozen=True)
class BacktestOverfitting(_Plain):
    """Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey et al. 2017)."""

    blocks: int
    combinations: int
    probability: float
    logit_bin_edges: Tuple[float, ...]
    logit_histogram: Tuple[int, ...]
    degradation_slope: float
    degradation_intercept: float
    probability_of_loss: float

    @staticmethod
    def from_proto(m: Any) -> "BacktestOverfitting":
        return BacktestOverfitting(m.blocks, m.combinations, m.probability, tuple(m.logit_bin_edges),
                                   tuple(m.logit_histogram), m.degradation_slope, m.degradation_intercept,
                                   m.probability_of_loss)


@dataclass(frozen=True)
class OverfittingStatistics(_Plain):
    """winner and pbo are None when unavailable; ``unavailable`` then says why (values-only outcomes, too few trials)."""

    winner: Optional[SharpeStatistics]
    pbo: Optional[BacktestOverfitting]
    unavailable: Tuple[str, ...] = ()

    @staticmethod
    def from_proto(m: Any) -> "OverfittingStatistics":
        return OverfittingStatistics(SharpeStatistics.from_proto(m.winner) if m.HasField("winner") else None,
                                     BacktestOverfitting.from_proto(m.pbo) if m.HasField("pbo") else None,
                                     tuple(m.unavailable))


@dataclass(frozen=True)
class StageAnalysis(_Plain):
    """One stage's completed trials: importance (most important first), sensitivity, surfaces, robustness, modes and
    overfitting. ``unavailable`` says why the landscape is empty, when it is."""

    stage_id: str
    metric: str
    completed_trials: int
    importance: Tuple[ParameterImportance, ...] = ()
    sensitivity: Tuple[ParameterSensitivity, ...] = ()
    surfaces: Tuple[SensitivitySurface, ...] = ()
    robustness: Optional[Robustness] = None
    modes: Tuple[Mode, ...] = ()
    overfitting: Optional[OverfittingStatistics] = None
    unavailable: str = ""
    #: A multi-objective stage's non-dominated completed trials (ascending numbers).
    pareto_front: Tuple[int, ...] = ()

    def sensitivity_of(self, parameter: str) -> Optional[ParameterSensitivity]:
        return next((s for s in self.sensitivity if s.parameter == parameter), None)

    def surface(self, row_parameter: str, column_parameter: str) -> Optional[SensitivitySurface]:
        return next((s for s in self.surfaces
                     if (s.row_parameter, s.column_parameter) == (row_parameter, column_parameter)), None)

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "StageAnalysis":
        return StageAnalysis(
            m.stage_id, m.metric, m.completed_trials,
            tuple(ParameterImportance(rename(i.parameter), i.importance, i.divergence) for i in m.importance),
            tuple(ParameterSensitivity.from_proto(s, rename) for s in m.sensitivity),
            tuple(SensitivitySurface(rename(s.row_parameter), rename(s.column_parameter), s.rows, s.columns,
                                     tuple(s.best_scores), tuple(s.counts)) for s in m.surfaces),
            Robustness.from_proto(m.robustness, rename) if m.HasField("robustness") else None,
            tuple(Mode.from_proto(x, rename) for x in m.modes),
            OverfittingStatistics.from_proto(m.overfitting) if m.HasField("overfitting") else None, m.unavailable,
            tuple(int(n) for n in m.pareto_front))


@dataclass(frozen=True)
class RegimeMatrix(_Plain):
    """Each regime's winner scored in every regime: row i is regime i's winner, column j its per-period Sharpe ratio
    on regime j's bars (NaN where it has none)."""

    regimes: Tuple[str, ...]
    bar_shares: Tuple[float, ...]
    sharpe_ratios: Tuple[float, ...]
    unavailable: str = ""

    def rows(self) -> List[List[float]]:
        n = len(self.regimes)
        return [list(self.sharpe_ratios[i * n:(i + 1) * n]) for i in range(n)] if len(self.sharpe_ratios) == n * n else []

    def to_array(self) -> np.ndarray:
        """rows() as a (regimes, regimes) float array (0 x regimes when the matrix is unavailable)."""
        return np.asarray(self.rows(), dtype=float).reshape(-1, len(self.regimes))


@dataclass(frozen=True)
class WalkForwardAnalysis(_Plain):
    """Per-window efficiency (out-of-sample over in-sample annualised return), the stitched out-of-sample statistics
    and each numeric parameter's coefficient of variation across windows."""

    window_efficiency: Tuple[float, ...]
    profitable_window_share: float
    stitched: Optional[SharpeStatistics]
    parameter_drift: Dict[str, float] = field(default_factory=dict)
    #: The stitched out-of-sample equity (from 1), sampled to at most 2,000 values with the last one kept.
    stitched_equity: Tuple[float, ...] = ()


@dataclass(frozen=True)
class StudyAnalysis(_Plain):
    """One analysis per stage, plus the regime matrix (regime studies) and the walk-forward summary."""

    stages: Tuple[StageAnalysis, ...]
    regimes: Optional[RegimeMatrix] = None
    walk_forward: Optional[WalkForwardAnalysis] = None

    def stage(self, stage_id: str) -> Optional[StageAnalysis]:
        return next((s for s in self.stages if s.stage_id == stage_id), None)

    @staticmethod
    def from_proto(m: Any, rename: Rename = _same) -> "StudyAnalysis":
        regimes = walk_forward = None
        if m.HasField("regimes"):
            r = m.regimes
            regimes = RegimeMatrix(tuple(r.regimes), tuple(r.bar_shares), tuple(r.sharpe_ratios), r.unavailable)
        if m.HasField("walk_forward"):
            w = m.walk_forward
            walk_forward = WalkForwardAnalysis(
                tuple(w.window_efficiency), w.profitable_window_share,
                SharpeStatistics.from_proto(w.stitched) if w.HasField("stitched") else None,
                {rename(k): v for k, v in sorted(w.parameter_drift.items())}, tuple(w.stitched_equity))
        return StudyAnalysis(tuple(StageAnalysis.from_proto(s, rename) for s in m.stages), regimes, walk_forward)
