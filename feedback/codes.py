"""Tracking codes: `SKO-7F3K-9QH2`, the facility's prefix and 8 random symbols.

The symbols come from 32 characters without look-alikes (no 0/O, no 1/I), so the random
part carries 40 bits from the operating system's secure generator: a code cannot be guessed
or counted through. Codes are typed back by people, so `normalize` forgives case, spaces
and missing dashes.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_LENGTH = 8
BITS = RANDOM_LENGTH * 5  # log2(32) = 5 bits per symbol
CODE_RE = re.compile(rf"^[A-Z]{{3}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def generate(prefix: str) -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{prefix}-{symbols[:4]}-{symbols[4:]}"


def normalize(raw: str) -> str | None:
    """The code in its stored form, or None when what was typed cannot be a code."""
    compact = re.sub(r"[^A-Za-z0-9]", "", raw or "").upper()
    if len(compact) != 3 + RANDOM_LENGTH:
        return None
    code = f"{compact[:3]}-{compact[3:7]}-{compact[7:]}"
    return code if CODE_RE.match(code) else None
