"""The public API: everything exported is listed, sorted, documented, and nothing else leaks."""

import inspect

import evidence


def test_all_is_sorted_and_complete():
    public = {
        name
        for name, value in vars(evidence).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", "").startswith("evidence")
    }
    assert evidence.__all__ == sorted(evidence.__all__)
    assert public <= set(evidence.__all__)
    for name in evidence.__all__:
        assert hasattr(evidence, name), name


def test_every_public_object_has_a_docstring():
    for name in evidence.__all__:
        value = getattr(evidence, name)
        if callable(value):
            assert inspect.getdoc(value), name


def test_import_does_no_work():
    import subprocess
    import sys

    code = (
        "import sys, evidence; "
        "assert 'evidence.base' in sys.modules; "
        "assert not any(m.startswith(('jinja2', 'IPython')) for m in sys.modules), "
        "[m for m in sys.modules if m.startswith(('jinja2', 'IPython'))]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
