"""Shared helpers of the benchmark scripts: machine facts, RSS sampling, result recording.

Not part of the package and not a test: the scripts under ``bench/`` are run by hand and
append what they measured to ``bench/RESULTS.md`` (and print one JSON line).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


def machine() -> dict[str, Any]:
    """nproc, RAM, CPU model and the load average right now."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "ram_gb": ram_gb,
        "cpu": model,
        "python": platform.python_version(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def git_head() -> str:
    try:
        head = (HERE.parent / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            return (HERE.parent / ".git" / head[5:]).read_text().strip()[:10]
        return head[:10]
    except OSError:
        return "unknown"


def _proc_kb(path: str, field: str) -> int:
    """The kB value of ``field`` ("VmRSS:", "Pss:") in a /proc file; 0 if it is gone."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/status", "VmRSS:")


def _children(pid: int) -> list[int]:
    """All descendants of ``pid`` (from /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_rss_mb(pid: int | None = None) -> float:
    """RSS of a process and all its descendants, in MB (shared pages counted per process)."""
    pid = pid or os.getpid()
    return sum(_rss_kb(p) for p in [pid, *_children(pid)]) / 1024


def _pss_kb(pid: int) -> int:
    """Proportional set size: private pages plus each shared page divided by its sharers."""
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


def tree_memory(pid: int | None = None) -> dict[int, tuple[float, float]]:
    """{pid: (RSS MB, PSS MB)} of a process and all its descendants.

    The sum of PSS over a process tree is the physical memory the tree holds (pages shared
    between a forkserver and its workers counted once); the sum of RSS counts them in every
    process that maps them.
    """
    pid = pid or os.getpid()
    return {p: (_rss_kb(p) / 1024, _pss_kb(p) / 1024) for p in [pid, *_children(pid)]}


class RssSampler(threading.Thread):
    """Samples the RSS of this process tree every ``interval`` seconds; ``peak_mb``."""

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_mb = 0.0  # summed RSS of the tree
        self.peak_pss_mb = 0.0  # summed PSS of the tree (physical memory)
        self.peak_process_mb = 0.0  # the largest RSS of any one process
        self.last_mb = 0.0
        self.samples: list[tuple[float, float]] = []
        self._halt = threading.Event()
        self._t0 = time.perf_counter()

    def run(self) -> None:
        while not self._halt.is_set():
            tree = tree_memory()
            mb = sum(rss for rss, _ in tree.values())
            self.last_mb = mb
            self.peak_mb = max(self.peak_mb, mb)
            self.peak_pss_mb = max(self.peak_pss_mb, sum(pss for _, pss in tree.values()))
            self.peak_process_mb = max(self.peak_process_mb,
                                       max((rss for rss, _ in tree.values()), default=0.0))
            self.samples.append((round(time.perf_counter() - self._t0, 2), round(mb, 1)))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children."""
    import resource

    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def record(title: str, result: dict[str, Any], notes: list[str]) -> None:
    """Print ``result`` as one JSON line and append a section to RESULTS.md."""
    m = machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    line = json.dumps({"bench": title, "date": when, "machine": m, "commit": git_head(),
                       **result}, sort_keys=False)
    print(line)
    cmd = " ".join([".venv/bin/python", *[a for a in sys.argv]])
    body = [
        f"\n## {title} — {when}\n",
        f"- command: `{cmd}`",
        (f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, Python "
        f"{m['python']}; load average at the end {m['loadavg']} (cores shared with other "
        "engineers' jobs)"),
        f"- commit: {git_head()}",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    for key, value in result.items():
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        body.append(f"| {key} | {value} |")
    body += ["", *[f"- {n}" for n in notes], ""]
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(body))


def read_articles(path: str, n: int | None = None) -> list[Any]:
    """Articles of a JSONL corpus via dragoman's reader (first ``n``)."""
    from itertools import islice

    from dragoman.ingest import read_inputs

    return list(islice(read_inputs([path]), n))
