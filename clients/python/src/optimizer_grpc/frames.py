"""Tables of trials and results: ``*_records`` give lists of flat dicts (one per row, same keys in every row);
``to_dataframe`` turns them into a pandas DataFrame when pandas is installed (it is optional)."""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence

from optimizer_grpc.model import Trial

TRIAL_COLUMNS = ("number", "stage_id", "state", "context", "regime", "start_bar", "end_bar", "reason", "worker_id",
                 "duration_s")


def trial_records(trials: Iterable[Trial], param_name: Optional[Callable[[str], str]] = None) -> List[Dict[str, Any]]:
    """One row per trial: TRIAL_COLUMNS, then ``param:<name>`` per parameter and ``value:<metric>`` per value, in
    sorted order; a row without some parameter or value has None there. ``param_name`` renames parameters (the
    manager passes its wire-to-spec mapping)."""
    trials = list(trials)
    rename = param_name or (lambda n: n)
    rows = []
    for t in trials:
        c = t.data_context
        duration = (t.end_time - t.start_time).total_seconds() if t.start_time and t.end_time else None
        row: Dict[str, Any] = {
            "number": t.number, "stage_id": t.stage_id, "state": t.state.name, "context": c.label or c.kind,
            "regime": c.regime, "start_bar": c.start_bar if c.kind == "window" else None,
            "end_bar": c.end_bar if c.kind == "window" else None, "reason": t.reason, "worker_id": t.worker_id,
            "duration_s": duration}
        row.update({f"param:{rename(k)}": v for k, v in t.params.items()})
        row.update({f"value:{k}": v for k, v in t.values.items()})
        rows.append(row)
    return _rectangular(rows, TRIAL_COLUMNS)


def _rectangular(rows: List[Dict[str, Any]], leading: Sequence[str]) -> List[Dict[str, Any]]:
    """Every row with the same keys: ``leading`` first, then the rest sorted; missing cells are None."""
    extra = sorted({k for r in rows for k in r} - set(leading))
    keys = [k for k in leading if any(k in r for r in rows)] + extra
    return [{k: r.get(k) for k in keys} for r in rows]


def to_dataframe(records: Sequence[Mapping[str, Any]]) -> Any:
    """A pandas DataFrame of ``records``; ImportError naming pandas when it is not installed."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("to_dataframe needs pandas, which is not installed (pip install pandas, or "
                          "apt-get install python3-pandas); to_records() gives the same rows as a list of dicts "
                          "without it") from e
    return pd.DataFrame.from_records(list(records))
