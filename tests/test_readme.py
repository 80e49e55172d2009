"""The README's commands are the ones CI and newcomers run: keep them true."""

import io
import re
import shlex
import shutil

import pytest

from evidence.base import example_dir
from evidence.cli import build_parser, main

from conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```bash\n(.*?)```", README, re.S)


def commands(block):
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_first_screen_has_the_two_commands():
    first_screen = README[: README.index("## ")]
    install_and_run, install_and_test = commands(BLOCKS[0]), commands(BLOCKS[1])
    assert BLOCKS[0] in first_screen and BLOCKS[1] in first_screen
    assert install_and_run[0].endswith("evidence summary")
    assert "pytest" in install_and_test[0]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme_test = commands(BLOCKS[1])[0].replace(" -q ", " ")
    ci_lines = [line.replace(" -q ", " ") for line in ci.splitlines()]
    assert readme_test in ci_lines


EXAMPLES = [
    shlex.split(line.split("$ ", 1)[1].split("#")[0])
    for line in README.splitlines()
    if line.startswith("$ evidence ")
]


@pytest.mark.parametrize("argv", EXAMPLES, ids=" ".join)
def test_readme_examples_run(argv, tmp_path, monkeypatch):
    """Each example runs in a project holding the example data and a review text."""
    shutil.copytree(example_dir(), tmp_path / "data")
    (tmp_path / "review.txt").write_text(
        "Trust\n\nTrust matters (Rushmore & Pallis 2002, Johnson et al 2003).\n"
    )
    (tmp_path / "cited.txt").write_text("Cameron & Lart, 2003\nJohnson et al., 2003\n")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv[1:], stdout=out, stderr=err)
    assert code == 0, err.getvalue()  # the bundled data has no errors, so check exits 0 too
    assert out.getvalue()


def test_every_command_has_a_readme_example():
    parser = build_parser()
    names = parser._subparsers._group_actions[0].choices
    documented = {argv[1] for argv in EXAMPLES}
    assert set(names) <= documented


RATING_BLOCKS = re.findall(r"```text\n(.*?)```", README, re.S)


@pytest.mark.parametrize("block", RATING_BLOCKS, ids=lambda b: b.split("[")[0].strip())
def test_readme_ratings_are_what_the_bundled_data_gives(block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = block.split("[")[1].split(",")[0]
    out = io.StringIO()
    assert main(["theme", name], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue().startswith(block)
