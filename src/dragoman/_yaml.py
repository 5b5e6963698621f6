"""YAML loading for the package's data files: libyaml's C parser when PyYAML has it.

The data files are read at every start (and by every worker); the pure-Python parser spent
about a third of a second on them. Line numbers for validation errors come from the nodes'
``start_mark``, which the C parser records as well.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["SafeLoader", "compose", "construct", "safe_load"]

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (with line marks)."""
    return yaml.compose(text, Loader=SafeLoader)


def construct(node: yaml.Node) -> Any:
    """The Python data of a node tree from ``compose`` (no second parse)."""
    return SafeLoader("").construct_document(node)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)
