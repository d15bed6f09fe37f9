"""How strong a new passphrase must be. A stolen laptop is attacked offline, so guessability is what
counts: zxcvbn (Dropbox's estimator: dictionaries, keyboard patterns, dates, l33t) scores it 0-4 and
says why a weak one is weak. The same estimate serves PDF passwords, where it warns and never refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notesdesk.core.crypto.kdf import normalised

if TYPE_CHECKING:
    from zxcvbn import _Result  # the estimator's result (a TypedDict in its stubs)

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable" (about 10^10 guesses), offline with a slow hash
ESTIMATED = 64  # zxcvbn refuses more than 72 characters; what follows only adds strength


def _estimate(passphrase: str) -> _Result:
    # Inline: its dictionaries take a while to load, and the unlock screen never estimates anything.
    from zxcvbn import zxcvbn

    return zxcvbn(normalised(passphrase)[:ESTIMATED])


def _hint(result: _Result) -> str:
    feedback = result["feedback"]
    parts = [str(feedback.get("warning") or "")] + [str(s) for s in feedback.get("suggestions") or []][:1]
    said = " ".join(p.strip().rstrip(".") + "." for p in parts if p.strip())
    return said or "Add another word or two; uncommon words are better."


def passphrase_problem(passphrase: str) -> str | None:
    """One line saying why the passphrase is too weak (with the estimator's hint), or None."""
    if len(passphrase) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words work well."
    result = _estimate(passphrase)
    if result["score"] < MIN_SCORE:
        return f"That passphrase is too easy to guess. {_hint(result)}"
    return None


def password_warning(password: str) -> str | None:
    """For a PDF password, which is not refused: a warning line when it is easy to guess."""
    result = _estimate(password) if password else None
    if result is not None and result["score"] < MIN_SCORE:
        return f"the PDF password is easy to guess. {_hint(result)}"
    return None


def strength(passphrase: str) -> int:
    """The estimator's 0-4 score for the strength meter; anything shorter than the minimum is 0."""
    if len(passphrase) < MIN_LENGTH:
        return 0
    return _estimate(passphrase)["score"]
