"""Shared fixtures: where the real corpus and our own broken files live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
#: The shared corpus sits beside the checkout (../shared), in CI too.
SHARED = ROOT.parent / "shared"
CORPUS_BIB = SHARED / "corpus" / "bib"
SEEDS = SHARED / "seeds"

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def corpus_files() -> list[Path]:
    """Every real bibliography of the shared corpus (empty when it is absent)."""
    return sorted(CORPUS_BIB.glob("*.bib")) if CORPUS_BIB.is_dir() else []


@pytest.fixture
def corpus_bib() -> Path:
    if not CORPUS_BIB.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS_BIB}")
    return CORPUS_BIB


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    return SEEDS
