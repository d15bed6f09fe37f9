"""A member's role for a client, by key generation (docs/design-notes.md §9, *Who may do what*).

Each certified copy of a client's key names its recipient's role (clinician or supervisor) for the
records sealed under that key. So roles are judged per key, never gathered over a client's keys:
- a member's role for the client now (what their vault lets them write) is the role of their copy of
  the newest key they hold a copy of: a clinician taken off a client and given it back as supervisor
  keeps the clinician copy of the older key, and is a supervisor;
- a row received is judged by the key it is sealed under: what a member wrote while clinician stays
  theirs to have written, and what they write under a key they hold as supervisor is not taken
  (but a co-signature).
Changing a member's role therefore draws a new key (services/practice_access.assign)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from notesdesk.core.sync import crypto


def generation(key_name: str) -> int:
    """A client key's generation, from its name `g<generation>.<random>`."""
    return int(key_name[1:].split(".", 1)[0])


def newest(names: Iterable[str]) -> str:
    """The key new writes use among these (ties broken by name, so every device picks the same)."""
    return max(names, key=lambda name: (generation(name), name))


def current_role(copies: Mapping[str, str]) -> str:
    """One member's role for a client now: their copy of the newest key they hold (key name -> role)."""
    return copies[newest(copies)]


def supervisors_by_key(
    copies: Mapping[tuple[str, str], Mapping[str, str]],
) -> dict[str, dict[str, list[str]]]:
    """client -> key name -> the members holding that key as supervisor, from (client, member) ->
    key name -> role (keys nobody supervises are left out)."""
    found: dict[str, dict[str, list[str]]] = {}
    for (client_id, who), held in sorted(copies.items()):
        for name, role in sorted(held.items()):
            if role == crypto.SUPERVISOR:
                found.setdefault(client_id, {}).setdefault(name, []).append(who)
    return found


def supervisors_now(copies: Mapping[tuple[str, str], Mapping[str, str]]) -> dict[str, list[str]]:
    """client -> the members whose role for it now is supervisor."""
    found: dict[str, list[str]] = {}
    for (client_id, who), held in sorted(copies.items()):
        if held and current_role(held) == crypto.SUPERVISOR:
            found.setdefault(client_id, []).append(who)
    return found


def supervises(
    by_key: Mapping[str, Mapping[str, list[str]]],
    now: Mapping[str, list[str]],
    client_id: str,
    key_id: str,
    who: str,
) -> bool:
    """Whether `who` is a supervisor for a row of this client sealed under `key_id` (a row of a client
    sealed under the practice key, from before per-client keys, names no key: their role now)."""
    if not key_id:
        return who in now.get(client_id, [])
    return who in by_key.get(client_id, {}).get(key_id, [])
