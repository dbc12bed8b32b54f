"""GTIN check digits: what lexoffice accepts as `gtin` is what the product table accepts."""

from __future__ import annotations

import pytest

from connectors.fieldservice.ean import (
    InvalidGtinError,
    gtin_check_digit,
    is_valid_gtin,
    validate_gtin,
    with_check_digit,
)


@pytest.mark.parametrize(
    "code",
    [
        "96385074",  # GTIN-8 (EAN-8)
        "036000291452",  # GTIN-12 (UPC-A)
        "4006381333931",  # GTIN-13 (EAN-13)
        "10012345678902",  # GTIN-14
    ],
)
def test_valid_gtins_of_every_length_are_accepted(code: str) -> None:
    assert is_valid_gtin(code)
    assert validate_gtin(code) == code


def test_surrounding_blanks_are_removed() -> None:
    assert validate_gtin(" 4006381333931\n") == "4006381333931"


def test_wrong_check_digit_is_refused_with_the_expected_digit() -> None:
    with pytest.raises(InvalidGtinError, match=r"wrong check digit 0 \(expected 1\)"):
        validate_gtin("4006381333930")
    assert not is_valid_gtin("4006381333930")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("400638133393", "has 12 digits|wrong check digit"),
        ("40063813339311", "wrong check digit"),
        ("4006381", "has 7 digits"),
        ("400638133393X", "digits only"),
        ("４００６３８１３３３９３１", "digits only"),  # full-width digits are not ASCII
        ("", "digits only"),
    ],
)
def test_malformed_codes_are_refused_saying_why(code: str, problem: str) -> None:
    with pytest.raises(InvalidGtinError, match=problem):
        validate_gtin(code)


def test_check_digit_is_computed_with_weights_three_and_one_from_the_right() -> None:
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("9638507") == 4
    assert with_check_digit("400638133393") == "4006381333931"
