"""Training the trained parts of the pipeline (``dragoman train``)."""

from __future__ import annotations

__all__: list[str] = []
