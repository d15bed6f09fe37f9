"""Conflicts between this vault's version of a record and a colleague's, edited on two devices from the
same revision (core/sync/shared.py keeps them): list them, and choose one. A choice is a new edit whose
base names both versions, so every device that receives it applies it and closes its own copy of the
conflict (docs/design-notes.md §9, "Conflicts")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from notesdesk.core.domain.common import new_id, now
from notesdesk.core.domain.plans import PlanStatus, TreatmentPlan
from notesdesk.core.domain.sync_conflicts import Kept, SyncConflict
from notesdesk.core.errors import Conflict, InvalidInput, NotFound
from notesdesk.core.storage.sealer import decode, encode
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import shared

WHAT = {"client": "client details", "homework": "homework", "milestone": "milestone",
        "safety_plan": "safety plan", "plan": "treatment plan version", "episode": "episode of care",
        "measure": "measure", "next_session": "next session", "consent": "consent", "receipt": "receipt"}


@dataclass(frozen=True)
class ConflictView:
    """One conflict as the CLI and the app show it: both versions as their fields (JSON values)."""

    id: str
    client_id: str
    client_name: str
    table: str  # the record's kind (client, milestone, safety_plan, plan)
    what: str
    theirs_device: str
    found_at: str
    kept: str
    mine: dict[str, Any]
    theirs: dict[str, Any]

    @property
    def differing(self) -> list[str]:
        """The fields the two versions disagree on (ids and creation times aside), in order."""
        names = [n for n in self.mine if n not in ("id", "created_at")]
        return [n for n in names if self.mine.get(n) != self.theirs.get(n)]


def _view(conflict: SyncConflict, name: str) -> ConflictView:
    return ConflictView(
        id=conflict.id,
        client_id=conflict.client_id,
        client_name=name,
        table=conflict.table,
        what=WHAT.get(conflict.table, conflict.table),
        theirs_device=conflict.theirs_device[:8],
        found_at=conflict.found_at.isoformat(),
        kept=conflict.kept.value or "open",
        mine=decode(conflict.mine.encode(), dict[str, Any]),
        theirs=decode(conflict.theirs.encode(), dict[str, Any]),
    )


def list_conflicts(uow: UnitOfWork, client_id: str | None = None, include_resolved: bool = False
                   ) -> list[ConflictView]:
    """Open conflicts (all of them with `include_resolved`), oldest first, of one client or of all."""
    with uow:
        kept = uow.sync_conflicts.where(client_id=client_id) if client_id else uow.sync_conflicts.all()
        names = {c.id: c.name for c in uow.clients.all()}
    chosen = [c for c in kept if include_resolved or c.is_open]
    return [_view(c, names.get(c.client_id, "")) for c in sorted(chosen, key=lambda c: c.found_at)]


def open_count(uow: UnitOfWork) -> int:
    with uow:
        return sum(c.is_open for c in uow.sync_conflicts.all())


def resolve(uow: UnitOfWork, conflict_id: str, keep: str, take_theirs: tuple[str, ...] = ()
            ) -> ConflictView:
    """Keep this vault's version ("mine") or the colleague's ("theirs") — or a merge: mine with the
    fields named in `take_theirs` taken from theirs — as a new edit sent at the next sync; both versions
    stay in `sync_conflict` and in the audit."""
    try:
        choice = Kept(keep)
    except ValueError:
        choice = Kept.OPEN
    if choice not in (Kept.MINE, Kept.THEIRS):
        raise InvalidInput("Choose which version to keep: mine or theirs.")
    if take_theirs and choice is not Kept.MINE:
        raise InvalidInput("A merge keeps your version with some of theirs' fields: use --keep mine.")
    with uow:
        conflict = uow.sync_conflicts.find(conflict_id.strip())
        if conflict is None:
            raise NotFound(f"No sync conflict with id {conflict_id.strip()[:40]}.")
        if not conflict.is_open:
            raise Conflict("That conflict was already resolved; nothing was changed.")
        if choice is Kept.THEIRS:
            # Taking the colleague's version is receiving it, as the pull does: allowed for a client
            # this vault only supervises (keeping its own, or a merge, is a write of it: refused).
            uow.lift_supervision_guard()
        spec = shared.SPECS[conflict.table]
        repository = shared.repository_of(uow, conflict.table)
        theirs = decode(conflict.theirs.encode(), spec.kind)
        mine_fields = conflict.mine
        if take_theirs:
            mine_fields = _merged(conflict, take_theirs)
            choice = Kept.MERGED
        both = [conflict.mine_token, conflict.theirs_token,
                shared.content_token(conflict.mine.encode()), shared.content_token(conflict.theirs.encode())]
        bases = shared.load_bases(uow)
        if isinstance(theirs, TreatmentPlan):
            if take_theirs:
                raise InvalidInput("A signed plan version cannot be merged: keep one, then revise it.")
            _resolve_plan(uow, conflict, theirs, choice, both, bases)
        elif spec.versioned:  # a safety plan: the chosen content becomes the next version
            versions = repository.where(client_id=conflict.client_id)
            source = decode(mine_fields.encode(), spec.kind) if choice is not Kept.THEIRS else theirs
            newest = max(v.version for v in versions)
            repository.add(replace(source, id=new_id(), version=newest + 1, created_at=now()))
            bases[shared.version_key(conflict.table, conflict.client_id)] = both
        else:
            current = repository.find(conflict.row_id)
            if current is None:  # removed here since: "mine" keeps the removal, "theirs" brings it back
                if take_theirs:
                    raise InvalidInput("That record was removed here since: keep mine (removed) or theirs.")
                if choice is Kept.THEIRS:
                    repository.add(theirs)
            else:
                both.append(shared.content_token(encode(current)))
                if take_theirs:  # the merge is made on this vault's current version of the row
                    on_current = replace(conflict, mine=encode(current).decode())
                    current = decode(_merged(on_current, take_theirs).encode(), spec.kind)
                repository.replace(current if choice is not Kept.THEIRS else theirs)
            # The tokens of both versions: the removal or the edit sent next is applied over either.
            bases[shared.row_key(conflict.table, conflict.row_id)] = both
        resolved = replace(conflict, kept=choice, resolved_at=now())
        uow.sync_conflicts.replace(resolved)
        shared.save_bases(uow, bases)
        name = uow.clients.get(conflict.client_id).name
        uow.commit()
    return _view(resolved, name)


def _merged(conflict: SyncConflict, take_theirs: tuple[str, ...]) -> str:
    """Mine (JSON) with the named fields' values from theirs; only fields the two disagree on."""
    view = _view(conflict, "")
    unknown = [name for name in take_theirs if name not in view.differing]
    if unknown:
        raise InvalidInput(f"The versions differ only in: {', '.join(view.differing)}; "
                           f"'{unknown[0][:40]}' is not one of them. Nothing was changed.")
    merged = dict(view.mine) | {name: view.theirs[name] for name in take_theirs}
    return encode(merged).decode()


def _resolve_plan(uow: UnitOfWork, conflict: SyncConflict, theirs: TreatmentPlan, choice: Kept,
                  both: list[str], bases: dict[str, list[str]]) -> None:
    """Two signed versions activated from the same one: both stay, signed and readable; the one kept is
    active and the other superseded (status is not part of what is signed)."""
    mine = uow.plans.get(conflict.row_id)
    both.append(shared.content_token(encode(mine)))
    keep_mine = choice is Kept.MINE
    uow.plans.replace(replace(mine, status=PlanStatus.ACTIVE if keep_mine else PlanStatus.SUPERSEDED))
    chosen = replace(theirs, status=PlanStatus.SUPERSEDED if keep_mine else PlanStatus.ACTIVE)
    aside = uow.plans.find(theirs.id)  # kept aside as superseded when it arrived (core/sync/shared.py)
    if aside is None:
        uow.plans.add(chosen)
    else:
        both.append(shared.content_token(encode(aside)))
        uow.plans.replace(chosen)
    for row_id in (mine.id, theirs.id):
        bases[shared.row_key("plan", row_id)] = both
    bases[shared.version_key("plan", conflict.client_id)] = both
