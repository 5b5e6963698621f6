"""The spaCy stage: one pipeline per process, built from an installed model."""

from .pipeline import load_nlp, model_info

__all__ = ["load_nlp", "model_info"]
