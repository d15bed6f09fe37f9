"""The client summaries: each client's flag inputs (domain/flag_inputs.py), one sealed row per client,
so that the client list's flags are read from a few hundred small rows instead of by decrypting the
whole practice (docs/design-notes.md §3).

Kept in step by construction, not by each service remembering to: every write to a table the flags
read (FLAG_INPUT_TABLES) marks its client in the unit of work (store.py), and the unit of work
rewrites those clients' summaries just before it commits (uow.py), in the same transaction: each
from the stored one plus the rows written (incremental.py), or from its records when that cannot
tell. A summary row is sealed like every other row and its term is in the authenticated head's set
digest (head.py), so deleting, planting or rolling one back is refused at unlock like any row. It is
derived data, so its writes make no audit entries of their own (the write that caused them has one);
`verify` recomputes every summary and compares (services/verify.py).

A vault migrated to 0005 gets its summaries at its first unlock (Vault._unlock), which then sets
META_FLAG under the header MAC; so does a vault whose summaries are of an earlier format (META_VALUE:
format 3 added each client's scored standing). Until then (a vault opened read-only), the flags are
computed from the full records as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from notesdesk.core.crypto.cipher import ClearValue
from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.common import by_client
from notesdesk.core.domain.flag_inputs import (
    ClientSummary,
    same_scoring_inputs,
    scored,
    scoring_basis,
    summaries_from,
    summarise,
)
from notesdesk.core.domain.plans import plans_with_reviews
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.measures.model import Instrument
from notesdesk.core.storage import raw
from notesdesk.core.storage.head import MODULUS, Head
from notesdesk.core.storage.incremental import SCORED_ONLY, incremental_update
from notesdesk.core.storage.instruments import stored_instruments
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.store import SealedRow, SealedTable, StoreContext, statements
from notesdesk.core.storage.summary_mark import META_FLAG, META_VALUE
from notesdesk.core.storage.tables import Base, missing_later_table

SUMMARY_TABLE = "client_summary"
FEW = 3  # up to this many clients, their summaries are read one by one


def has_table(session: Session) -> bool:
    return not missing_later_table(session, SUMMARY_TABLE)


def ready(session: Session) -> bool:
    """True when the summaries are kept in this vault (built, and every write since kept them)."""
    if not has_table(session):
        return False
    # On the driver's connection (raw.py): asked twice per save (the summaries rewritten, the flags
    # read back), the ORM's statement cost ten times the query.
    row = raw.one(session, "SELECT value FROM meta WHERE key = ?", (META_FLAG,))
    return row is not None and row[0] == META_VALUE


def read(repos: Repositories, client_ids: Iterable[str] | None = None) -> list[ClientSummary]:
    """The stored summaries: every one, or those of `client_ids` (a client with no flag inputs has
    none)."""
    table = _sealed(repos.ctx)
    if client_ids is None:
        return table.all()
    wanted = list(dict.fromkeys(client_ids))
    if len(wanted) > FEW:  # one read of the table beats one query per client
        keep = set(wanted)
        return [found for found in table.all() if found.id in keep]
    return [found for cid in wanted if (found := table.find(cid)) is not None]


def summary_of(repos: Repositories, client_id: str) -> ClientSummary:
    """One client's summary, recomputed from its records."""
    return summarise(
        client_id,
        repos.notes.where(client_id=client_id),
        plans_with_reviews(repos.plans.where(client_id=client_id),
                           repos.plan_reviews.where(client_id=client_id)),
        repos.homework.where(client_id=client_id),
        repos.measures.where(client_id=client_id),
        repos.episodes.where(client_id=client_id),
        repos.safety_plans.where(client_id=client_id),
        stored_instruments(repos),
    )


def recompute_all(repos: Repositories) -> dict[str, ClientSummary]:
    """Every client's summary from the full records (one bulk read per table)."""
    plans = plans_with_reviews(repos.plans.all(), repos.plan_reviews.all())
    return summaries_from(repos.notes.all(), plans, repos.homework.all(), repos.measures.all(),
                          repos.episodes.all(), repos.safety_plans.all(), stored_instruments(repos))


def refresh(repos: Repositories, client_ids: Iterable[str],
            changes: Mapping[str, Mapping[tuple[str, str], SealedRow | None]] | None = None) -> None:
    """Rewrite the summaries of `client_ids` (a client deleted in this unit of work loses its
    summary), and move the head's set digest by what changed. With `changes` (what this unit of
    work wrote, store.py), each summary is derived from the stored one plus the rows changed
    (incremental.py), which is what a save costs; without, or when that cannot tell, from all the
    client's records. A summary that comes out as it was stored is not written again: a draft's
    text saved changes nothing the flags read (its date, creation time, signed or not, risk)."""
    session = repos.ctx.session
    incremental = changes is not None and ready(session)
    change = 0
    for cid in sorted(set(client_ids)):
        if raw.one(session, "SELECT 1 FROM client WHERE id = ?", (cid,)) is None:
            change += _store(repos.ctx, ClientSummary(cid))
            continue
        found, updated = None, None
        if incremental and changes is not None and cid in changes:
            found = _sealed(repos.ctx).find(cid)
            stored = found or ClientSummary(cid)
            updated = incremental_update(repos, stored, changes[cid])
            if updated is not None:
                measured = any(table in SCORED_ONLY for table, _ in changes[cid])
                updated = _rescored(repos, stored, updated, measured)
        if updated is not None and updated == found:
            continue
        change += _store(repos.ctx, updated if updated is not None else summary_of(repos, cid))
    _move_head(repos.ctx, change)


def _rescored(repos: Repositories, stored: ClientSummary, updated: ClientSummary, measured: bool
              ) -> ClientSummary:
    """`updated` with its standing: the stored one when what it is scored from did not change (a
    note saved, a plan edited), else scored again (a questionnaire, an episode, a risk note). A
    stored standing kept is kept with its basis: one scored under other rules is scored again
    when read (with_current_standing), so a save need not read the instruments to tell."""
    if not measured and same_scoring_inputs(stored, updated):
        return updated
    return scored(updated, repos.measures.where(client_id=updated.id), stored_instruments(repos))


def rescore_all(repos: Repositories) -> None:
    """Every stored summary's standing scored again (the practitioner's instruments changed)."""
    extra = stored_instruments(repos)
    measures = by_client(repos.measures.all())
    store_all(repos, [scored(summary, measures[summary.id], extra) for summary in _sealed(repos.ctx).all()])


def scored_under_other_rules(repos: Repositories) -> bool:
    """True when the stored standings were scored under other rules or instruments than this
    release's (a vault last opened by another release). One summary tells: every summary is
    written with the same basis from one rescoring to the next (rescore_all, build_all)."""
    first = repos.ctx.session.scalar(select(_table().c.id).order_by(_table().c.id).limit(1))
    found = None if first is None else _sealed(repos.ctx).find(first)
    return found is not None and found.scored_under != scoring_basis(stored_instruments(repos))


def store_all(repos: Repositories, found: Iterable[ClientSummary]) -> None:
    """Write these summaries as they are (an empty one: deleted), and move the head's set digest."""
    _move_head(repos.ctx, sum(_store(repos.ctx, summary) for summary in found))


def with_current_standing(repos: Repositories, found: list[ClientSummary],
                          extra: tuple[Instrument, ...]) -> list[ClientSummary]:
    """`found` (stored summaries), each with a standing scored under `extra` and today's rules: a
    standing stored under others (an older release's rules) is scored again here, never shown."""
    basis = scoring_basis(extra)
    stale = {s.id for s in found if s.scored_under != basis}
    if not stale:
        return found
    measures: Mapping[str, list[MeasureAdministration]]
    if len(stale) > FEW:
        measures = by_client(repos.measures.all())
    else:
        measures = {cid: repos.measures.where(client_id=cid) for cid in stale}
    return [scored(s, measures.get(s.id, ()), extra) if s.id in stale else s for s in found]


def build_all(repos: Repositories) -> None:
    """Every client's summary from the full records, replacing whatever is stored (the first unlock
    after migration 0005)."""
    ctx = repos.ctx
    change = 0
    summaries = recompute_all(repos)
    stale = set(ctx.session.scalars(select(_table().c.id))) - set(summaries)
    for cid in sorted(stale):
        change += _store(ctx, ClientSummary(cid))
    for cid in sorted(summaries):
        change += _store(ctx, summaries[cid])
    _move_head(ctx, change)


def _table() -> Table:
    return Base.metadata.tables[SUMMARY_TABLE]


def _sealed(ctx: StoreContext) -> SealedTable[ClientSummary]:
    return SealedTable(ctx, SUMMARY_TABLE, ClientSummary, label="client summary")


def _store(ctx: StoreContext, summary: ClientSummary) -> int:
    """Write (or, when empty, delete) one summary row; returns the change to the set digest."""
    session, heads = ctx.session, ctx.audit.heads
    stored, old_term = heads.stored(session, SUMMARY_TABLE, summary.id)
    rev = None if stored is None else stored["rev"]
    if rev is not None and not isinstance(rev, int):  # a clear column altered behind the app's back
        raise VaultDamaged("A client summary in the vault is damaged.")
    sql = statements(SUMMARY_TABLE)
    if summary.empty:
        if rev is not None:
            raw.execute(session, sql.delete, (summary.id,))
        return -old_term
    clear: dict[str, ClearValue] = {"rev": 1 if rev is None else rev + 1}
    sealed = ctx.sealer.seal(SUMMARY_TABLE, summary.id, clear, summary)
    if rev is None:
        raw.execute(session, sql.insert, (summary.id, clear["rev"], sealed))
    else:
        raw.execute(session, sql.update, (clear["rev"], sealed, summary.id, rev))
    return heads.term(SUMMARY_TABLE, summary.id, clear, sealed) - old_term


def _move_head(ctx: StoreContext, change: int) -> None:
    """The head keeps its place in the audit chain; only its set digest moves (and its MAC)."""
    if change % MODULUS == 0:
        return
    head = ctx.audit.current(ctx.session)
    moved = Head(head.seq, head.chain, (head.rows + change) % MODULUS, head.lineage)
    ctx.audit.heads.write(ctx.session, moved)
    ctx.session.info["audit_head"] = moved
