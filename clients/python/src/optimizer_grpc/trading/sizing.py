"""Position sizing."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np


class FixedFractionSizer:
    """Scales every rule position by ``fraction`` of equity (0 < fraction <= max_leverage)."""

    def __init__(self, fraction: float = 1.0, parameter_space: Optional[Dict[str, List[Any]]] = None,
                 max_leverage: float = 1.0, name: str = "position_sizer") -> None:
        self.name = name
        self.max_leverage = max_leverage
        self.parameter_space = dict(parameter_space or {"fraction": [0.25, 0.5, 0.75, 1.0]})
        self.params: Dict[str, Any] = {}
        self.set_parameters({"fraction": fraction})

    def get_parameters(self) -> Dict[str, Any]:
        return dict(self.params)

    def set_parameters(self, params: Dict[str, Any]) -> None:
        ok, error = self.validate_parameters(params)
        if not ok:
            raise ValueError(f"{self.name}: {error}")
        self.params.update(params)

    def validate_parameters(self, params: Dict[str, Any]) -> Tuple[bool, Optional[str]]:
        unknown = set(params) - {"fraction"}
        if unknown:
            return False, f"unknown parameters {sorted(unknown)}; known: ['fraction']"
        f = params.get("fraction", self.params.get("fraction"))
        if not 0 < f <= self.max_leverage:
            return False, f"fraction must be in (0, {self.max_leverage}], got {f}"
        return True, None

    def size(self, positions: np.ndarray) -> np.ndarray:
        return positions * float(self.params["fraction"])
