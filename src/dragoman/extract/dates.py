"""Dates (STUB — to be replaced by the dates work).

Contract: ``extract(ctx) -> list[DateRef]``;
``event_date(ctx, sent, trigger) -> tuple[str | None, str | None]`` = (ISO value, basis).
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..types import DateRef
from .context import DocContext

__all__ = ["extract", "event_date"]


def extract(ctx: DocContext) -> list[DateRef]:
    return []


def event_date(ctx: DocContext, sent: SpacySpan, trigger: Token) -> tuple[str | None, str | None]:
    if ctx.article.published:
        return ctx.article.published[:10], "published"
    return None, None
