"""Tracking codes: `SKO-7F3K-9QH2`, the facility's prefix and 8 random symbols.

The symbols come from 32 characters without look-alikes (no 0/O, no 1/I), so the random
part carries 40 bits from the operating system's secure generator: a code cannot be guessed
or counted through. Codes are typed back by people, so `candidates` forgives case, spaces,
missing dashes and look-alike characters: the prefix is letters only (a typed 0 is an O, a 1 an
I or an L), the random part has no 0, O, 1 or I (a typed 1 or I is its L).
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


# What a character typed may stand for, where it cannot be itself.
PREFIX_LOOKALIKES = {"0": "O", "1": "IL"}
SYMBOL_LOOKALIKES = {"1": "L", "I": "L"}


def candidates(raw: str) -> list[str]:
    """Every stored code that what was typed may stand for (at most four: a 1 in the prefix is
    an I or an L), none when it cannot be a code."""
    compact = re.sub(r"[^A-Za-z0-9]", "", raw or "").upper()
    if len(compact) != 3 + RANDOM_LENGTH:
        return []
    prefixes = [""]
    for char in compact[:3]:
        prefixes = [prefix + option for prefix in prefixes for option in PREFIX_LOOKALIKES.get(char, char)]
    symbols = "".join(SYMBOL_LOOKALIKES.get(char, char) for char in compact[3:])
    found = [f"{prefix}-{symbols[:4]}-{symbols[4:]}" for prefix in prefixes]
    return [code for code in found if CODE_RE.match(code)]
