"""CSVDataHandler: a price series from a CSV file with a date/time column and a Close column."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np


class CSVDataHandler:
    """Loads ``Date``/``Timestamp`` (ISO) and ``Close`` (plus any numeric columns) into numpy arrays.

    A non-positive or missing close is an error; rows out of time order are kept in file order and listed in
    ``issues`` (no silent cleaning). ``subset(indices)`` returns a handler over some bars (a regime's, a window's), keeping each bar's
    index in the full series in ``bar_index``.
    """

    def __init__(self, path: Union[str, Path, None] = None, *, name: Optional[str] = None,
                 times: Optional[np.ndarray] = None, columns: Optional[Dict[str, np.ndarray]] = None,
                 bar_index: Optional[np.ndarray] = None) -> None:
        if path is not None:
            self.path = Path(path)
            times, columns = _read(self.path)
            name = name or self.path.stem
        if times is None or columns is None or "close" not in columns:
            raise ValueError("give a CSV path, or times and columns including 'close'")
        self.name = name or "series"
        self.times = times
        self.columns = columns
        self.close: np.ndarray = columns["close"]
        self.bar_index = np.arange(len(self.close)) if bar_index is None else bar_index
        self.issues: List[str] = _time_issues(times) if path is not None else []

    def __len__(self) -> int:
        return len(self.close)

    @property
    def timestamps_unix_ms(self) -> np.ndarray:
        return self.times.astype("datetime64[ms]").astype(np.int64)

    def window(self, start_bar: int, end_bar: int) -> "CSVDataHandler":
        """The bars [start_bar, end_bar) of this handler."""
        return self.subset(np.arange(max(0, start_bar), min(len(self), end_bar)))

    def subset(self, indices: Union[Sequence[int], np.ndarray]) -> "CSVDataHandler":
        idx = np.asarray(indices, dtype=np.int64)
        return CSVDataHandler(name=self.name, times=self.times[idx],
                              columns={k: v[idx] for k, v in self.columns.items()}, bar_index=self.bar_index[idx])

    def segments(self, segments: Sequence[Tuple[int, int]]) -> "CSVDataHandler":
        """Bars of several [start, end) windows joined (a regime's segments)."""
        parts = [np.arange(s, e) for s, e in segments]
        return self.subset(np.concatenate(parts) if parts else np.empty(0, dtype=np.int64))

    def __repr__(self) -> str:
        span = f"{self.times[0]} .. {self.times[-1]}" if len(self) else "empty"
        return f"CSVDataHandler({self.name!r}, {len(self)} bars, {span})"


def _read(path: Path) -> Tuple[np.ndarray, Dict[str, np.ndarray]]:
    with path.open(newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        rows = [r for r in reader if r]
    lower = [h.lower() for h in header]
    time_col = next((i for i, h in enumerate(lower) if h in ("date", "timestamp", "time", "datetime")), None)
    if time_col is None or "close" not in lower:
        raise ValueError(f"{path}: needs a Date or Timestamp column and a Close column, got {header}")
    times = np.array([r[time_col] for r in rows], dtype="datetime64[ms]")
    columns: Dict[str, np.ndarray] = {}
    for i, h in enumerate(lower):
        if i == time_col:
            continue
        try:
            columns[h] = np.array([float(r[i]) for r in rows])
        except ValueError as e:
            raise ValueError(f"{path}: column {header[i]} has a non-numeric value ({e})") from None
    close = columns["close"]
    bad = np.flatnonzero(~(np.isfinite(close) & (close > 0)))
    if bad.size:
        raise ValueError(f"{path}: close must be positive and finite; row {bad[0] + 2} has {close[bad[0]]}")
    return times, columns


def _time_issues(times: np.ndarray) -> List[str]:
    """Rows whose time is not after the previous row's: reported, kept in file order (the data is given)."""
    bad = np.flatnonzero(np.diff(times.astype(np.int64)) <= 0) + 1
    return [f"line {i + 2}: {times[i]} is not after {times[i - 1]}; row kept in file order" for i in bad]
