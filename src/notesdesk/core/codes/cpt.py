"""A short list of common US psychotherapy CPT codes, each with our own plain description.

CPT codes are used where the practice's country bills with them (the US). The codes are numbers
anyone may write on a receipt; the AMA's descriptors are licensed, so the words here are ours.
"""

from __future__ import annotations

from notesdesk.core.errors import InvalidInput

CPT_COUNTRIES = frozenset({"US"})

CPT_CODES: dict[str, str] = {
    "90791": "first assessment (diagnostic evaluation), no medical services",
    "90832": "psychotherapy, about 30 minutes",
    "90834": "psychotherapy, about 45 minutes",
    "90837": "psychotherapy, about 60 minutes",
    "90839": "psychotherapy for a crisis, first hour",
    "90840": "psychotherapy for a crisis, each further 30 minutes",
    "90846": "family psychotherapy, without the client, about 50 minutes",
    "90847": "family or couple psychotherapy, with the client, about 50 minutes",
    "90853": "group psychotherapy (not a multiple-family group)",
}


def uses_cpt(locale: str) -> bool:
    """Whether a practice in this country (the profile's locale) records CPT codes."""
    return locale.strip().upper() in CPT_COUNTRIES


def cpt_label(code: str) -> str:
    """'90834 — psychotherapy, about 45 minutes'."""
    return f"{code} — {CPT_CODES[code]}" if code in CPT_CODES else code


def check_cpt(code: str, locale: str) -> str:
    """The code as stored ("" for none), or InvalidInput in one line."""
    wanted = code.strip()
    if not wanted:
        return ""
    if not uses_cpt(locale):
        raise InvalidInput(
            f"CPT codes are used in the US; this practice's country is {locale or 'not set'} (Settings)."
        )
    if wanted not in CPT_CODES:
        raise InvalidInput(f"{wanted[:12]} is not one of the CPT codes NotesDesk knows: "
                           f"{', '.join(CPT_CODES)}.")
    return wanted
