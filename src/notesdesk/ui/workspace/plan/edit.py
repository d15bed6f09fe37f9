"""Pure edits of a treatment plan's tree (problems -> goals -> objectives -> interventions).

Qt-free so it is tested on its own; the plan tab keeps a working copy and replaces it with the
result of each edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from notesdesk.core.domain.plans import Goal, Intervention, Objective, Problem, TreatmentPlan

PROBLEM, GOAL, OBJECTIVE, INTERVENTION = "problem", "goal", "objective", "intervention"
KINDS = (PROBLEM, GOAL, OBJECTIVE, INTERVENTION)
KIND_LABELS = {PROBLEM: "Problem", GOAL: "Goal", OBJECTIVE: "Objective", INTERVENTION: "Intervention"}

# Which attribute holds the children of each level, and what kind the children are.
_CHILDREN: dict[type, tuple[str, str]] = {
    TreatmentPlan: ("problems", PROBLEM),
    Problem: ("goals", GOAL),
    Goal: ("objectives", OBJECTIVE),
    Objective: ("interventions", INTERVENTION),
}
_KIND_OF: dict[type, str] = {
    Problem: PROBLEM,
    Goal: GOAL,
    Objective: OBJECTIVE,
    Intervention: INTERVENTION,
}
CHILD_KIND: dict[str, str | None] = {
    PROBLEM: GOAL,
    GOAL: OBJECTIVE,
    OBJECTIVE: INTERVENTION,
    INTERVENTION: None,
}


@dataclass(frozen=True)
class NodeRef:
    kind: str
    node: Any
    parent_id: str | None  # None for a problem (its parent is the plan)
    row: int
    depth: int


def kind_of(node: object) -> str:
    return _KIND_OF[type(node)]


def children(node: object) -> tuple[Any, ...]:
    entry = _CHILDREN.get(type(node))
    return getattr(node, entry[0]) if entry else ()


def title_of(node: object) -> str:
    if isinstance(node, Problem):
        return node.title
    if isinstance(node, Goal):
        return node.statement
    if isinstance(node, Objective):
        return node.description
    if isinstance(node, Intervention):
        return node.technique
    return ""


def new_node(kind: str) -> Any:
    return {
        PROBLEM: lambda: Problem(title="New problem"),
        GOAL: lambda: Goal(statement="New goal"),
        OBJECTIVE: lambda: Objective(description="New objective"),
        INTERVENTION: lambda: Intervention(technique="New intervention"),
    }[kind]()


def walk(plan: TreatmentPlan) -> Iterator[NodeRef]:
    """Every node, depth first, in display order."""

    def visit(parent: Any, parent_id: str | None, depth: int) -> Iterator[NodeRef]:
        for row, child in enumerate(children(parent)):
            yield NodeRef(kind_of(child), child, parent_id, row, depth)
            yield from visit(child, child.id, depth + 1)

    yield from visit(plan, None, 0)


def find(plan: TreatmentPlan, node_id: str) -> NodeRef | None:
    return next((ref for ref in walk(plan) if ref.node.id == node_id), None)


def _rebuild(node: Any, node_id: str, op: Callable[[Any], Any | None]) -> Any | None:
    if not isinstance(node, TreatmentPlan) and node.id == node_id:
        return op(node)
    entry = _CHILDREN.get(type(node))
    if entry is None:
        return node
    attr = entry[0]
    changed, kept = False, []
    for child in getattr(node, attr):
        result = _rebuild(child, node_id, op)
        changed = changed or result is not child
        if result is not None:
            kept.append(result)
    return replace(node, **{attr: tuple(kept)}) if changed else node


def _rebuild_plan(plan: TreatmentPlan, node_id: str, op: Callable[[Any], Any | None]) -> TreatmentPlan:
    """`_rebuild` from the root, which it never removes (the plan itself has no node id to match)."""
    rebuilt = _rebuild(plan, node_id, op)
    assert isinstance(rebuilt, TreatmentPlan)
    return rebuilt


def update_node(plan: TreatmentPlan, node_id: str, **changes: Any) -> TreatmentPlan:
    return _rebuild_plan(plan, node_id, lambda node: replace(node, **changes))


def add_child(
    plan: TreatmentPlan, parent_id: str | None, child: Any | None = None
) -> tuple[TreatmentPlan, Any]:
    """Add under `parent_id` (None: a new problem). Returns the new plan and the added node."""
    if parent_id is None:
        child = child or new_node(PROBLEM)
        return replace(plan, problems=(*plan.problems, child)), child
    parent = find(plan, parent_id)
    if parent is None:
        raise KeyError(parent_id)
    kind = CHILD_KIND[parent.kind]
    if kind is None:
        raise ValueError("An intervention has no children.")
    child = child or new_node(kind)
    attr = _CHILDREN[type(parent.node)][0]
    plan = _rebuild_plan(plan, parent_id, lambda node: replace(node, **{attr: (*getattr(node, attr), child)}))
    return plan, child


def remove_node(plan: TreatmentPlan, node_id: str) -> TreatmentPlan:
    return _rebuild_plan(plan, node_id, lambda _node: None)


def move_node(plan: TreatmentPlan, node_id: str, step: int) -> TreatmentPlan:
    """Move a node up (-1) or down (+1) among its siblings."""
    ref = find(plan, node_id)
    if ref is None:
        return plan

    def shift(items: tuple[Any, ...]) -> tuple[Any, ...]:
        target = ref.row + step
        if not 0 <= target < len(items):
            return items
        moved = list(items)
        moved[ref.row], moved[target] = moved[target], moved[ref.row]
        return tuple(moved)

    if ref.parent_id is None:
        return replace(plan, problems=shift(plan.problems))
    parent = find(plan, ref.parent_id)
    assert parent is not None
    attr = _CHILDREN[type(parent.node)][0]
    return _rebuild_plan(
        plan, ref.parent_id, lambda node: replace(node, **{attr: shift(getattr(node, attr))})
    )


def ancestor(plan: TreatmentPlan, node_id: str | None, kind: str) -> str | None:
    """The id of `node_id` itself or its nearest ancestor of `kind` (None when there is none)."""
    while node_id is not None:
        ref = find(plan, node_id)
        if ref is None:
            return None
        if ref.kind == kind:
            return node_id
        node_id = ref.parent_id
    return None
