"""GTIN check digits (EAN-8, UPC-A/GTIN-12, EAN-13, GTIN-14), as lexoffice validates `gtin`."""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)


class InvalidGtinError(ValueError):
    """A code that is not a GTIN-8, -12, -13 or -14 with a correct check digit.

    `rule` says which check failed ("digits", "length", "check_digit"); `digits` is the
    code's length, `digit` and `expected` the check digits found and wanted.
    """

    def __init__(
        self, message: str, rule: str, digits: int = 0, digit: int = 0, expected: int = 0
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.digits, self.digit, self.expected = digits, digit, expected


def gtin_check_digit(body: str) -> int:
    """The check digit for a GTIN without its last digit (weights 3, 1, 3, … from the right)."""
    reversed_body = body[::-1]
    total = 3 * sum(map(int, reversed_body[0::2])) + sum(map(int, reversed_body[1::2]))
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    """A complete GTIN: `body` (7, 11, 12 or 13 digits) followed by its check digit."""
    return body + str(gtin_check_digit(body))


def validate_gtin(code: str) -> str:
    """The code with surrounding blanks removed, or InvalidGtinError saying what is wrong."""
    normalised = code.strip()
    if not normalised.isascii() or not normalised.isdigit():
        raise InvalidGtinError(f"GTIN {code!r} must consist of digits only", "digits")
    digits = len(normalised)
    if digits not in GTIN_LENGTHS:
        raise InvalidGtinError(
            f"GTIN {code!r} has {digits} digits; a GTIN has 8, 12, 13 or 14", "length", digits
        )
    expected, digit = gtin_check_digit(normalised[:-1]), int(normalised[-1])
    if digit != expected:
        raise InvalidGtinError(
            f"GTIN {code!r} has the wrong check digit {digit} (expected {expected})",
            "check_digit",
            digits,
            digit,
            expected,
        )
    return normalised


def is_valid_gtin(code: str) -> bool:
    """Whether `code` is a GTIN-8, -12, -13 or -14 with a correct check digit."""
    try:
        validate_gtin(code)
    except InvalidGtinError:
        return False
    return True
