"""The one reader of data files: the package's own (``dragoman/data``) and a user's.

Every lexicon, knowledge base and word list is read through here, so every data file gets
the same rules and every error the same shape, ``path:line: what is wrong``:

- YAML is YAML 1.1 without the yes/no/on/off booleans (``prep: [on]`` is the word "on";
  only ``true``/``false`` are booleans), parsed by libyaml's C parser when PyYAML has it;
- a mapping that repeats a key is an error (a second entry would silently replace the
  first);
- ``read_yaml(..., lines=True)`` gives every mapping its line as ``__line__``, and
  ``compose_yaml`` the node tree for readers that report lines of list items;
- TSV files have one header line (blank and ``#`` lines skipped) and rows of exactly as
  many tab-separated fields, each row with its ``path:line`` origin.
"""

from __future__ import annotations

import re
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError

__all__ = [
    "compose_yaml",
    "construct",
    "data_path",
    "entry_where",
    "read_text",
    "read_tsv",
    "read_yaml",
]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe YAML 1.1 without yes/no/on/off booleans; duplicate keys are errors."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


class _LineLoader(_Loader):
    """``_Loader`` that also records each mapping's line as ``__line__``."""


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key, line)
        self.key = key
        self.line = line


def _check_keys(node: yaml.MappingNode) -> None:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = key_node.value
            if key in seen and key != "<<":
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    _check_keys(node)
    return loader.construct_mapping(node, deep=True)


def _line_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = _mapping(loader, node)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _line_mapping)


def data_path(*parts: str) -> Path:
    """The path of a packaged data file, ``dragoman/data/<parts>``."""
    root = importlib_resources.files("dragoman") / "data"
    return Path(str(root.joinpath(*parts)))


def read_text(path: Path | str) -> str:
    """A data file's text (UTF-8); ``DataFileError`` naming the file when it can't be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read data file ({exc})") from exc


def _yaml_error(path: Path | str, exc: yaml.YAMLError) -> DataFileError:
    mark = getattr(exc, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    return DataFileError(f"{where}: not valid YAML ({exc})")


def read_yaml(
    path: Path | str,
    *,
    text: str | None = None,
    lines: bool = False,
    mapping: bool = False,
) -> Any:
    """The data of a YAML file (``text`` if given, else the file's content).

    ``lines=True``: every mapping carries its 1-based line as ``__line__``.
    ``mapping=True``: the top level must be a mapping.
    """
    raw = read_text(path) if text is None else text
    loader = _LineLoader if lines else _Loader
    try:
        data = yaml.load(raw, Loader=loader)  # a SafeLoader subclass
    except _DuplicateKey as exc:
        raise DataFileError(
            f"{path}:{exc.line}: the key {exc.key!r} is given twice in one mapping") from None
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from exc
    if mapping and not isinstance(data, dict):
        raise DataFileError(f"{path}:1: expected a mapping at the top of the file")
    return data


def compose_yaml(path: Path | str, *, text: str | None = None) -> yaml.Node | None:
    """The node tree of a YAML file (every node with its line mark), for line-exact errors."""
    raw = read_text(path) if text is None else text
    try:
        root = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from exc
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            try:
                _check_keys(node)
            except _DuplicateKey as exc:
                raise DataFileError(
                    f"{path}:{exc.line}: the key {exc.key!r} is given twice in one mapping"
                ) from None
            stack.extend(v for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return root


def construct(node: yaml.Node, path: Path | str = "<yaml>") -> Any:
    """The Python data of a node from ``compose_yaml`` (no second parse)."""
    try:
        return _Loader("").construct_document(node)
    except _DuplicateKey as exc:
        raise DataFileError(
            f"{path}:{exc.line}: the key {exc.key!r} is given twice in one mapping") from None


def read_tsv(
    path: Path | str, *, text: str | None = None
) -> tuple[tuple[str, ...], list[tuple[str, dict[str, str]]]]:
    """The header and rows of a TSV data file; each row with its ``path:line`` origin.

    Blank lines and lines starting with ``#`` are skipped; the first other line is the
    header; every row must have as many tab-separated fields as the header. Cells are
    stripped of surrounding white space.
    """
    raw = read_text(path) if text is None else text
    all_lines = raw.splitlines()
    header_line = 0
    while header_line < len(all_lines) and (
        not all_lines[header_line].strip() or all_lines[header_line].startswith("#")
    ):
        header_line += 1
    if header_line >= len(all_lines):
        raise DataFileError(f"{path}: empty data file (a TSV needs a header line)")
    header = tuple(h.strip() for h in all_lines[header_line].split("\t"))
    rows: list[tuple[str, dict[str, str]]] = []
    for n, line in enumerate(all_lines[header_line + 1:], start=header_line + 2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise DataFileError(
                f"{path}:{n}: {len(cells)} tab-separated fields, the header has {len(header)}"
            )
        rows.append((f"{path}:{n}", {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return header, rows


def entry_where(entry: dict[str, Any], origin: str, allowed: frozenset[str], what: str) -> str:
    """``origin:line`` of a mapping read with ``lines=True``; unknown keys are an error.

    ``what`` names the entry in the message ("cue entry", "hedge entry").
    """
    line = entry.get("__line__")
    where = f"{origin}:{line}" if line else origin
    unknown = set(entry) - allowed - {"__line__"}
    if unknown:
        raise DataFileError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} in {what}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    return where
