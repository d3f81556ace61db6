"""Checks of a chosen password against the most common passwords (coalition/
common_passwords.txt) and against the person's own e-mail address and name."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

LIST = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _core(text: str) -> str:
    """The password without spaces, digits and punctuation: "Password 2024!" -> "password"."""
    return re.sub(r"[\W\d_]+", "", _fold(text))


def _unit(text: str) -> str:
    """The shortest piece the text repeats: "abcabcabc" -> "abc"."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def is_common(password: str) -> bool:
    common = common_passwords()
    folded = _fold(password)
    core = _core(password)
    return (folded in common or folded.replace(" ", "") in common or core in common
            or (len(_unit(core)) >= 3 and _unit(core) in common)
            or len(set(folded)) <= 2)


def is_personal(password: str, email: str | None, name: str | None) -> bool:
    folded = _core(password)
    if not folded:
        return False
    candidates = set()
    if email:
        local = _fold(email).split("@", 1)[0]
        candidates |= {_core(email), _core(local)}
    if name:
        candidates.add(_core(name))
    return any(c and len(c) >= 4 and (folded == c or (c in folded and len(folded) - len(c) <= 4))
               for c in candidates)
