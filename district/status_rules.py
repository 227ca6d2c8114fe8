"""Which status changes of a complaint the hub believes: reachable through the office's
workflow (desktop/domain/workflow.py), and carrying what the last step into the new status
records. Used by the push for inserts and updates alike."""

from __future__ import annotations

import functools
from collections import deque
from typing import Any

from desktop.domain.workflow import (
    ALLOWED_RESULTS,
    TRANSITIONS,
    Action,
    Status,
    Transition,
    present,
)
from district.errors import OpMsg

_STATUSES = {s.value for s in Status}

# Where the office's services keep what a transition requires (workflow.Transition.requires):
# a status is only believable when the record carries what the step into it must record.
_EVIDENCE: dict[Action, dict[str, str]] = {
    Action.REJECT: {"ground": "rejection_ground"},
    Action.TERMINATE: {"ground": "termination_ground"},
    Action.SETTLE: {"terms": "settlement_terms"},
    Action.TRANSFER: {"target": "transferred_to"},
    Action.OPEN_CASE: {"note": "case_note"},
    Action.CLOSE: {"result": "result"},
    Action.REQUEST_ID_PROOF: {"due": "id_proof_due_on"},
    Action.DELEGATE: {"to": "delegated_to"},
    Action.FILE_CASE: {"note": "case_note"},
    Action.DECLINE_CASE: {"note": "status_note"},
    Action.MERGE: {"target": "merged_into"},
    Action.ANSWER: {"answer": "answer"},
}


def _targets(t: Transition) -> set[Status]:
    # workflow.fire: a reopened complaint that was never accepted goes back to 登记.
    return {t.target, Status.REGISTERED} if t.action is Action.REOPEN else {t.target}


@functools.cache
def _reachable_from(old: Status) -> frozenset[Status]:
    """Statuses one or more transitions lead to from `old`."""
    seen: set[Status] = set()
    todo = deque([old])
    while todo:
        current = todo.popleft()
        for t in TRANSITIONS:
            if current in t.sources:
                for target in _targets(t) - seen:
                    seen.add(target)
                    todo.append(target)
    return frozenset(seen)


def status_refusal(old: Any, new: Any, record: dict[str, Any]) -> str | None:
    """Why a complaint may not go from `old` to `new` with these fields, or None.

    The change must be reachable through the workflow (an office that synced rarely may have
    taken several steps in one operation), and the record after the change must carry what the
    last step into `new` requires (a closed complaint names its result, a settled one its
    terms …); a bare jump from 登记 to 办结 does neither.
    """
    if not isinstance(new, str) or new not in _STATUSES:
        return OpMsg.STATUS_UNKNOWN.format(value=new)
    if not isinstance(old, str) or old not in _STATUSES or old == new:
        return None
    before, after = Status(old), Status(new)
    if after not in _reachable_from(before):
        return OpMsg.STATUS_FLOW.format(old=before.label, new=after.label)
    possible = _reachable_from(before) | {before}
    missing: list[str] = []
    for t in TRANSITIONS:
        sources = t.sources & possible
        if after not in _targets(t) or not sources:
            continue
        lacking = [label for key, label in t.requires
                   if key in _EVIDENCE.get(t.action, {})
                   and not present(record.get(_EVIDENCE[t.action][key]))]
        if t.action is Action.CLOSE and not lacking:
            allowed = {r.value for s in sources for r in ALLOWED_RESULTS.get(s, ())}
            if record.get("result") not in allowed:
                lacking.append("有效的办结结果")
            if not present(record.get("closed_on")):  # the office's close() always sets it
                lacking.append("办结日期")
        if not lacking:
            return None
        missing.extend(m for m in lacking if m not in missing)
    return OpMsg.STATUS_EVIDENCE.format(old=before.label, new=after.label,
                                        missing="、".join(missing))
