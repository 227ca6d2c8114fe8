"""Retention: the administrator sets a period; closed complaints past it are anonymised (the
complaint kept for statistics), audited, searchable no more, and synced to a real hub, which
accepts the anonymised values; an open complaint is left alone; a rerun changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli.main import main
from desktop.db.models import AuditEntry, FollowUp, MediationRecord
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import FieldError, PermissionDenied
from desktop.domain.retention import ANONYMISED_NAME
from desktop.domain.workflow import Result
from tests.conftest import NOW, PASSWORD
from tests.sync.office import by_uuid, office, register, uuid_of

NAME = "欧阳秀英"
PHONE = "13955557777"
ID_NUMBER = "320506198807151237"
ADDRESS = "苏州市吴中区木渎镇金山路 77 号"
FACTS = f"消费者{NAME}（电话 {PHONE}）于 11 月在被投诉方购买空调，安装后不制冷，多次报修无果。"


def _closed(world, **fields) -> int:  # type: ignore[no-untyped-def]
    s, clerk = world.s, world.clerk
    cid = register(world, **fields)
    version = lambda: s.complaints.get(clerk, cid).version  # noqa: E731
    s.complaints.accept(clerk, cid, expected_version=version())
    s.records.add_mediation_record(clerk, cid, held_at=NOW - timedelta(hours=1), means="phone",
                                     participants=f"投诉人{NAME}、被投诉方店长",
                                     content=f"{NAME}要求退货，电话 {PHONE}。", result="同意退货")
    s.complaints.settle(clerk, cid, terms=f"退还{NAME} 3299 元", expected_version=version())
    s.complaints.close(clerk, cid, result=Result.SETTLED, expected_version=version())
    s.aftercare.record_follow_up(clerk, cid, called_at=NOW, callee=NAME, means="phone",
                                 reached=True, satisfaction="satisfied", note=f"{NAME}表示满意")
    return cid


def _search(world, text: str) -> int:  # type: ignore[no-untyped-def]
    return world.s.complaints.count(world.admin, ComplaintFilter(text=text))


def test_closed_complaints_past_the_period_are_anonymised_searched_and_synced(hub, tmp_path: Path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    cid = _closed(station, complainant_name=NAME, complainant_phone=PHONE,
                  complainant_address=ADDRESS, complainant_id_type="resident_id",
                  complainant_id_number=ID_NUMBER, facts=FACTS, amount="3299.00")
    still_open = register(station, complainant_name="李娜", complainant_phone="13900001111")
    assert station.s.sync.run().pushed > 0
    uuid = uuid_of(station, cid)
    assert _search(station, NAME) == 1 and _search(station, PHONE) == 1
    before = station.s.complaints.get(station.admin, cid)

    # Not set: nothing is due, and anonymising is refused in words.
    pd = station.s.personal_data
    assert pd.state(station.admin).due == 0
    with pytest.raises(FieldError, match="尚未设置个人信息保留期限"):
        pd.anonymise(station.admin)
    with pytest.raises(PermissionDenied):
        pd.set_retention(station.clerk, 3)
    with pytest.raises(FieldError, match="保留期限"):
        pd.set_retention(station.admin, 31)
    pd.set_retention(station.admin, 3)
    assert pd.state(station.admin).due == 0  # closed today: three years to go
    station.clock.at = datetime(2030, 1, 5, 9, 0)
    state = pd.state(station.admin)
    assert (state.due, state.closed_before.isoformat()) == (1, "2027-01-05")  # type: ignore[union-attr]
    dry = pd.anonymise(station.admin, dry_run=True)
    assert dry.complaints == 1 and dry.numbers == (before.number,)
    assert _search(station, NAME) == 1  # a dry run changes nothing

    seen: list[tuple[int, int]] = []
    report = pd.anonymise(station.admin, progress=lambda d, t: seen.append((d, t)))
    assert report.complaints == 1 and seen[0] == (0, 1) and seen[-1] == (1, 1)
    after = station.s.complaints.get(station.admin, cid)
    assert after.complainant_name == ANONYMISED_NAME and after.complainant_phone == ""
    assert after.complainant_address == "" and after.complainant_id_number is None
    assert NAME not in after.facts and PHONE not in after.facts and "欧阳某" in after.facts
    assert NAME not in (after.settlement_terms or "")
    # The complaint itself is kept for the statistics.
    for kept in ("number", "received_at", "category_code", "respondent_name", "subject",
                 "status", "result", "closed_on", "amount"):
        assert getattr(after, kept) == getattr(before, kept), kept
    with UnitOfWork(station.s.ctx.engine, write=False) as uow:
        record = uow.session.scalars(select(MediationRecord)
                                     .where(MediationRecord.complaint_id == cid)).one()
        call = uow.session.scalars(select(FollowUp).where(FollowUp.complaint_id == cid)).one()
        assert NAME not in record.participants + record.content and PHONE not in record.content
        assert NAME not in call.callee + call.note
        # Audited, without one more copy of what was removed.
        entries = uow.session.scalars(select(AuditEntry)
                                      .where(AuditEntry.action == "个人信息到期匿名化")).all()
        assert {e.entity for e in entries} == {"complaints", "mediation_records", "follow_ups"}
        assert all(NAME not in (e.before or "") + (e.after or "") for e in entries)
        assert all(PHONE not in (e.before or "") for e in entries)
    # Search finds the person no more (the full-text index follows), by name or by phone.
    assert _search(station, NAME) == 0 and _search(station, PHONE) == 0
    assert _search(station, "李娜") == 1
    # The history does not show the person again.
    history = " ".join(line.text for line in station.s.records.history(station.admin, cid))
    assert NAME not in history and PHONE not in history
    # The open complaint is untouched; the audit log still verifies; a rerun changes nothing.
    assert station.s.complaints.get(station.admin, still_open).complainant_name == "李娜"
    assert station.s.audit.verify().ok
    assert pd.state(station.admin).due == 0 and pd.anonymise(station.admin).complaints == 0

    # Synced: the hub accepts the anonymised complaint (no phone, no address: it is marked).
    result = station.s.sync.run()
    assert (result.pushed, result.rejected, result.conflicts) == (3, 0, 0)
    data = hub.record("complaints", uuid)["data"]  # type: ignore[index]
    assert data["complainant_name"] == ANONYMISED_NAME and data["complainant_phone"] == ""
    assert data["complainant_address"] == "" and NAME not in data["facts"]
    # Another office of the district receives it anonymised.
    bureau, _ = office(tmp_path, "bureau", "WZCQ", hub)
    bureau.s.sync.run()
    arrived = by_uuid(bureau, uuid)
    assert arrived is not None and arrived.complainant_name == ANONYMISED_NAME
    assert arrived.complainant_phone == "" and NAME not in arrived.facts
    assert _search(bureau, NAME) == 0


def test_the_command_counts_then_anonymises(hub, tmp_path: Path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    station, _ = office(tmp_path, "station", "WZCQ01", hub, enrol=False)
    cid = _closed(station, complainant_name=NAME, complainant_phone=PHONE, facts=FACTS)
    data_dir = station.s.ctx.data_dir
    station.s.close()
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)
    args = ["--data-dir", str(data_dir)]
    assert main(["anonymise", "--dry-run", *args]) == 2  # not set yet
    assert "尚未设置个人信息保留期限" in capsys.readouterr().err
    # The command's clock is the real one (2026 or later): a period of 0 years is not allowed
    # to mean "now", so one year and a complaint closed today is not due yet.
    assert main(["anonymise", "--set-years", "1", "--dry-run", *args]) == 0
    out = capsys.readouterr().out
    assert "办结后 1 年" in out and "尚未匿名化的投诉共" in out
    _ = cid


def test_the_hub_takes_masked_texts_of_an_event_record_only_once_its_complaint_is_anonymised(hub):
    from tests.sync.conftest import complaint, mediation, op

    station = hub.enrol("WZCQ01")
    c, record = complaint("WZCQ01"), None
    record = mediation(c.uuid, participants="张伟", content="张伟要求退款。")
    assert [r.status for r in station.push(c, record).results] == ["acked", "acked"]

    def masked(version: int, **after: str):  # type: ignore[no-untyped-def]
        return op("mediation_records", record.uuid, after, base_version=version,
                  before={k: record.after[k] for k in after})

    # The complaint still names the person: a mediation record is never changed.
    [refused] = station.push(masked(1, content="张某要求退款。")).results
    assert refused.status == "rejected" and "只能新增" in (refused.message or "")
    # Anonymised (name marked, phone and address blank: accepted as such), then the texts.
    gone = op("complaints", c.uuid, {"complainant_name": ANONYMISED_NAME, "complainant_phone": "",
                                     "complainant_address": ""}, base_version=1,
              before={k: c.after[k] for k in ("complainant_name", "complainant_phone",
                                              "complainant_address")})
    results = station.push(gone, masked(1, participants="张某", content="张某要求退款。")).results
    assert [r.status for r in results] == ["acked", "acked"]
    data = hub.record("mediation_records", record.uuid)["data"]  # type: ignore[index]
    assert (data["participants"], data["content"]) == ("张某", "张某要求退款。")
    # Only the texts: anything else of the record stays as it was.
    [other] = station.push(masked(2, held_at="2026-11-21T10:00:00")).results
    assert other.status == "rejected"
    # A complaint that blanks its phone without the mark is refused, naming the field.
    c2 = complaint("WZCQ01")
    station.push(c2)
    [blank] = station.push(op("complaints", c2.uuid, {"complainant_phone": ""}, base_version=1,
                              before={"complainant_phone": c2.after["complainant_phone"]})).results
    assert blank.status == "rejected" and "投诉人电话" in (blank.message or "")
