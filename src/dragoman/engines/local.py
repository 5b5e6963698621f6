"""The local engine: in-process, or a pool of worker processes that load the model once."""

from __future__ import annotations

import logging
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from itertools import islice

from ..config import Config
from ..pipeline import Pipeline
from ..types import Article, Result

__all__ = ["LocalEngine"]

log = logging.getLogger(__name__)

_WORKER: Pipeline | None = None


def _init_worker(config: Config, run_id: str) -> None:
    global _WORKER
    _WORKER = Pipeline(config, run_id=run_id)


def _work(chunk: list[Article]) -> list[Result]:
    assert _WORKER is not None, "worker not initialised"
    return list(_WORKER.process(chunk))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(islice(it, size)):
        yield chunk


class LocalEngine:
    """Run the pipeline here (``workers=1``) or over ``workers`` processes."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))

    def info(self) -> dict[str, object]:
        return {"engine": self.name, "workers": self.workers}

    def run(self, articles: Iterable[Article], config: Config, run_id: str) -> Iterator[Result]:
        if self.workers == 1:
            yield from Pipeline(config, run_id=run_id).process(articles)
            return
        # not fork: forking a process that already ran DuckDB/pyarrow threads (a library user,
        # the web app, a second run) leaves workers that segfault and a pool that respawns
        # them forever. forkserver starts workers from a clean process instead.
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        chunk = max(1, config.batch_size)
        with ctx.Pool(self.workers, initializer=_init_worker, initargs=(config, run_id)) as pool:
            # imap keeps input order and bounds memory to a few chunks in flight per worker
            for results in pool.imap(_work, _chunks(articles, chunk)):
                yield from results
