"""The engine protocol and the lookup by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from ..config import Config
from ..errors import ConfigError
from ..types import Article, Result

__all__ = ["ENGINES", "Engine", "get_engine"]

ENGINES = ("local", "ray")


@runtime_checkable
class Engine(Protocol):
    """Turns a stream of articles into a stream of results (same order not required)."""

    name: str

    def run(self, articles: Iterable[Article], config: Config, run_id: str) -> Iterator[Result]:
        ...

    def info(self) -> dict[str, object]:
        ...


def get_engine(name: str, *, workers: int = 1, address: str | None = None) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(workers=workers)
    if name == "ray":
        from .ray import RayEngine

        return RayEngine(workers=workers, address=address)
    raise ConfigError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
