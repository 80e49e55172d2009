"""Each benchmark runs in its quick mode, so that none of them rots."""

import subprocess
import sys

import pytest

from conftest import CORPUS_BIB, ROOT

BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_quick_mode_runs(script):
    if not CORPUS_BIB.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS_BIB}")
    result = subprocess.run(
        [sys.executable, str(script), "--quick"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Python" in result.stdout  # the platform line
