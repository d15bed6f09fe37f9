"""Search covers the whole record a clinician writes in (issue 15, item 8): presenting concerns,
homework and its check-ins, the current safety plan; the safety plan's reason for living counts as
the client's own words; an older safety plan version gives way to the newer one."""

from __future__ import annotations

from datetime import date

from notesdesk.core.domain.care import CheckinStatus, Contact, Homework, SafetyPlan
from notesdesk.core.domain.clients import Client
from notesdesk.core.services import care, clients
from notesdesk.core.services.overview import refresh_search_entry
from notesdesk.core.services.search import build_index
from notesdesk.core.storage.vault import Vault


def test_presenting_concerns_homework_and_the_safety_plan_are_found(vault: Vault) -> None:
    uow = vault.unit_of_work
    client = clients.add_client(uow(), Client(name="Robin Example", presenting_concerns="Insomnia since May"))
    homework = care.add_homework(uow(), Homework(client.id, "Wind-down routine", date(2026, 3, 2),
                                                 rationale="Calms the evening"))
    care.check_in(uow(), homework.id, CheckinStatus.DONE, date(2026, 3, 9), client_report="Chamomile helped")
    care.save_safety_plan(uow(), SafetyPlan(client.id, warning_signs=("Pacing at night",),
                                            people_to_ask=(Contact("Aunt Marguerite"),),
                                            reason_for_living="My niece's wedding"))
    index = build_index(uow())
    assert [(h.kind, h.client_id) for h in index.search("insomnia")] == [("client", client.id)]
    assert [h.kind for h in index.search("wind-down")] == ["homework"]
    assert [h.kind for h in index.search("chamomile")] == ["homework"]
    assert [h.kind for h in index.search("pacing")] == ["safety_plan"]
    assert [h.kind for h in index.search("marguerite")] == ["safety_plan"]
    [wedding] = index.search("wedding")
    assert wedding.kind == "safety_plan" and wedding.in_own_words  # masked in privacy mode


def test_changes_reach_the_index_and_only_the_newest_safety_plan_is_found(vault: Vault) -> None:
    uow = vault.unit_of_work
    client = clients.add_client(uow(), Client(name="Robin Example"))
    first = care.save_safety_plan(uow(), SafetyPlan(client.id, warning_signs=("Pacing at night",)))
    index = build_index(uow())
    second = care.save_safety_plan(uow(), SafetyPlan(client.id, warning_signs=("Skipping meals",)))
    refresh_search_entry(uow(), index, "safety_plan", second.id)
    assert not index.search("pacing") and [h.object_id for h in index.search("meals")] == [second.id]
    assert first.id != second.id
    homework = care.add_homework(uow(), Homework(client.id, "Morning walk", date(2026, 3, 2)))
    refresh_search_entry(uow(), index, "homework", homework.id)
    assert [h.object_id for h in index.search("walk")] == [homework.id]
    rebuilt = build_index(uow())  # built from every version, the newest still wins
    assert not rebuilt.search("pacing") and rebuilt.search("meals")
