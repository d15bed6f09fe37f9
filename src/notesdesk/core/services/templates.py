"""The practitioner's own note templates (speech, physical or other therapies).

All templates live in one sealed `TemplateSet` row of the vault's `secret` table, like the
practitioner profile: they are vault-level settings, not client records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from notesdesk.core.domain.notes import NoteFormat, NoteTemplate
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork

TEMPLATE_SET_ID = "note-templates"


@dataclass(frozen=True)
class TemplateSet:
    templates: tuple[NoteTemplate, ...] = ()
    id: str = TEMPLATE_SET_ID


def _table(uow: UnitOfWork) -> SealedTable[TemplateSet]:
    return SealedTable(uow.ctx, "secret", TemplateSet, label="note templates")


def section_key(title: str) -> str:
    """'Oral motor skills' -> 'oral_motor_skills' (the key the CLI and notes use)."""
    key = re.sub(r"[^0-9a-z]+", "_", title.strip().casefold()).strip("_")
    return key or "section"


def make_template(name: str, titles: list[str], template_id: str | None = None) -> NoteTemplate:
    """A template from a name and its section titles, in order; keys are derived and unique."""
    name = name.strip()
    titles = [t.strip() for t in titles if t.strip()]
    if not name:
        raise InvalidInput("A template needs a name.")
    if name.upper() in NoteFormat.__members__:
        raise InvalidInput(f"'{name}' is a built-in format; choose another template name.")
    if not titles:
        raise InvalidInput("A template needs at least one section.")
    sections: list[tuple[str, str]] = []
    seen: set[str] = set()
    for title in titles:
        key, n = section_key(title), 2
        base = key
        while key in seen:
            key, n = f"{base}_{n}", n + 1
        seen.add(key)
        sections.append((key, title))
    template = NoteTemplate(name=name, sections=tuple(sections))
    return replace(template, id=template_id) if template_id else template


def list_templates(uow: UnitOfWork) -> list[NoteTemplate]:
    with uow:
        found = _table(uow).find(TEMPLATE_SET_ID)
    templates = found.templates if found else ()
    return sorted(templates, key=lambda t: t.name.casefold())


def get_template(uow: UnitOfWork, name: str) -> NoteTemplate:
    for template in list_templates(uow):
        if template.name == name:
            return template
    raise NotFound(f"No note template named '{name}'.")


def save_template(uow: UnitOfWork, template: NoteTemplate) -> NoteTemplate:
    """Add a template or replace the one with the same id; names are unique (case-insensitive)."""
    with uow:
        table = _table(uow)
        stored = table.find(TEMPLATE_SET_ID)
        templates = list(stored.templates) if stored else []
        clash = [
            t for t in templates
            if t.name.casefold() == template.name.casefold() and t.id != template.id
        ]
        if clash:
            raise InvalidInput(f"A template named '{template.name}' already exists.")
        others = [t for t in templates if t.id != template.id]
        updated = TemplateSet(templates=(*others, template))
        if stored is None:
            table.add(updated)
        else:
            table.replace(updated)
        uow.commit()
    return template


def delete_template(uow: UnitOfWork, template_id: str) -> None:
    """Notes written with a deleted template keep their sections; only the choice goes away."""
    with uow:
        table = _table(uow)
        stored = table.find(TEMPLATE_SET_ID)
        if stored is None or all(t.id != template_id for t in stored.templates):
            raise NotFound("That note template no longer exists.")
        table.replace(TemplateSet(tuple(t for t in stored.templates if t.id != template_id)))
        uow.commit()
