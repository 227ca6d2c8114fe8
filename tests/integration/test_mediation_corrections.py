"""Correcting a saved mediation record: a new record replaces it with a reason, both kept,
audited; the printed forms use the record in force; what may not be corrected is refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.db.repositories import ComplaintRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError
from tests.conftest import World, draft

HELD = datetime(2026, 11, 19, 15, 0)


def _mediating(world: World) -> tuple[int, int]:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    rid = s.records.add_mediation_record(clerk, cid, held_at=HELD, means="on_site",
                                         participants="张伟、店长李强", content="双方当面协商",
                                         result="同意换车").ids[0]
    return cid, rid


def _correct(world: World, cid: int, rid: int, **change: str) -> int:
    values = dict(reason="结果写错", held_at=HELD, means="on_site", participants="张伟、店长李强",
                  content="双方当面协商", result="同意退款")
    values.update(change)
    return world.s.records.correct_mediation_record(world.clerk, cid, rid, **values).ids[0]  # type: ignore[arg-type]


def test_a_correction_replaces_the_record_and_keeps_both(world: World) -> None:
    cid, rid = _mediating(world)
    new = _correct(world, cid, rid)
    old, current = world.s.records.mediation_records(world.clerk, cid)
    assert (old.id, old.corrected, old.replaced_reason, old.result) == (rid, True, "结果写错", "同意换车")
    assert (current.id, current.corrected, current.replaces_id, current.correction_reason,
            current.result) == (new, False, rid, "结果写错", "同意退款")
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:  # what the printed forms read
        assert [r.id for r in ComplaintRepository(uow.session).mediation_records(cid)] == [new]
    [line] = [h for h in world.s.records.history(world.clerk, cid) if h.action == "更正调解记录"]
    assert line.reason == "结果写错" and "原记录已更正" in line.text
    assert world.s.audit.verify().ok


def test_what_cannot_be_corrected_is_refused_naming_the_field(world: World) -> None:
    cid, rid = _mediating(world)
    with pytest.raises(FieldError) as no_reason:
        _correct(world, cid, rid, reason="  ")
    assert no_reason.value.field == "更正理由"
    with pytest.raises(FieldError) as same:
        _correct(world, cid, rid, result="同意换车")
    assert "与原记录相同" in same.value.message
    _correct(world, cid, rid)
    with pytest.raises(FieldError) as twice:
        _correct(world, cid, rid, result="再改")
    assert "已经更正过" in twice.value.message
    assert len(world.s.records.mediation_records(world.clerk, cid)) == 2
