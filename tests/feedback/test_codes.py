"""Tracking codes: a prefix and 40 random bits, no look-alike characters, forgiving to type."""

from __future__ import annotations

import math
from typing import Any
from unittest import mock

import pytest

from feedback import codes, services
from feedback.models import Case, FeedbackKind, FeedbackSettings


def test_a_code_has_the_prefix_and_two_groups_of_four() -> None:
    code = codes.generate("SKO")
    assert codes.CODE_RE.match(code)
    prefix, first, second = code.split("-")
    assert (prefix, len(first), len(second)) == ("SKO", 4, 4)


def test_a_code_carries_at_least_40_random_bits() -> None:
    assert codes.BITS >= 40
    assert math.log2(len(codes.ALPHABET)) * codes.RANDOM_LENGTH >= 40
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 32


def test_the_alphabet_has_no_look_alikes() -> None:
    for look_alike in "0O1I":
        assert look_alike not in codes.ALPHABET
    assert codes.ALPHABET.isupper() and codes.ALPHABET.isalnum()


def test_20000_codes_are_all_different_and_use_the_whole_alphabet() -> None:
    generated = [codes.generate("SKO") for _ in range(20_000)]
    assert len(set(generated)) == len(generated)
    used = {symbol for code in generated for symbol in code[4:].replace("-", "")}
    assert used == set(codes.ALPHABET)
    assert all(codes.CODE_RE.match(code) for code in generated)


@pytest.mark.parametrize(
    "typed",
    [
        "SKO-7F3K-9QH2",
        "sko-7f3k-9qh2",
        "SKO7F3K9QH2",
        " sko 7f3k 9qh2 ",
        "SKO–7F3K–9QH2",
        "sko.7f3k.9qh2",
        "SK0-7F3K-9QH2",
    ],
)
def test_candidates_forgive_case_spaces_dashes_and_a_zero_for_the_prefixs_o(typed: str) -> None:
    assert codes.candidates(typed) == ["SKO-7F3K-9QH2"]


@pytest.mark.parametrize("typed", ["SKO-7F31-9QH2", "sko-7f3i-9qh2", "SKO-7F3L-9QH2", "sk0 7f3l 9qh2"])
def test_a_one_or_an_i_after_the_prefix_is_its_l(typed: str) -> None:
    assert codes.candidates(typed) == ["SKO-7F3L-9QH2"]


def test_a_one_in_the_prefix_may_be_an_i_or_an_l() -> None:
    assert codes.candidates("B1T-7F3K-9QH2") == ["BIT-7F3K-9QH2", "BLT-7F3K-9QH2"]  # the lookup tries both


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "SKO-7F3K-9QH", "SKO-7F3K-9QH22", "SKO-0F3K-9QH2", "SKO-OF3K-9QH2", "S2O-7F3K-9QH2", None],
)
def test_what_cannot_be_a_code_has_no_candidate(typed: str) -> None:
    assert codes.candidates(typed) == []  # type: ignore[arg-type]


def submit(facility: Any) -> Case:
    """A complaint sent through the public form's service, which draws the code."""
    return services.submit_case(facility, kind=FeedbackKind.COMPLAINT, description="Antrean di loket lama sekali.")


@pytest.mark.django_db
def test_cases_get_the_facility_prefix_and_distinct_codes(facility: Any) -> None:
    cases = [submit(facility) for _ in range(20)]
    prefix = FeedbackSettings.for_facility(facility).code_prefix
    assert prefix == "SKO"
    assert all(case.code.startswith("SKO-") and codes.CODE_RE.match(case.code) for case in cases)
    assert len({case.code for case in cases}) == 20


@pytest.mark.django_db
def test_a_code_already_taken_is_drawn_again(facility: Any) -> None:
    first = submit(facility)
    with mock.patch("feedback.codes.generate", side_effect=[first.code, "SKO-2345-6789"]):
        second = submit(facility)
    assert second.code == "SKO-2345-6789"
    assert Case.objects.count() == 2
