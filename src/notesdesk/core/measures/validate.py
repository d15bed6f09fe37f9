"""Turn an instrument file (parsed JSON) into an `Instrument`, or explain every problem by field path.

Built-in and practitioner-defined instruments go through this same code: a typo in a score or a band
would silently mislabel every administration, so nothing is accepted on trust. All problems are collected
(not just the first) so a practitioner can fix their file in one pass.
"""

from __future__ import annotations

import re
from typing import Any

from notesdesk.core.measures.fields import Checker, InstrumentInvalid, at
from notesdesk.core.measures.model import (
    AllianceRules,
    Band,
    ChangeRules,
    CriticalItem,
    Direction,
    FunctionalItem,
    Instrument,
    Kind,
    Licence,
    LicenceOwner,
    Option,
    Rater,
    Reliability,
)

SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")

_TOP_REQUIRED = {"schema_version", "id", "name", "version", "kind", "rater", "direction", "items",
                 "options", "scoring", "range", "bands", "licence"}
_TOP_OPTIONAL = {"title", "stem", "functional_item", "bands_source", "critical_items", "reliability",
                 "change", "alliance"}


def _options(c: Checker, raw: list[Any]) -> tuple[Option, ...]:
    options: list[Option] = []
    for i, entry in enumerate(raw):
        d = c.obj(entry, at("options", i), {"score", "label"})
        if d is None:
            continue
        score = c.integer(d, "score", at("options", i), lo=0, hi=1000)
        label = c.text(d, "label", at("options", i))
        if score is not None and any(o.score == score for o in options):
            c.fail(at(at("options", i), "score"), f"repeats score {score}")
        elif score is not None and label is not None:
            options.append(Option(score, label))
    return tuple(options)


def _bands(c: Checker, raw: list[Any], lo: int, hi: int) -> tuple[Band, ...]:
    bands: list[Band] = []
    for i, entry in enumerate(raw):
        path = at("bands", i)
        d = c.obj(entry, path, {"min", "max", "label"})
        if d is None:
            return ()
        bmin, bmax, label = c.integer(d, "min", path), c.integer(d, "max", path), c.text(d, "label", path)
        if bmin is None or bmax is None or label is None:
            return ()
        if bmax < bmin:
            c.fail(f"{path}.max", f"must be ≥ {path}.min")
        # Contiguity stops a score landing in no band or in two (cf. OpenEMR, clinical.md §2.1.6).
        expected = lo if i == 0 else bands[-1].max + 1
        if bmin != expected:
            where = "range.min" if i == 0 else f"{at('bands', i - 1)}.max + 1"
            c.fail(f"{path}.min", f"must be {expected} ({where}) so that bands leave no gap or overlap")
        bands.append(Band(bmin, bmax, label))
    if bands and bands[-1].max != hi:
        c.fail(f"{at('bands', len(bands) - 1)}.max", f"must be {hi} (range.max)")
    return tuple(bands)


def _critical(c: Checker, raw: list[Any], n_items: int,
              options: tuple[Option, ...]) -> tuple[CriticalItem, ...]:
    top = max((o.score for o in options), default=0)
    found: list[CriticalItem] = []
    for i, entry in enumerate(raw):
        path = at("critical_items", i)
        d = c.obj(entry, path, {"item", "above", "message", "source"})
        if d is None:
            continue
        item = c.integer(d, "item", path, lo=1, hi=n_items)
        # `above` equal to the top score could never fire: a silent no-op safety check is worse than none.
        above = c.integer(d, "above", path, lo=0, hi=top - 1)
        message, source = c.text(d, "message", path), c.text(d, "source", path)
        if item is not None and above is not None and message and source:
            found.append(CriticalItem(item, above, message, source))
    return tuple(found)


def _reliability(c: Checker, raw: Any) -> Reliability | None:
    d = c.obj(raw, "reliability", {"sd", "sd_source", "r", "r_type", "r_source"})
    if d is None:
        return None
    sd = c.number(d, "sd", "reliability", lo=0, hi=1e6, lo_open=True)
    r = c.number(d, "r", "reliability", lo=0, hi=0.999)
    values = (c.text(d, "sd_source", "reliability"), c.text(d, "r_type", "reliability"),
              c.text(d, "r_source", "reliability"))
    if sd is None or r is None or None in values:
        return None
    sd_source, r_type, r_source = values
    return Reliability(sd, str(sd_source), r, str(r_type), str(r_source))


def _change(c: Checker, raw: Any, lo: int, hi: int, direction: Direction | None) -> ChangeRules:
    # value field -> the field that must cite where the value comes from
    sources = {"reliable_change": "reliable_change_source", "caseness": "caseness_source",
               "response_reduction": "response_source", "remission_below": "remission_source",
               "minimal_change": "minimal_change_source"}
    d = c.obj(raw, "change", set(sources) | set(sources.values()))
    if d is None:
        return ChangeRules()
    values: dict[str, Any] = {
        "reliable_change": c.number(d, "reliable_change", "change", required=False, lo=0, hi=hi - lo,
                                    lo_open=True),
        "caseness": c.integer(d, "caseness", "change", required=False, lo=lo, hi=hi),
        "response_reduction": c.number(d, "response_reduction", "change", required=False, lo=0, hi=1,
                                       lo_open=True),
        "remission_below": c.integer(d, "remission_below", "change", required=False, lo=lo + 1, hi=hi),
        "minimal_change": c.number(d, "minimal_change", "change", required=False, lo=0, hi=hi - lo,
                                   lo_open=True),
    }
    for name, source in sources.items():
        # A threshold without its source is exactly the undocumented label this package exists to avoid.
        if d.get(name) is not None:
            values[source] = c.text(d, source, "change") or ""
    if direction is Direction.HIGHER_IS_BETTER:
        for name in ("response_reduction", "remission_below"):
            if d.get(name) is not None:
                c.fail(f"change.{name}", "is only defined for instruments where higher is worse")
    return ChangeRules(**{k: v for k, v in values.items() if v is not None})


def _licence(c: Checker, raw: Any) -> Licence | None:
    d = c.obj(raw, "licence", {"owner", "attribution", "terms", "source", "redistribution_allowed"})
    if d is None:
        return None
    owner = c.choice(d, "owner", LicenceOwner, "licence")
    attribution, terms = c.text(d, "attribution", "licence"), c.text(d, "terms", "licence")
    source = c.text(d, "source", "licence", required=owner is LicenceOwner.THIRD_PARTY)
    allowed = d.get("redistribution_allowed")
    if not isinstance(allowed, bool):
        c.fail("licence.redistribution_allowed", "must be true or false")
    if owner is None or attribution is None or terms is None or not isinstance(allowed, bool):
        return None
    return Licence(owner, attribution, terms, source or "", allowed)


def _alliance(c: Checker, raw: Any, lo: int, hi: int) -> AllianceRules | None:
    d = c.obj(raw, "alliance", {"drop", "low_below", "source"})
    if d is None:
        return None
    drop = c.integer(d, "drop", "alliance", lo=1, hi=max(hi - lo, 1))
    low_below = c.integer(d, "low_below", "alliance", lo=lo, hi=hi)
    source = c.text(d, "source", "alliance")
    return AllianceRules(drop, low_below, source) if drop and low_below is not None and source else None


def parse_instrument(data: Any, source: str) -> Instrument:
    """Validate one instrument; raise InstrumentInvalid naming every offending field."""
    c = Checker()
    top = c.obj(data, "(top level)", _TOP_REQUIRED | _TOP_OPTIONAL)
    if top is None:
        raise InstrumentInvalid(source, c.problems)
    for key in sorted(k for k in _TOP_REQUIRED if k not in top):
        c.fail(key, "is missing")
    if "schema_version" in top and top["schema_version"] != SCHEMA_VERSION:
        c.fail("schema_version", f"must be {SCHEMA_VERSION}")
    ident = c.text(top, "id", required=False)
    if ident is not None and not _ID.match(ident):
        c.fail("id", "must be lower-case letters, digits, '-' or '_', starting with a letter (≤ 32)")
    name, version = c.text(top, "name", required=False), c.text(top, "version", required=False)
    rater = c.choice(top, "rater", Rater)
    kind, direction = c.choice(top, "kind", Kind), c.choice(top, "direction", Direction)
    items: list[str] = []
    for i, text in enumerate(c.items(top, "items")):
        if isinstance(text, str) and text.strip():
            items.append(text.strip())
        else:
            c.fail(at("items", i), "must be a non-empty string")
    options = _options(c, c.items(top, "options"))
    lowest = min((o.score for o in options), default=0)
    highest = max((o.score for o in options), default=0)
    functional = _functional(c, top.get("functional_item"))
    max_missing, scoring_source = None, None
    scoring_keys = {"method", "max_missing", "source"}
    scoring = c.obj(top["scoring"], "scoring", scoring_keys) if "scoring" in top else None
    if scoring is not None:
        if scoring.get("method") != "sum":
            c.fail("scoring.method", "must be 'sum'")
        max_missing = c.integer(scoring, "max_missing", "scoring", lo=0, hi=max(len(items) - 1, 0))
        # Proration is a convention, not arithmetic: whoever allows it must say on whose authority.
        scoring_source = c.text(scoring, "source", "scoring", required=bool(max_missing))
    lo, hi = len(items) * lowest, len(items) * highest
    rng = c.obj(top["range"], "range", {"min", "max"}) if "range" in top else None
    # The range is redundant on purpose: it catches an option list or item list edited out of step.
    for key, want, why in (("min", lo, "lowest"), ("max", hi, "highest")):
        if rng is not None and rng.get(key) != want:
            c.fail(f"range.{key}", f"must be {want} ({len(items)} items × {why} option score)")
    raw_bands = top.get("bands")
    if "bands" in top and not isinstance(raw_bands, list):
        c.fail("bands", "must be a list (it may be empty)")
    bands = _bands(c, raw_bands if isinstance(raw_bands, list) else [], lo, hi)
    bands_source = c.text(top, "bands_source", required=bool(bands))
    critical = _critical(c, c.items(top, "critical_items", required=False), len(items), options)
    reliability = _reliability(c, top["reliability"]) if top.get("reliability") is not None else None
    change = _change(c, top["change"], lo, hi, direction) if top.get("change") is not None else ChangeRules()
    licence = _licence(c, top["licence"]) if "licence" in top else None
    alliance = None
    if kind is Kind.ALLIANCE:
        alliance = _alliance(c, top.get("alliance"), lowest, highest)
    elif "alliance" in top:
        c.fail("alliance", "is only allowed when kind is 'alliance'")
    if c.problems:
        raise InstrumentInvalid(source, c.problems)
    assert ident and name and version and rater and kind and direction and licence  # for type checkers
    return Instrument(
        id=ident, name=name, title=str(top.get("title") or name), version=version, kind=kind, rater=rater,
        direction=direction, stem=str(top.get("stem") or ""), items=tuple(items), options=options,
        functional_item=functional, max_missing=max_missing or 0, scoring_source=scoring_source or "",
        range_min=lo, range_max=hi, bands=bands, bands_source=bands_source or "", critical_items=critical,
        reliability=reliability, change=change, licence=licence, alliance=alliance,
    )


def _functional(c: Checker, raw: Any) -> FunctionalItem | None:
    if raw is None:
        return None
    d = c.obj(raw, "functional_item", {"text", "options"})
    if d is None:
        return None
    text = c.text(d, "text", "functional_item")
    labels = c.items(d, "options", "functional_item")
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            c.fail(at("functional_item.options", i), "must be a non-empty string")
    return FunctionalItem(text, tuple(labels)) if text and labels else None
