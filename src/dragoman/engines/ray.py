"""The Ray engine: the same ``articles → results`` function, run with Ray Data.

Ray is an optional dependency (``pip install 'dragoman[ray]'``), imported only when this
engine is built. The work is a Ray Data ``map_batches`` over an actor pool
(``concurrency=workers``, one CPU each); every actor builds one :class:`~dragoman.Pipeline`
in its ``__init__``, so the spaCy model and the knowledge bases are loaded once per actor,
not once per batch.

Two ways in:

``RayEngine.run(articles, config, run_id)``
    The :class:`~dragoman.engines.Engine` protocol, used by ``dragoman run --engine ray``.
    The driver's article stream is cut into *windows* of ``window`` articles; each window
    becomes one dataset (``ray.data.from_items``), so the driver holds at most one window of
    articles and results are yielded as they come back, in input order. Each window starts
    a fresh actor pool (Ray Data does not keep actors across datasets), which costs one
    model load per actor per window; the default window keeps that below a few per cent.

``RayEngine.run_files(paths, config, run_id)``
    Reads JSONL, CSV or Parquet files with Ray Data's own readers (local paths or any
    filesystem pyarrow supports: ``s3://``, ``gs://``, ``hdfs://`` …) so the input never
    passes through the driver; one dataset, one actor pool for the whole job. The runner's
    driver-side checks (ids already in the store, exact duplicates) do not apply on this
    path; see ``docs/scaling.md``.

Records cross process boundaries pickled in an Arrow binary column; results come back in
input order (``DataContext.execution_options.preserve_order``), and are checked against
their sequence numbers on the driver.

A local cluster (``num_cpus=workers``, no dashboard) is started when Ray is not running
and no ``address`` is given, and shut down at the end of the run; a cluster that was
already running, or one reached through ``address``, is left as it was.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import EngineError, InputError
from ..ingest import ReadOptions
from ..types import Article, Result

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["DEFAULT_WINDOW", "RayEngine"]

log = logging.getLogger(__name__)

#: articles per dataset when ``run`` is fed a stream (driver memory ≈ one window of text)
DEFAULT_WINDOW = 20_000

_INSTALL = "the ray engine needs Ray: pip install 'dragoman[ray]'"


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise EngineError(f"{_INSTALL} ({exc})") from exc
    return ray


class _PipelineActor:
    """The Ray Data callable class: one Pipeline per actor, applied to each batch."""

    def __init__(self, config: Config, run_id: str) -> None:
        from ..pipeline import Pipeline

        self.pipeline = Pipeline(config, run_id=run_id)

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        articles = [pickle.loads(b) for b in batch.column("article").to_pylist()]
        results = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)
                   for r in self.pipeline.process(articles)]
        if len(results) != len(articles):  # the pipeline yields one result per article
            raise EngineError(f"pipeline gave {len(results)} results for {len(articles)} articles")
        return pa.table({
            "seq": batch.column("seq"),
            "result": pa.array(results, type=pa.large_binary()),
        })


class _FileActor(_PipelineActor):
    """Like :class:`_PipelineActor`, but builds the articles from the files' rows with the
    same rules as ``dragoman.ingest`` (columns, ids, dates, ``meta``); rows the readers would
    skip (no text, too short) are logged as warnings and give no result."""

    def __init__(self, config: Config, run_id: str, options: ReadOptions) -> None:
        super().__init__(config, run_id)
        self.options = options

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        from ..ingest.readers import article_from_record

        articles = []
        for row in batch.to_pylist():
            origin = str(row.pop("path", None) or "ray-input")
            article = article_from_record(row, origin, self.options, _log_read_issue)
            if article is not None:
                articles.append(article)
        results = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)
                   for r in self.pipeline.process(articles)]
        return pa.table({"result": pa.array(results, type=pa.large_binary())})


def _log_read_issue(issue: Any) -> None:
    log.warning("%s", issue)


def _windows(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while window := list(islice(it, size)):
        yield window


class RayEngine:
    """Run the pipeline over a Ray cluster with Ray Data (``workers`` actors, 1 CPU each).

    ``address`` is a Ray address (``auto``, ``ray://host:10001``, ``host:6379``); without
    it, an already initialised Ray is used, else a local cluster with ``workers`` CPUs is
    started for the run. ``window`` bounds the articles the driver holds at once.
    """

    name = "ray"

    def __init__(
        self, workers: int = 1, address: str | None = None, *, window: int = DEFAULT_WINDOW
    ) -> None:
        self._ray = _import_ray()
        self.workers = max(1, int(workers))
        self.address = address
        self.window = max(1, int(window))

    def info(self) -> dict[str, object]:
        return {"engine": self.name, "workers": self.workers, "address": self.address,
                "ray_version": self._ray.__version__}

    # -- cluster ------------------------------------------------------------------------

    @contextmanager
    def _cluster(self) -> Iterator[None]:
        ray = self._ray
        started = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"logging_level": logging.WARNING,
                                      "configure_logging": True}
            if self.address:
                kwargs["address"] = self.address
            else:
                kwargs.update(num_cpus=self.workers, include_dashboard=False)
            try:
                ray.init(**kwargs)
            except Exception as exc:  # ConnectionError, RuntimeError, ValueError …
                where = self.address or "a local cluster"
                raise EngineError(f"cannot start or reach Ray at {where}: {exc}") from exc
            started = True
            log.info("started Ray (%s)", self.address or f"local, {self.workers} CPUs")
        try:
            yield
        finally:
            if started:
                ray.shutdown()

    def _pool(self) -> dict[str, Any]:
        """A fixed pool of ``workers`` actors (``compute=`` since Ray 2.51)."""
        data = self._ray.data
        if hasattr(data, "ActorPoolStrategy"):
            return {"compute": data.ActorPoolStrategy(size=self.workers)}
        return {"concurrency": self.workers}

    def _data_context(self) -> Any:
        ctx = self._ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        return ctx

    # -- running ------------------------------------------------------------------------

    def run(self, articles: Iterable[Article], config: Config, run_id: str) -> Iterator[Result]:
        """Results for ``articles``, in input order, computed by ``workers`` Ray actors."""
        with self._cluster():
            self._data_context()
            for window in _windows(articles, self.window):
                yield from self._run_window(window, config, run_id)

    def _run_window(self, window: list[Article], config: Config, run_id: str) -> Iterator[Result]:
        ray = self._ray
        batch = max(1, config.batch_size)
        items = [{"seq": i, "article": pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)}
                 for i, a in enumerate(window)]
        blocks = max(1, min(len(items), max(self.workers * 2, -(-len(items) // (batch * 4)))))
        ds = ray.data.from_items(items, override_num_blocks=blocks)
        del items
        ds = ds.map_batches(
            _PipelineActor,
            fn_constructor_args=(config, run_id),
            batch_size=batch,
            batch_format="pyarrow",
            num_cpus=1,
            **self._pool(),
        )
        yield from self._collect(ds, expected=len(window))

    def run_files(
        self,
        paths: str | Sequence[str],
        config: Config,
        run_id: str,
        *,
        read_options: ReadOptions | None = None,
        filesystem: Any = None,
    ) -> Iterator[Result]:
        """Results for the records of JSONL, CSV or Parquet files read by Ray Data.

        ``paths`` are files or folders, local or on any filesystem pyarrow supports
        (``filesystem`` may be a ``pyarrow.fs.FileSystem``). The format comes from the
        extension of the first path (``.jsonl``/``.json``, ``.csv``, ``.parquet``; a folder
        is read as Parquet). Rows become articles by the rules of ``dragoman.ingest``
        (``read_options`` names the columns), with ``origin`` the file path. Results come
        in the files' order. Ids already in a store and duplicates are *not* checked here.
        """
        ray = self._ray
        plist = [paths] if isinstance(paths, str) else [str(p) for p in paths]
        if not plist:
            raise InputError("run_files needs at least one path")
        first = plist[0].lower().rstrip("/")
        name = first.rpartition("/")[2]
        with self._cluster():
            self._data_context()
            # reading is cheap next to parsing: the read tasks ask for no CPU, so the actor
            # pool may take every CPU without starving the reads (a deadlock otherwise)
            kwargs: dict[str, Any] = {"filesystem": filesystem, "include_paths": True,
                                      "num_cpus": 0}
            if name.endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz")):
                ds = ray.data.read_json(plist, lines=True, **kwargs)
            elif name.endswith((".csv", ".csv.gz")):
                ds = ray.data.read_csv(plist, **kwargs)
            elif name.endswith(".parquet") or "." not in name:
                ds = ray.data.read_parquet(plist, **kwargs)
            else:
                raise InputError(f"{plist[0]}: run_files reads .jsonl, .csv or .parquet files")
            ds = ds.map_batches(
                _FileActor,
                fn_constructor_args=(config, run_id, read_options or ReadOptions()),
                batch_size=max(1, config.batch_size),
                batch_format="pyarrow",
                num_cpus=1,
                **self._pool(),
            )
            yield from self._collect(ds, expected=None)  # preserve_order: the files' order

    def _collect(self, ds: Any, expected: int | None) -> Iterator[Result]:
        """Yield the results of ``ds``: by sequence number when the batches carry one
        (a reorder buffer guards the order), else in the order Ray Data gives them."""
        pending: dict[int, bytes] = {}
        next_seq = 0
        ray = self._ray
        try:
            for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
                blobs = batch.column("result").to_pylist()
                if "seq" not in batch.column_names:
                    for blob in blobs:
                        yield pickle.loads(blob)
                    continue
                for seq, blob in zip(batch.column("seq").to_pylist(), blobs, strict=True):
                    pending[seq] = blob
                while next_seq in pending:
                    yield pickle.loads(pending.pop(next_seq))
                    next_seq += 1
        except ray.exceptions.RayError as exc:
            raise EngineError(f"the ray engine failed: {exc}") from exc
        if expected is not None and (pending or next_seq != expected):
            raise EngineError(f"the ray engine returned {next_seq} of {expected} results in order")
