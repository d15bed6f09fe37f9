"""Per-client keys (docs/design-notes.md §9): every synced row of a client is sealed under that client's
own random key (CK), wrapped on the server for each clinician the client is assigned to and for the
practice recovery key. A clinician who holds no key of a client skips its rows (verified as part of
their batch, counted, never applied).

Every row is sealed and opened through `seal` and `open_sealed` here, which pick the key for the row:
a table whose rows name a client (`client_of`) gets that client's key with no further work.

A client's keys are named `g<generation>.<random>`: new writes use the highest generation held (a new
generation is drawn when someone loses access), and the name is bound into every wrapped copy and its
certificate, so the server can neither swap a copy nor make a device write under an older key."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork, is_co_signature
from notesdesk.core.sync import crypto, roles, roster
from notesdesk.core.sync import server_tables as t
from notesdesk.core.sync import state as st
from notesdesk.core.sync.crypto import ClientKeyAddress, RowAddress

CLIENT_KEYS_ID = st.CLIENT_KEYS_ID


class KeyRefused(NotesdeskError):
    """A client key offered by the server fails its certificate or does not open: none of it used."""

    exit_code = 4


@dataclass(frozen=True)
class ClientKeys:
    """The client keys this clinician holds, sealed in the vault's `secret` table like the practice key."""

    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # client -> key name -> key (hex)
    # Keys drawn here whose wrapped copies are not on the server yet: "client key" -> extra recipients
    # (clinician ids) besides this clinician, the recovery key and, for a client shared before
    # per-client keys, every member.
    unpublished: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # rows received of clients not shared here
    # After a key arrives for a client whose rows were skipped: the log is pulled again from the start
    # and, up to `catch_up_until`, only these clients' rows are taken in.
    catch_up: list[str] = field(default_factory=list)
    catch_up_until: int = 0
    # Supervision (crypto.SUPERVISOR), by the newest key each member holds a copy of (roles.py): the
    # clients this clinician only supervises (it pushes nothing of them but co-signatures), and each
    # client's supervisors now.
    supervising: list[str] = field(default_factory=list)
    supervisors: dict[str, list[str]] = field(default_factory=dict)
    # client -> key name -> who holds that key as supervisor: their rows sealed under it are not taken
    # in but co-signatures (a row is judged by the key it is sealed under).
    supervisors_by_key: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    not_taken: int = 0  # rows from a supervisor that were not co-signatures
    id: str = CLIENT_KEYS_ID


def _table(uow: UnitOfWork) -> SealedTable[ClientKeys]:
    return SealedTable(uow.ctx, "secret", ClientKeys, label="vault setting")


def load(uow: UnitOfWork) -> ClientKeys:
    return _table(uow).find(CLIENT_KEYS_ID) or ClientKeys()


def save(uow: UnitOfWork, keys: ClientKeys) -> None:
    table = _table(uow)
    if table.find(CLIENT_KEYS_ID) is None:
        table.add(keys)
    else:
        table.replace(keys)


def client_of(table: str, obj: Any) -> str:
    """The client a synced row belongs to ("" for a row of no client: sealed under the practice key)."""
    if table == "client":
        return str(obj.id)
    return str(getattr(obj, "client_id", "") or "")


generation = roles.generation


def current(keys: ClientKeys, client_id: str) -> str | None:
    """The key new writes of a client use: the highest generation held (ties broken by name, so every
    device holding the same keys picks the same one)."""
    held = keys.keys.get(client_id)
    if not held:
        return None
    return roles.newest(held)


def draw(keys: ClientKeys, client_id: str, recipients: Iterable[str] = ()) -> str:
    """A new key for a client, one generation above any held; wrapped for its recipients at the next
    sync (`publish`)."""
    held = keys.keys.setdefault(client_id, {})
    top = max((generation(name) for name in held), default=0)
    name = f"g{top + 1}.{secrets.token_hex(6)}"
    held[name] = os.urandom(crypto.PRACTICE_KEY_LEN).hex()
    keys.unpublished[f"{client_id} {name}"] = sorted(set(recipients))
    return name


def _recipient(entry: str) -> tuple[str, str]:
    """An unpublished key's extra recipient: "ID" (a clinician) or "ID/supervisor"."""
    who, _slash, role = entry.partition("/")
    return who, role or crypto.CLINICIAN


def as_recipient(clinician_id: str, role: str) -> str:
    return clinician_id if role == crypto.CLINICIAN else f"{clinician_id}/{role}"


def own_role(keys: ClientKeys, client_id: str) -> str:
    """This vault's role for a client now, as the key exchange last settled it (roles.py)."""
    return crypto.SUPERVISOR if client_id in keys.supervising else crypto.CLINICIAN


def may_push(keys: ClientKeys, table: str, obj: Any) -> bool:
    """A supervisor shares nothing of a supervised client but co-signatures; anything else they write
    of it stays in their vault."""
    return client_of(table, obj) not in keys.supervising or is_co_signature(table, obj)


def may_take(keys: ClientKeys, clinician_id: str, table: str, obj: Any, key_id: str = "") -> bool:
    """A row of a client from someone who holds the key it is sealed under (`key_id`) as supervisor
    is taken in only when it is a co-signature."""
    client_id = client_of(table, obj)
    supervisor = roles.supervises(keys.supervisors_by_key, keys.supervisors, client_id, key_id, clinician_id)
    return not supervisor or is_co_signature(table, obj)


def seal(
    keys: ClientKeys, ident: st.SyncIdentity, table: str, obj: Any, at: RowAddress, payload: bytes
) -> tuple[RowAddress, bytes]:
    """Seal one row for the server under the key that belongs to it (drawing the client's first key
    when this device has none: the clinician who creates a client is assigned to it)."""
    client_id = client_of(table, obj)
    if not client_id:
        return at, crypto.seal_row(ident.key, ident.practice_id, at, payload, ident.key_version)
    name = current(keys, client_id) or draw(keys, client_id)
    scoped = replace(at, client_id=client_id, key_id=name)
    key = bytes.fromhex(keys.keys[client_id][name])
    return scoped, crypto.seal_row(key, ident.practice_id, scoped, payload)


def open_sealed(
    keys: ClientKeys,
    ident: st.SyncIdentity,
    at: RowAddress,
    sealed: bytes,
    ciphers: crypto.RowCiphers | None = None,
) -> bytes | None:
    """The row's payload, or None when this clinician holds no key for it (a client not shared here).
    `ciphers`: the pull's row ciphers (crypto.open_row)."""
    if not at.client_id:
        version = crypto.sealed_version(sealed)
        key = ident.key_of(version)
        if key is None:
            raise crypto.SyncRefused("a row sealed under a practice key this vault does not hold")
        return crypto.open_row(key, ident.practice_id, at, sealed, version, ciphers)
    found = keys.keys.get(at.client_id, {}).get(at.key_id)
    if found is None:
        return None
    return crypto.open_row(bytes.fromhex(found), ident.practice_id, at, sealed, ciphers=ciphers)


def wanted(keys: ClientKeys, server_seq: int, at: RowAddress) -> bool:
    """Whether a verified row is to be taken in now: while catching up, only the newly shared clients'."""
    return server_seq > keys.catch_up_until or at.client_id in keys.catch_up


# -- on the server ---------------------------------------------------------------------------------


def recovery_public(connection: Connection, ident: st.SyncIdentity) -> bytes | None:
    """The practice recovery key's public half, when the server lists it certified by a member (None
    for a practice set up before per-client keys)."""
    p = t.practice.c
    row = connection.execute(
        select(p.recovery_public, p.recovery_certificate).where(p.id == ident.practice_id)
    ).first()
    if row is None or row.recovery_public is None:
        return None
    public = bytes(row.recovery_public)
    expected = crypto.recovery_certificate(ident.key, ident.practice_id, public)
    if ident.key_version > 1:
        by_version = roster.stored(connection, ident.practice_id, ident.key_version, roster.RECOVERY)
        listed = by_version.get(crypto.RECOVERY)
    else:
        listed = None if row.recovery_certificate is None else bytes(row.recovery_certificate)
    if listed != expected:
        raise KeyRefused(
            "Sync refused: the server lists a practice recovery key no member certified. Nothing was "
            "sent; tell whoever runs the practice server."
        )
    return public


def _shared_before(connection: Connection, ident: st.SyncIdentity, client_id: str) -> bool:
    """Whether the client went to the whole practice under the practice key (the first slice)."""
    c = t.change.c
    found = connection.execute(
        select(c.server_seq)
        .where(
            c.practice_id == ident.practice_id,
            c.table_name == "client",
            c.row_id == client_id,
            c.client_id.is_(None),
        )
        .limit(1)
    ).first()
    return found is not None


def wrap_rows(
    ident: st.SyncIdentity,
    client_id: str,
    name: str,
    key: bytes,
    publics: dict[str, bytes],
    roles: dict[str, str] | None = None,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for recipient, public in sorted(publics.items()):
        role = (roles or {}).get(recipient, crypto.CLINICIAN)
        at = ClientKeyAddress(ident.practice_id, client_id, name, recipient, role)
        wrapped = crypto.wrap_client_key(public, key, at)
        rows.append(
            {
                "practice_id": ident.practice_id,
                "client_id": client_id,
                "key_id": name,
                "recipient": recipient,
                "role": role,
                "wrapped": wrapped,
                "certificate": crypto.client_key_certificate(ident.key, at, wrapped),
            }
        )
    return rows


def clinician_publics(connection: Connection, ident: st.SyncIdentity) -> dict[str, bytes]:
    """Each certified clinician's X25519 public key, by clinician id (removed devices left out)."""
    removed = removed_devices(connection, ident.practice_id)
    return {
        keys.clinician_id: keys.x25519_public
        for device, keys in roster.certified(
            connection, ident.practice_id, ident.key, ident.key_version
        ).items()
        if device not in removed and keys.pushes_until is None and keys.clinician_id not in ident.removed
    }


def copy_subject(at: ClientKeyAddress) -> str:
    """A client-key copy's name among the certificates under a practice key version after the first."""
    return f"{at.client_id} {at.key_id} {at.recipient}"


def copy_certificates(connection: Connection, ident: st.SyncIdentity) -> dict[str, bytes] | None:
    """The copies' certificates under this vault's practice key version, by `copy_subject`; None under
    the first version, whose certificates are in the copies' own column."""
    if ident.key_version == 1:
        return None
    return roster.stored(connection, ident.practice_id, ident.key_version, roster.CLIENT_KEY)


def _certificate_of(row: Any, at: ClientKeyAddress, stored: dict[str, bytes] | None) -> bytes:
    return bytes(row.certificate) if stored is None else stored.get(copy_subject(at), b"")


def store_copies(connection: Connection, ident: st.SyncIdentity, rows: list[dict[str, object]]) -> None:
    """Put wrapped copies (wrap_rows) on the server with their certificates (a copy already there is
    kept, with the certificate it had)."""
    if not rows:
        return
    connection.execute(insert(t.client_key).on_conflict_do_nothing(), rows)
    made = {
        f"{row['client_id']} {row['key_id']} {row['recipient']}": row["certificate"]
        for row in rows
        if isinstance(row["certificate"], bytes)
    }
    roster.store(connection, ident.practice_id, ident.key_version, roster.CLIENT_KEY, made)


def removed_devices(connection: Connection, practice_id: str) -> set[str]:
    d = t.device.c
    return set(
        connection.execute(
            select(d.id).where(d.practice_id == practice_id, d.removed_at.is_not(None))
        ).scalars()
    )


def publish(connection: Connection, ident: st.SyncIdentity, keys: ClientKeys) -> int:
    """Put the wrapped copies of the keys drawn here on the server (a copy already there is kept):
    for this clinician, the recovery key, any named recipients, and every member for a client the
    practice shared before per-client keys. Returns how many keys were published."""
    if not keys.unpublished:
        return 0
    members = clinician_publics(connection, ident)
    recovery = recovery_public(connection, ident)
    mine = crypto.x25519_public(bytes.fromhex(ident.x25519_private))
    rows: list[dict[str, object]] = []
    for entry, extra in keys.unpublished.items():
        client_id, name = entry.split(" ", 1)
        publics = {ident.clinician_id: mine}
        if _shared_before(connection, ident, client_id):
            publics.update(members)
        named = dict(_recipient(e) for e in extra)
        publics.update({who: members[who] for who in named if who in members})
        # The drawer's own copy keeps their role now: a supervisor who draws a key (taking someone
        # off the client, a colleague leaving the practice) stays a supervisor (roles.py).
        named.setdefault(ident.clinician_id, own_role(keys, client_id))
        if recovery is not None:
            publics[crypto.RECOVERY] = recovery
        key = bytes.fromhex(keys.keys[client_id][name])
        rows.extend(wrap_rows(ident, client_id, name, key, publics, named))
    store_copies(connection, ident, rows)
    return len(keys.unpublished)


def _certified(ident: st.SyncIdentity, at: ClientKeyAddress, wrapped: bytes, certificate: bytes) -> bool:
    return hmac.compare_digest(certificate, crypto.client_key_certificate(ident.key, at, wrapped))


def receive(
    connection: Connection,
    ident: st.SyncIdentity,
    keys: ClientKeys,
    copies: dict[tuple[str, str], dict[str, str]] | None = None,
) -> list[str]:
    """Take in the client keys wrapped for this clinician that it does not hold yet, each checked
    against its certificate and opened, and the practice's supervisors (from certified copies);
    returns the clients that gained a key. `copies`, when given, is filled with every certified copy
    the server lists: (client, key name) -> recipient -> role (known_readers takes it from there)."""
    k = t.client_key.c
    offered = connection.execute(
        select(k.client_id, k.key_id, k.recipient, k.role, k.wrapped, k.certificate).where(
            k.practice_id == ident.practice_id
        )
    ).all()
    private = bytes.fromhex(ident.x25519_private)
    stored = copy_certificates(connection, ident)
    gained: list[str] = []
    held: dict[tuple[str, str], dict[str, str]] = {}  # (client, member) -> key name -> role
    for row in offered:
        at = ClientKeyAddress(ident.practice_id, row.client_id, row.key_id, row.recipient, row.role)
        wrapped = bytes(row.wrapped)
        certified = _certified(ident, at, wrapped, _certificate_of(row, at, stored))
        if certified and copies is not None:
            copies.setdefault((row.client_id, row.key_id), {})[row.recipient] = row.role
        if row.recipient != ident.clinician_id:
            if certified:
                held.setdefault((row.client_id, row.recipient), {})[row.key_id] = row.role
            continue
        refused = KeyRefused(
            "Sync refused: the server offers this clinician a client key that no member wrapped for "
            "them (swapped or forged). Nothing of it was used; tell whoever runs the practice server."
        )
        if not certified:
            raise refused
        held.setdefault((row.client_id, row.recipient), {})[row.key_id] = row.role
        if row.key_id in keys.keys.get(row.client_id, {}):
            continue
        try:
            key = crypto.unwrap_client_key(private, wrapped, at)
            generation(row.key_id)
        except (crypto.SyncRefused, ValueError) as exc:
            raise refused from exc
        keys.keys.setdefault(row.client_id, {})[row.key_id] = key.hex()
        gained.append(row.client_id)
    _settle_roles(keys, held, ident.clinician_id)
    return sorted(set(gained))


def _settle_roles(keys: ClientKeys, held: dict[tuple[str, str], dict[str, str]], me: str) -> None:
    """Each member's role now and by key (roles.py), for the clients whose keys this vault holds."""
    supervisors = roles.supervisors_now(held)
    keys.supervisors.clear()
    keys.supervisors.update({c: v for c, v in supervisors.items() if c in keys.keys})
    by_key = roles.supervisors_by_key(held)
    keys.supervisors_by_key.clear()
    keys.supervisors_by_key.update({c: v for c, v in by_key.items() if c in keys.keys})
    keys.supervising[:] = sorted(c for c, v in supervisors.items() if me in v)


def holders(connection: Connection, ident: st.SyncIdentity, client_id: str, name: str) -> dict[str, str]:
    """Who holds a copy of one of a client's keys, and as what, as the server lists it: only copies
    whose certificate holds count (the server cannot add a name of its own)."""
    k = t.client_key.c
    rows = connection.execute(
        select(k.recipient, k.role, k.wrapped, k.certificate).where(
            k.practice_id == ident.practice_id, k.client_id == client_id, k.key_id == name
        )
    ).all()
    stored = copy_certificates(connection, ident)
    found: dict[str, str] = {}
    for row in rows:
        at = ClientKeyAddress(ident.practice_id, client_id, name, row.recipient, row.role)
        if _certified(ident, at, bytes(row.wrapped), _certificate_of(row, at, stored)):
            found[row.recipient] = row.role
    return found


def current_holders(
    connection: Connection, ident: st.SyncIdentity, keys: ClientKeys, clients: Iterable[str]
) -> dict[str, dict[str, str]]:
    """For each of these clients whose key this vault holds: who holds a copy of the key its new
    records are sealed under, and as what (`holders` for all of them in one query; certified copies
    only)."""
    names = {client_id: name for client_id in clients if (name := current(keys, client_id))}
    if not names:
        return {}
    k = t.client_key.c
    rows = connection.execute(
        select(k.client_id, k.key_id, k.recipient, k.role, k.wrapped, k.certificate).where(
            k.practice_id == ident.practice_id, tuple_(k.client_id, k.key_id).in_(list(names.items()))
        )
    ).all()
    stored = copy_certificates(connection, ident)
    found: dict[str, dict[str, str]] = {client_id: {} for client_id in names}
    for row in rows:
        at = ClientKeyAddress(ident.practice_id, row.client_id, row.key_id, row.recipient, row.role)
        if names.get(row.client_id) == row.key_id and _certified(
            ident, at, bytes(row.wrapped), _certificate_of(row, at, stored)
        ):
            found[row.client_id][row.recipient] = row.role
    return found


def removed_clinicians(connection: Connection, ident: st.SyncIdentity) -> set[str]:
    """Clinicians every one of whose devices was removed (practice remove-clinician)."""
    d = t.device.c
    rows = connection.execute(
        select(d.clinician_id, d.removed_at).where(d.practice_id == ident.practice_id)
    ).all()
    active = {row.clinician_id for row in rows if row.removed_at is None}
    return {row.clinician_id for row in rows if row.removed_at is not None} - active


def rotate_for_removed(connection: Connection, ident: st.SyncIdentity, keys: ClientKeys) -> list[str]:
    """For each client whose current key a removed clinician holds a copy of, a new key (one
    generation up) for new writes, for everyone else who holds the current one. Every member does this
    at their next sync for the clients they hold; two members drawing at once both wrap for the same
    people, and all then write under the same one (`current` breaks the tie by name)."""
    # Those the accepted rotation records removed count even if the server no longer lists them so.
    removed = removed_clinicians(connection, ident) | set(ident.removed)
    if not removed:
        return []
    rotated: list[str] = []
    for client_id in sorted(keys.keys):
        name = current(keys, client_id)
        if name is None or f"{client_id} {name}" in keys.unpublished:
            continue
        holding = holders(connection, ident, client_id, name)
        if removed & set(holding):
            others = set(holding) - removed - {ident.clinician_id, crypto.RECOVERY}
            draw(keys, client_id, [as_recipient(who, holding[who]) for who in others])
            rotated.append(client_id)
    return rotated
