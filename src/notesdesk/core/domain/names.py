"""Names as people type them: folding case and accents, and masking a client's name in free text
(privacy mode, for screen sharing)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from notesdesk.core.domain.clients import Client

# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "ß": "ss",
                          "ı": "i", "þ": "th", "ħ": "h", "ŧ": "t"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so 'zoe' finds 'Zoë' and 'lukasz' finds 'Łukasz'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_words(client: Client) -> tuple[str, ...]:
    """The words of a client's full and preferred name ('Anne-Marie' gives 'Anne' and 'Marie'); single
    letters are left out, they would mask every 'a' in a note."""
    words = _WORD.findall(f"{client.name} {client.preferred_name}")
    return tuple(dict.fromkeys(w for w in words if len(w) > 1))


def mask_names(text: str, words: Iterable[str]) -> str:
    """Every whole word of `text` that is one of `words` (ignoring case and accents) becomes its initial
    and a full stop: 'Miloš said' -> 'M. said', as typed, with or without accents."""
    wanted = {fold(w) for w in words if w}
    if not wanted or not text:
        return text
    return _WORD.sub(lambda m: f"{m.group()[0].upper()}." if fold(m.group()) in wanted else m.group(), text)
