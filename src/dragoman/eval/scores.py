"""The scores every eval report shares: precision, recall and F1 from counts."""

from __future__ import annotations

__all__ = ["prf"]


def prf(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of ``matched`` hits among ``predicted`` and ``gold`` items.

    >>> prf(3, 4, 6)
    (0.75, 0.5, 0.6)
    >>> prf(0, 0, 0)
    (0.0, 0.0, 0.0)
    """
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
