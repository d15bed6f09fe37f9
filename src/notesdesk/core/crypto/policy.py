"""How strong a new passphrase must be. A stolen laptop is attacked offline, so length matters most."""

from __future__ import annotations

MIN_LENGTH = 10
MIN_DISTINCT = 6
COMMON = frozenset(
    {"password123", "passwordpassword", "1234567890", "qwertyuiop", "letmeinplease", "iloveyou123"}
)


def passphrase_problem(passphrase: str) -> str | None:
    """One line saying why the passphrase is too weak, or None when it is acceptable."""
    if len(passphrase) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words work well."
    if len(set(passphrase.lower())) < MIN_DISTINCT or passphrase.lower() in COMMON:
        return "That passphrase is too easy to guess; try a few unrelated words."
    return None


def strength(passphrase: str) -> int:
    """A rough 0-4 score for the strength meter: longer and more varied is better."""
    if passphrase_problem(passphrase):
        return 0 if len(passphrase) < 6 else 1
    classes = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    score = 2 + (len(passphrase) >= 16) + (len(passphrase) >= 24 or classes >= 3)
    return min(score, 4)
