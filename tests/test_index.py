"""evidence.index: the keys the resolver compares surnames by, and the page ranges it reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.index import page_range, surname_key, without_lower_particles
from evidence.settings import DEFAULT_PARTICLES

PARTICLES = frozenset(word for particle in DEFAULT_PARTICLES for word in particle.split())


@given(st.integers(1, 99_999), st.integers(0, 999), st.sampled_from(["-", "--", "–", " – "]))
def test_a_page_range_reads_back_its_first_and_last_page(first, length, dash):
    last = first + length
    assert page_range(f"{first}{dash}{last}") == (first, last)
    assert page_range(str(first)) == (first, first)


@given(st.integers(100, 99_999), st.integers(1, 99))
def test_a_last_page_written_short_takes_the_first_page_s_leading_digits(first, tail):
    # "1234-56" is 1234-1256, as bibliographies abbreviate
    short = str(tail)
    written = f"{first}-{short}"
    expected = int(str(first)[: len(str(first)) - len(short)] + short)
    assert page_range(written) == ((first, expected) if expected >= first else None)


@pytest.mark.parametrize("text", ["e1002", "viii", "S12-S20", "12, 14", "", "pp. 3-30", "30-12"])
def test_what_is_no_numeric_range_gives_none(text):
    assert page_range(text) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("van Eyk", "eyk"),
        ("Müller", "muller"),
        ("Cunningham-Burley", "cunninghamburley"),
        ("The FL Team", "flteam"),
        ("ndum Wøller", "woller"),  # lower-case words before a surname, as BibTeX reads them
        ("Begg C", "begg"),  # Vancouver's initials after the surname
        ("Gruppe IV", "gruppeiv"),  # an organisation's Roman numeral is its name
    ],
)
def test_surname_keys(name, key):
    assert surname_key(name, PARTICLES) == key


@pytest.mark.parametrize(
    ("name", "kept"),
    [("von Elm", "Elm"), ("Von Elm", "Von Elm"), ("de la Cruz", "Cruz"), ("ndum", "ndum")],
)
def test_styles_drop_particles_in_lower_case_only(name, kept):
    assert without_lower_particles(name) == kept
