"""Every command and every setting is documented (in the manner of datasette's test_docs).

A command or setting added without a word in README.md or docs/ fails here, so the docs a
user reads stay a complete list of what there is.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from dragoman.cli import cli
from dragoman.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out: list[str] = []
    for name, cmd in sorted(group.commands.items()):
        if cmd.hidden:
            continue
        out.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix}{name} "))
    return out


COMMANDS = _commands(cli)


def test_there_are_commands_and_settings_to_check() -> None:
    assert {"run", "events", "serve", "eval"} <= set(COMMANDS)
    assert len(SETTINGS) >= 10


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"`dragoman {re.escape(command)}\b", README), (
        f"`dragoman {command}` is not in README.md's commands")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting: str) -> None:
    env = f"DRAGOMAN_{setting.upper()}"
    assert f"`{setting}`" in DOCS and env in DOCS, (
        f"setting {setting!r} ({env}) is not documented in README.md or docs/")
