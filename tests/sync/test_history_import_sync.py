"""Imported history travels like any other record (issue 19): a sub-bureau imports an old
ledger, including a record that lacks what a registration requires (资料不全) and a closed one;
a real hub checks and keeps them, and another PC of the district receives them with their
original numbers, remarks and marks. A re-import that changes a row sends the update."""

from __future__ import annotations

from pathlib import Path

from tests.imports_helpers import write_ledger
from tests.sync.office import by_uuid, office


def _import(world, path: Path):  # type: ignore[no-untyped-def]
    svc = world.s.history_import
    book = svc.open(path)
    preview = svc.preview(world.desk, book, svc.choices(book))
    return svc.run(world.desk, preview)


def _by_original(world, number: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from desktop.db.models import Complaint
    from desktop.db.uow import UnitOfWork

    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return uow.session.scalars(select(Complaint).where(
            Complaint.original_number == number)).one()


def test_imported_records_reach_the_hub_and_the_district(hub, tmp_path):  # type: ignore[no-untyped-def]
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    path = tmp_path / "2024台账.xlsx"
    write_ledger(path)
    assert _import(sub, path).added == 6
    report = sub.s.sync.run()
    assert report.rejected == 0 and report.unanswered == 0

    settled = _by_original(sub, "2024-001")
    open_one = _by_original(sub, "2024-005")
    kept = hub.record("complaints", settled.uuid)["data"]
    assert kept["channel_code"] == "history" and kept["incomplete"] is True
    assert kept["original_number"] == "2024-001" and kept["status"] == "closed"
    assert "职业索赔人" in kept["remarks"] and kept["import_kind"] == "ledger"
    assert kept["complainant_address"] == ""  # what history lacks is accepted as history

    district, _ = office(tmp_path, "district", "WZ", hub)
    district.s.sync.run()
    there = by_uuid(district, settled.uuid)
    assert there is not None and there.number == settled.number
    assert there.original_number == "2024-001" and there.result == "settled"
    assert there.incomplete is True and there.import_source == settled.import_source

    # The row's 处理结果 filled in later: the re-import updates the record, and it travels.
    import openpyxl
    book = openpyxl.load_workbook(path)
    ws = book["2024年台账"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "２０２４－００５")
    ws.cell(row, 9).value, ws.cell(row, 10).value = "调解成功", "2024/1/15"
    book.save(path)
    outcome = _import(sub, path)
    assert (outcome.added, outcome.updated) == (0, 1)
    assert sub.s.sync.run().rejected == 0
    assert hub.record("complaints", open_one.uuid)["data"]["result"] == "settled"
    district.s.sync.run()
    arrived = by_uuid(district, open_one.uuid)
    assert arrived is not None and arrived.status == "closed"
    assert district.s.audit.verify().ok
