"""The Ray engine (STUB until the distributed work lands): imported lazily."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..config import Config
from ..errors import EngineError
from ..types import Article, Result

__all__ = ["RayEngine"]


class RayEngine:
    name = "ray"

    def __init__(self, workers: int = 1, address: str | None = None) -> None:
        try:
            import ray  # noqa: F401
        except ImportError as exc:
            raise EngineError(
                "the ray engine needs Ray: pip install 'dragoman[ray]'"
            ) from exc
        self.workers = workers
        self.address = address

    def info(self) -> dict[str, object]:
        return {"engine": self.name, "workers": self.workers, "address": self.address}

    def run(self, articles: Iterable[Article], config: Config, run_id: str) -> Iterator[Result]:
        raise EngineError("the ray engine is not implemented yet")
