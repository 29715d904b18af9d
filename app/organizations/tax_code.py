"""Vietnamese tax code (mã số thuế, MST) validation and normalisation.

An enterprise's code has 10 digits: 2 for the province that issued it, 7 serial digits and a
check digit; a dependent unit (branch) adds "-" and 3 digits, 001–999.

Check digit over the first nine digits d1..d9 with weights W = 31, 29, 23, 19, 17, 13, 7, 5, 3:

    d10 = 10 − (Σ di·Wi mod 11)

A sum ≡ 0 (mod 11) would need the "digit" 10, so no valid code has such a prefix.
Source checked: python-stdnum, ``stdnum/vn/mst.py`` (``calc_check_digit`` and ``validate``,
which also rejects an all-zero serial part and the branch suffix 000); it cites the General
Department of Taxation's public descriptions of the MST format.
"""

from __future__ import annotations

import re

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# ASCII digits only: a bare \d would also accept full-width digits such as "８".
_SHAPE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")


class InvalidTaxCode(ValueError):
    """Raised by :func:`normalize_tax_code` for a value that is not a valid tax code."""


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or ``None`` when no digit fits (sum ≡ 0 mod 11)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def _parse(value: str) -> tuple[str, str | None] | None:
    compact = "".join(value.split())
    match = _SHAPE.fullmatch(compact)
    if match is None:
        return None
    base, branch = match.group(1), match.group(2)
    if base[2:9] == "0000000" or branch == "000":
        return None
    if check_digit(base[:9]) != int(base[9]):
        return None
    return base, branch


def is_valid_tax_code(value: str) -> bool:
    """Whether ``value`` is a well-formed tax code with a correct check digit."""
    return _parse(value) is not None


def normalize_tax_code(value: str) -> str:
    """The canonical form "0101234567" or "0101234567-001"; raises :class:`InvalidTaxCode`.

    Whitespace anywhere is ignored and a 13-digit branch code is accepted without its hyphen.
    """
    parsed = _parse(value)
    if parsed is None:
        raise InvalidTaxCode("Mã số thuế không hợp lệ")
    base, branch = parsed
    return base if branch is None else f"{base}-{branch}"
