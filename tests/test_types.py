"""The package type-checks: mypy, configured in pyproject.toml, finds no error."""

import subprocess
import sys

import pytest

from conftest import ROOT


def test_mypy_finds_no_errors(tmp_path):
    pytest.importorskip("mypy", reason="mypy is not installed: pip install -e '.[test]'")
    # A fresh cache each run: no stale results, and nothing written into the checkout.
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "evidence"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"mypy failed:\n{done.stdout}{done.stderr}"
