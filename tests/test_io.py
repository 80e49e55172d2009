import codecs
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.errors import InputError
from evidence.io import atomic_write, decode_bytes, read_bytes, read_csv


@pytest.mark.parametrize(
    ("data", "encoding", "noted"),
    [
        ("Müller".encode(), "utf-8", False),
        (codecs.BOM_UTF8 + "Müller".encode(), "utf-8-sig", False),
        ("Müller".encode("utf-16"), "utf-16", False),
        ("Müller, Jones".encode("utf-16-le"), "utf-16-le", True),
        ("Müller".encode("latin-1"), "cp1252", True),
    ],
)
def test_decode_bytes_encodings(data, encoding, noted):
    decoded = decode_bytes(data)
    assert decoded.text.startswith("Müller")
    assert decoded.encoding == encoding
    assert bool(decoded.notes) is noted


def test_decode_bytes_removes_nul_and_says_so():
    decoded = decode_bytes(b"@article{a,\x00 title={b}}")
    assert decoded.text == "@article{a, title={b}}"
    assert any("NUL" in note for note in decoded.notes)


def test_decode_bytes_detects_line_ends():
    assert decode_bytes(b"a\r\nb\r\n").newline == "\r\n"
    assert decode_bytes(b"a\nb\n").newline == "\n"
    assert decode_bytes(b"a\rb\r").newline == "\r"


@given(st.binary(max_size=300))
def test_decode_bytes_never_raises(data):
    assert isinstance(decode_bytes(data).text, str)


def test_read_bytes_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match=r"missing\.bib"):
        read_bytes(tmp_path / "missing.bib")
    with pytest.raises(InputError, match="directory"):
        read_bytes(tmp_path)


def test_read_csv_keeps_lines_raw_text_and_blank_lines():
    data = b'study,theme,quote\r\n\r\nA,b,"multi\r\nline"\r\nC,d,e\r\n\r\n'
    table = read_csv(data)
    assert table.header.values == ("study", "theme", "quote")
    assert [r.line for r in table.records] == [3, 5]
    assert table.records[0].values == ("A", "b", "multi\r\nline")
    assert table.records[0].lead == "\r\n"
    rebuilt = table.header.raw + "".join(r.lead + r.raw for r in table.records) + table.trailer
    assert rebuilt.encode() == data


def test_read_csv_detects_semicolons_and_tabs():
    assert read_csv(b"study;theme;stance\nA;b;supports\n").delimiter == ";"
    assert read_csv(b"study\ttheme\nA\tb\n").delimiter == "\t"
    assert read_csv(b"study,theme\n").delimiter == ","


@given(st.lists(st.lists(st.text(max_size=12), min_size=3, max_size=3), min_size=1, max_size=8))
def test_read_csv_round_trips_rows_written_by_csv_module(rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["study", "theme", "stance"])
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    table = read_csv(data)
    rebuilt = table.header.raw + "".join(r.lead + r.raw for r in table.records) + table.trailer
    assert rebuilt == decode_bytes(data).text
    kept = [r for r in rows if any(cell.strip() for cell in r)]
    assert len(table.records) == len(kept)


def test_atomic_write_replaces_and_keeps_mode(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    with atomic_write(target) as handle:
        handle.write("new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_write_leaves_old_file_on_error(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_write_survives_a_killed_writer(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    script = textwrap.dedent(
        f"""
        import os, signal
        from evidence.io import atomic_write
        with atomic_write({str(target)!r}) as handle:
            handle.write("x" * 100000)
            handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode != 0
    assert target.read_text() == "old"
