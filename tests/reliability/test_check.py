"""``dragoman check`` on damaged stores, reading around damage, and schema versions.

A store of real pipeline output (40 articles in four segments) is damaged three ways: a
Parquet file cut in half, bytes flipped in a file's footer, bytes flipped inside a data page
(same size, intact footer: only the checksum can tell). ``dragoman check`` must name every
damaged file with a fix and exit non-zero; the query API, a fresh ``connect()`` and the
dashboard must still answer with exactly the records of the healthy segments — never an
exception for the whole table, never the damaged segment's garbled values. Following the
fix (remove the segment folder, run the input again) must restore the store.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from reliability_corpus import make_corpus, run_cli, snapshot, write_jsonl

from dragoman import Config
from dragoman.errors import SchemaVersionError
from dragoman.runner import run
from dragoman.store import SCHEMA_VERSION, Store

pytestmark = pytest.mark.slow

CONFIG = Config(segment_size=10, batch_size=8)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("check")
    src = write_jsonl(base / "wire.jsonl", make_corpus(40, seed=1))
    root = base / "pristine"
    summary = run([str(src)], root, CONFIG)
    assert summary.processed == 40 and summary.events > 0
    return {"root": root, "input": src, "snapshot": snapshot(root)}


def _copy(pristine: dict[str, Any], tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(pristine["root"], root)
    return root


def _doc_segments(root: Path) -> list[Path]:
    """Segment folders holding documents, oldest first."""
    out = []
    for seg in sorted((root / "segments").iterdir()):
        manifest = json.loads((seg / "manifest.json").read_text())
        if manifest["files"]["documents"]["rows"]:
            out.append(seg)
    return out


def _flip(path: Path, offset: int, n: int = 48) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, min(offset + n, len(data) - 8)):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    if how == "truncate":
        path.write_bytes(path.read_bytes()[: size // 2])
    elif how == "flip-footer":
        meta_len = int.from_bytes(path.read_bytes()[-8:-4], "little")
        _flip(path, size - 8 - meta_len + 4, 16)
    elif how == "flip-data-page":  # inside the first column chunk: size and footer intact
        col = pq.read_metadata(path).row_group(0).column(0)
        start = col.dictionary_page_offset or col.data_page_offset
        _flip(path, start + 20, min(48, col.total_compressed_size - 30))
    else:
        raise ValueError(how)


def _healthy(snap: dict[str, list[str]], bad_docs: set[str]) -> dict[str, list[str]]:
    return {t: [r for r in rows if json.loads(r)["doc_id"] not in bad_docs]
            for t, rows in snap.items()}


@pytest.mark.parametrize("how", ["truncate", "flip-footer", "flip-data-page"])
def test_check_reports_damage_and_queries_return_the_healthy_records(
    pristine: dict[str, Any], tmp_path: Path, how: str,
) -> None:
    from fastapi.testclient import TestClient

    from dragoman.query import api
    from dragoman.web import create_app

    root = _copy(pristine, tmp_path)
    segs = _doc_segments(root)
    assert len(segs) == 4
    damaged = {segs[1]: "events.parquet", segs[2]: "documents.parquet"}
    bad_docs: set[str] = set()
    for seg, name in damaged.items():
        _damage(seg / name, how)
        bad_docs |= set(pq.read_table(
            Path(pristine["root"]) / "segments" / seg.name / "documents.parquet",
            columns=["doc_id"]).column("doc_id").to_pylist())

    check = run_cli("check", "--store", str(root), check=False)
    assert check.returncode == 1, check.stdout + check.stderr
    errors = [line for line in check.stdout.splitlines() if line.startswith("error:")]
    for seg, name in damaged.items():
        mine = [e for e in errors if str(seg / name) in e]
        assert mine, f"{seg / name} not reported:\n{check.stdout}"
        assert all("fix:" in e and str(seg) in e.split("fix:", 1)[1] for e in mine)

    # readers: exactly the healthy segments' records, whatever the damage
    want = _healthy(pristine["snapshot"], bad_docs)
    got = snapshot(root)
    assert got["documents"] == want["documents"]
    assert got["events"] == want["events"]
    store = Store.open(root)
    healthy_doc = json.loads(want["documents"][0])["doc_id"]
    assert api.get_document(store, healthy_doc) is not None
    assert api.get_document(store, min(bad_docs)) is None
    assert api.count_events(store, api.EventQuery()) == len(want["events"])
    con = store.connect()
    assert con.execute("SELECT count(*) FROM (SELECT * FROM documents)").fetchone()[0] == len(
        want["documents"])
    with TestClient(create_app(root)) as client:
        r = client.get(f"/api/documents/{healthy_doc}")
        assert r.status_code == 200, r.text
        assert client.get("/api/summary").json()["counts"]["documents"] == len(
            want["documents"])


def test_following_the_fix_restores_the_store(
    pristine: dict[str, Any], tmp_path: Path,
) -> None:
    root = _copy(pristine, tmp_path)
    seg = _doc_segments(root)[2]
    _damage(seg / "documents.parquet", "truncate")
    check = run_cli("check", "--store", str(root), check=False)
    fix = next(line for line in check.stdout.splitlines() if "documents.parquet" in line)
    assert f"remove the segment folder {seg}" in fix
    shutil.rmtree(seg)
    summary = run([str(pristine["input"])], root, CONFIG)
    assert summary.processed == 10 and summary.already == 30
    assert run_cli("check", "--store", str(root)).stdout.strip().endswith(": ok")
    got = snapshot(root)
    for table in ("documents", "events", "quotes", "places", "dates"):
        assert got[table] == pristine["snapshot"][table], table


def test_newer_schema_version_says_what_to_do(
    pristine: dict[str, Any], tmp_path: Path,
) -> None:
    root = _copy(pristine, tmp_path)
    meta = root / "store.json"
    info = json.loads(meta.read_text())
    info["schema_version"] = SCHEMA_VERSION + 1
    meta.write_text(json.dumps(info))
    with pytest.raises(SchemaVersionError, match=r"upgrade dragoman \(pip install -U"):
        Store.open(root)
    for args in (("events", "--store", str(root)), ("check", "--store", str(root)),
                 ("run", str(pristine["input"]), "--store", str(root), "--quiet")):
        proc = run_cli(*args, check=False)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert f"schema version {SCHEMA_VERSION + 1}" in proc.stderr
        assert "upgrade dragoman" in proc.stderr and "Traceback" not in proc.stderr
    # nothing was written into the newer store
    assert sorted(p.name for p in (root / "segments").iterdir()) == sorted(
        p.name for p in (Path(pristine["root"]) / "segments").iterdir())


def test_segment_written_before_a_field_existed_reads_with_the_field_empty(
    pristine: dict[str, Any], tmp_path: Path,
) -> None:
    """An older dragoman's segment lacks fields added since: read as null, check is clean."""
    from dragoman.query import api
    from dragoman.store.manifest import sha256_file

    root = _copy(pristine, tmp_path)
    seg = _doc_segments(root)[0]
    path = seg / "events.parquet"
    old = pq.read_table(path).drop_columns(["symmetric"])
    pq.write_table(old, path, compression="zstd")
    manifest = json.loads((seg / "manifest.json").read_text())
    entry = manifest["files"]["events"]
    entry.update(bytes=path.stat().st_size, sha256=sha256_file(path), schema="older-dragoman")
    (seg / "manifest.json").write_text(json.dumps(manifest))
    old_ids = set(old.column("id").to_pylist())
    assert old_ids

    store = Store.open(root)
    rows = list(api.iter_table(store, "events"))
    assert len(rows) == len(pristine["snapshot"]["events"])
    assert {r["id"] for r in rows if r["symmetric"] is None} == old_ids
    assert run_cli("check", "--store", str(root)).stdout.strip().endswith(": ok")
