"""Writing the demo's notes: one session's events turned into SOAP, DAP, BIRP, GIRP, intake and
discharge sections, in the practitioner's voice, from the phrase banks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from notesdesk.core.domain.care import CheckinStatus
from notesdesk.core.domain.notes import FORMAT_SECTIONS, MaintenancePlan, NoteFormat
from notesdesk.demo import text as t
from notesdesk.demo import text_body as tb
from notesdesk.demo.cases import HIGH, LOW, Case
from notesdesk.demo.modalities import spoken


@dataclass
class Visit:
    """What happened in one session: the composer's only input besides the case and the person."""

    index: int
    day: date
    week: int
    severity: float
    band: int
    stage: str
    techniques: tuple[str, ...] = ()
    goal: str = ""
    client_words: str = ""
    objective: str = ""
    scores: list[tuple[str, int, int]] = field(default_factory=list)  # instrument, now, baseline
    reviewed: list[tuple[str, CheckinStatus]] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)
    risk_raised: bool = False
    risk_text: str = ""
    child: bool = False
    plan_review: bool = False
    next_gap: int = 1


CHECKIN_REPORTS = {
    CheckinStatus.DONE: ("Did it most days.", "Done, and it helped more than expected.",
                         "Completed; found the second half easier.", "Did it every day bar one."),
    CheckinStatus.PARTIAL: ("Managed about half of it.", "Started well, tailed off midweek.",
                            "Did a shorter version.", "Did it twice, not the four agreed."),
    CheckinStatus.NOT_DONE: ("Didn't get to it; busy week.", "Forgot until the night before.",
                             "Avoided it; felt too much.", "Not done: ill for most of the week."),
    CheckinStatus.DROPPED: ("Decided to stop; it wasn't a good fit.",
                            "Dropped by agreement; replacing it with something smaller."),
}


def checkin_report(status: CheckinStatus, rng: random.Random) -> str:
    return rng.choice(CHECKIN_REPORTS[status])


def _sentence(template: str, words: dict[str, str], rng: random.Random) -> str:
    """Case reports are predicates ('reported …') unless they already start with a subject."""
    if template[:1].islower():
        subject = rng.choice((words["name"], words["They"], "Client"))
        template = f"{subject} {template}"
    text = t.fill(template, words, rng)
    return text if text.endswith((".", "!", "?")) else text + "."


def _report(case: Case, visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    own = t.pick(rng, case.reports[visit.band], 2 if rng.random() < 0.5 else 1)
    life = tb.LIFE_BODY if case.metric else tb.LIFE_CHILD if visit.child else t.LIFE
    parts = [_sentence(r, words, rng) for r in (*own, rng.choice(life[visit.band]))]
    rng.shuffle(parts)
    if rng.random() < 0.35:
        parts.append(f'"{rng.choice(case.quotes[visit.band])}"')
    return " ".join(parts)


def _homework_review(visit: Visit) -> str:
    if not visit.reviewed:
        return ""
    said = {
        CheckinStatus.DONE: "done", CheckinStatus.PARTIAL: "partly done",
        CheckinStatus.NOT_DONE: "not done", CheckinStatus.DROPPED: "dropped",
    }
    items = "; ".join(f"{desc.rstrip('.')} ({said[status]})" for desc, status in visit.reviewed)
    return f"Homework reviewed: {items}."


def metric_line(case: Case, severity: float, rng: random.Random) -> str:
    if case.metric == "speech":
        return (f"%SS {1.2 + 7.5 * severity + rng.uniform(-0.6, 0.6):.1f} in a "
                f"{rng.choice((300, 400, 500))}-syllable conversational sample; longest block "
                f"{0.5 + 3 * severity:.1f} s; self-rated severity {max(1, round(2 + 6 * severity))}/9.")
    if case.metric == "physical":
        flexion = round(85 + 42 * (1 - severity) + rng.uniform(-3, 3))
        walk = max(3, round(5 + 30 * (1 - severity)))
        aid = "two crutches" if severity > 0.8 else "one crutch" if severity > 0.5 else "no aid"
        return (f"Active knee flexion {flexion}°, extension −{max(0, round(8 * severity))}°; "
                f"walked {walk} min with {aid}; pain {max(0, round(1 + 6 * severity))}/10 on stairs.")
    return ""


def _objective_text(case: Case, visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    bank = tb.PRESENTATION_BODY if case.metric else tb.PRESENTATION_CHILD if visit.child else t.PRESENTATION
    parts = [t.fill(rng.choice(bank[visit.band]), words, rng)]
    metric = metric_line(case, visit.severity, rng)
    if metric:
        parts.append(metric)
    for instrument, score, baseline in visit.scores:
        change = "" if score == baseline else f" (intake {baseline})"
        parts.append(f"{instrument} today {score}{change}.")
    return " ".join(parts)


def _assessment(case: Case, visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    stages = tb.STAGE_BODY if case.metric else t.STAGE_ASSESSMENT
    parts = [t.fill(rng.choice(stages[visit.stage]), words, rng)]
    if visit.objective:
        progress = ("no measurable change yet", "partly met", "largely met")[visit.band]
        parts.append(f"Objective '{visit.objective}': {progress}.")
    if not case.metric:
        parts.append(visit.risk_text or rng.choice(t.RISK_LOW))
    if rng.random() < 0.15:
        parts.append(t.fill(rng.choice(t.ALLIANCE), words, rng))
    return " ".join(parts)


def _interventions(case: Case, visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    return " ".join(t.fill(case.techniques.get(name) or t.SHARED_TECHNIQUES[name], words, rng)
                    for name in visit.techniques)


def _response(case: Case, visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    band = HIGH if visit.stage == "setback" else visit.band
    bank = tb.RESPONSE_BODY if case.metric else t.RESPONSE
    parts = [t.fill(r, words, rng) for r in t.pick(rng, bank[band], 2)]
    metric = metric_line(case, visit.severity, rng)
    return " ".join([*parts, metric] if metric else parts)


def _plan(visit: Visit, words: dict[str, str], rng: random.Random) -> str:
    parts = [f"Continue {', '.join(visit.techniques[:2])}."] if visit.techniques else []
    parts += [f"Homework: {desc.rstrip('.')}." for desc in visit.assigned]
    if visit.plan_review:
        parts.append("Treatment plan reviewed with the client today.")
    elif rng.random() < 0.3:
        parts.append(rng.choice(t.PLAN_EXTRA))
    parts.append(rng.choice(t.NEXT_SESSION[min(3, max(1, visit.next_gap))]))
    return " ".join(parts)


def session_sections(
    fmt: NoteFormat, case: Case, visit: Visit, words: dict[str, str], rng: random.Random
) -> dict[str, str]:
    review = _homework_review(visit)
    report = _report(case, visit, words, rng)
    if fmt == NoteFormat.SOAP:
        return {
            "subjective": f"{report} {review}".strip(),
            "objective": _objective_text(case, visit, words, rng),
            "assessment": _assessment(case, visit, words, rng),
            "plan": _plan(visit, words, rng),
        }
    if fmt == NoteFormat.DAP:
        data = f"{report} {_objective_text(case, visit, words, rng)} {review}".strip()
        return {
            "data": f"{data} Worked on: {', '.join(visit.techniques)}.",
            "assessment": _assessment(case, visit, words, rng),
            "plan": _plan(visit, words, rng),
        }
    first = {
        NoteFormat.BIRP: ("behavior", f"{report} {_objective_text(case, visit, words, rng)}"),
        NoteFormat.GIRP: ("goal", f"{visit.goal} (In {words['their']} words: \"{visit.client_words}\") "
                          f"Objective addressed: {visit.objective}."),
    }[fmt]
    return {
        first[0]: first[1].strip(),
        "intervention": _interventions(case, visit, words, rng),
        "response": f"{_response(case, visit, words, rng)} {review} {_assessment(case, visit, words, rng)}"
        .replace("  ", " ").strip(),
        "plan": _plan(visit, words, rng),
    }


def _background(case: Case, words: dict[str, str], age: int, strengths: str, rng: random.Random) -> str:
    """Home, health, substances and strengths (the plan's), as fits the person's age and the case."""
    filled = {**words, "job": rng.choice(t.JOBS)}
    if age < 16:
        parts = [rng.choice(tb.BACKGROUND_CHILD), rng.choice(tb.HEALTH_CHILD),
                 rng.choice(tb.DEVELOPMENT_CHILD), strengths]
    else:
        fitting = [text for low, high, text in t.BACKGROUND if low <= age <= high]
        home = rng.choice(case.backgrounds or fitting or [text for _, _, text in t.BACKGROUND])
        substances = t.SUBSTANCES_YOUNG if age < 18 else t.SUBSTANCES
        parts = [home, rng.choice(t.HEALTH), rng.choice(substances), strengths]
    return " ".join(t.fill(part, filled, rng) for part in parts)


def _formulation(case: Case, words: dict[str, str], modality: str, rng: random.Random) -> str:
    """The case's formulation, in the terms of the client's modality when it has its own."""
    own = [text for kind, text in case.formulations.items() if kind.value == modality]
    return t.fill(own[0] if own else rng.choice(case.formulation), words, rng)


def intake_sections(
    case: Case, words: dict[str, str], referral: str, scores: list[tuple[str, int, int]],
    risk_raised: bool, modality: str, diagnosis: str, age: int, strengths: str, rng: random.Random,
) -> dict[str, str]:
    measures = "; ".join(f"{i} {s}" for i, s, _ in scores) or "none (age)"
    risk = t.RISK_INTAKE if risk_raised else tb.RISK_CHILD if age < 16 else rng.choice(t.RISK_LOW)
    return {
        "reason": ("Self-referred" if referral == "self-referred" else f"Referred by {referral}")
        + f" for {case.concern.lower()}.",
        "history": " ".join(
            [t.fill(rng.choice(case.history), words, rng)]
            + [_sentence(r, words, rng) for r in t.pick(rng, case.reports[HIGH], 2)]
            + [f'"{rng.choice(case.quotes[HIGH])}"']
        ),
        "background": _background(case, words, age, strengths, rng),
        "mental_status": t.fill(rng.choice(t.INTAKE_MSE), {**words, "mood": rng.choice(t.MOODS)}, rng)
        + (f" Baseline: {metric_line(case, 1.0, rng)}" if case.metric else
           f" Measures at intake: {measures}."),
        "risk": risk if not case.metric else "No risk issues identified.",
        "formulation": f"{_formulation(case, words, modality, rng)} Working diagnosis: {diagnosis}.",
        "plan": f"Offer {spoken(modality)} sessions of {case.minutes} minutes, "
        "weekly to begin with. "
        f"Agree goals and a written treatment plan next session. "
        + ("Safety plan drafted today. " if risk_raised else "")
        + ("Re-measure at each session." if case.metric else "Repeat measures every four sessions."),
    }


def discharge_sections(
    case: Case, words: dict[str, str], sessions: int, first: date, last: date,
    scores: list[tuple[str, int, int]], achieved: list[str], modality: str, child: bool,
    interventions: list[str], rng: random.Random,
) -> tuple[dict[str, str], MaintenancePlan]:
    moved = "; ".join(f"{i} from {b} at intake to {s}" for i, s, b in scores)
    progress = (f"Objectives met: {'; '.join(achieved)}." if achieved else
                "Partial progress toward the objectives.")
    reason = rng.choice([r for r in t.DISCHARGE_REASONS if not (child and "work" in r)])
    sections = {
        "summary": f"{sessions} sessions of {spoken(modality)} from "
        f"{first:%d %B %Y} to {last:%d %B %Y} for {case.concern.lower()}. "
        f"Main interventions: {', '.join(interventions[:3])}.",
        "progress": f"{progress} {f'Measures: {moved}.' if moved else ''}".strip(),
        "reason": reason,
        "recommendations": "Keep practising the skills in the maintenance plan; return or contact "
        "the GP if the early warning signs last more than two weeks.",
    }
    skills = t.MAINTENANCE_SKILLS.get(case.metric or "default", t.MAINTENANCE_SKILLS["default"])
    plan = MaintenancePlan(
        what_changed=t.fill(rng.choice(case.quotes[LOW]), words, rng),
        skills_to_practise=tuple(t.pick(rng, skills, 2)),
        early_warning_signs=tuple(t.pick(rng, t.WARNING_SIGNS_BACK, 2)),
        what_to_do="Go back to the diary and the first skills for two weeks; book a review if "
        "things do not settle.",
        when_to_return="If the warning signs last more than two weeks, or at any time in a crisis.",
    )
    return sections, plan


def check_sections(fmt: NoteFormat, sections: dict[str, str]) -> None:
    """Guard: the keys used here must be the format's own (they are the CLI contract)."""
    known = {key for key, _ in FORMAT_SECTIONS[fmt]}
    unknown = set(sections) - known
    if unknown:
        raise AssertionError(f"demo wrote unknown {fmt.value} sections: {sorted(unknown)}")
