"""Figures for the plots: matplotlib imported only when one is drawn (an ImportError naming it otherwise), no pyplot
state (any backend works), the axes given or a new figure's, saved when a path is given."""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import numpy as np

PathLike = Union[str, Any]  # str or os.PathLike


#: What the ImportError offers instead of a figure.
ANALYSIS_HINT = "summarize_analysis() gives the same findings as text"
RUN_HINT = "the result's to_records() tables hold the same data"


def axes(function: str, ax: Any, size: Tuple[float, float], hint: str = ANALYSIS_HINT) -> Tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    fig = figure(function, size, hint)
    return fig, fig.add_subplot()


def axes_pair(function: str, ax: Any, size: Tuple[float, float], ratios: Tuple[float, float],
              hint: str = RUN_HINT) -> Tuple[Any, Any, Any]:
    """Two axes side by side: ``ax`` when given (a pair; a single axes draws the first panel only), else a figure."""
    if ax is not None:
        pair = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax, None]
        return pair[0].figure, pair[0], pair[1] if len(pair) > 1 else None
    fig = figure(function, size, hint)
    first, second = fig.subplots(1, 2, width_ratios=ratios)
    return fig, first, second


def figure(function: str, size: Tuple[float, float], hint: str = ANALYSIS_HINT) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError(f"{function} needs matplotlib, which is not installed (apt-get install python3-matplotlib, "
                          f"or pip install matplotlib); {hint}") from e
    return Figure(figsize=size, layout="constrained")


def finish(fig: Any, path: Optional[PathLike]) -> Any:
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig


