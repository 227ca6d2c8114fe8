"""Issue 14, item 7: every text a service writes is held to its length (the wire contract's
for travelling records, the column's for the rest) and dates have a sane lower bound, each
refused with a Chinese message naming the field and the limit — and nothing is stored."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.db.models import Enterprise, Office, User
from desktop.domain.contract import FACTS_LEN, LONG_LEN, NOTE_LEN, text_limit
from desktop.domain.errors import FieldError, ValidationFailed
from desktop.domain.workflow import Result, Role, Status
from desktop.services.lengths import column_length
from desktop.services.offices import OfficeSpec
from tests.conftest import World, draft
from tests.integration.test_disclosure import NOVEMBER, built, entry_of, month  # noqa: F401

MB = 1_000_000


def _count(world: World) -> int:
    from desktop.domain.complaint import ComplaintFilter

    return world.s.complaints.count(world.admin, ComplaintFilter())


# -- registering -------------------------------------------------------------------------------
def test_a_megabyte_name_is_refused_for_its_length_and_not_stored(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        world.s.complaints.register(world.clerk, draft(complainant_name="张" * MB))
    assert err.value.by_field() == {"投诉人姓名": f"不能超过 60 个字（现有 {MB} 个）"}
    assert _count(world) == 0


def test_every_text_of_the_registration_is_held_to_the_contract(world: World) -> None:
    over = {name: "字" * (text_limit("complaints", name) + 1)  # type: ignore[operator]
            for name in ("complainant_name", "complainant_address", "respondent_name",
                         "respondent_address", "subject", "brand_model", "request", "facts",
                         "district_number")}
    with pytest.raises(ValidationFailed) as err:
        world.s.complaints.register(world.clerk, draft(**over))
    fields = err.value.by_field()
    assert fields["事实与理由"] == "不能超过 5000 个字（现有 5001 个）"
    assert fields["诉求"] == f"不能超过 {LONG_LEN} 个字（现有 {LONG_LEN + 1} 个）"
    assert set(fields) == {"投诉人姓名", "投诉人地址", "被投诉方名称", "被投诉方地址", "商品或服务",
                           "品牌型号", "诉求", "事实与理由", "区局单号"}
    assert _count(world) == 0
    # At the limit, after trimming, is fine.
    cid = world.s.complaints.register(
        world.clerk, draft(facts=" " + "事" * FACTS_LEN + "\n", request="求" * LONG_LEN)).ids[0]
    assert len(world.s.complaints.get(world.clerk, cid).facts) == FACTS_LEN


def test_editing_is_held_to_the_same_lengths(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    with pytest.raises(ValidationFailed, match="事实与理由"):
        s.complaints.edit(clerk, cid, draft(facts="事" * (FACTS_LEN + 1)), expected_version=1)
    s.complaints.accept(clerk, cid, expected_version=1)
    with pytest.raises(FieldError, match=f"修改理由」不能超过 {NOTE_LEN} 个字"):
        s.complaints.edit(clerk, cid, draft(subject="轿车"), expected_version=2,
                          reason="理" * (NOTE_LEN + 1))
    assert s.complaints.get(clerk, cid).subject == "家用轿车"


def test_dates_before_1990_are_refused_naming_the_field(world: World) -> None:
    s = world.s
    with pytest.raises(ValidationFailed) as err:
        s.complaints.register(world.clerk, draft(received_at=datetime(1899, 12, 31, 9),
                                                 purchase_date=date(1850, 1, 1)))
    fields = err.value.by_field()
    assert fields["接收时间"] == "不能早于 1990-01-01：填写的是 1899-12-31，请核对年份"
    assert fields["购买日期"] == "不能早于 1990-01-01：填写的是 1850-01-01，请核对年份"
    # The first day is allowed.
    s.complaints.register(world.clerk, draft(received_at=datetime(1990, 1, 1, 9),
                                             purchase_date=date(1990, 1, 1)))
    assert _count(world) == 1


def test_acceptance_date_bounds(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    with pytest.raises(FieldError, match="「受理日期」不能早于 1990-01-01"):
        s.complaints.accept(clerk, cid, expected_version=1, on=date(1899, 12, 31))
    with pytest.raises(FieldError, match="「受理日期」不能早于接收日期"):
        s.complaints.accept(clerk, cid, expected_version=1, on=date(2026, 11, 18))
    assert s.complaints.get(clerk, cid).status is Status.REGISTERED


# -- the workflow's texts ------------------------------------------------------------------------
def _accepted(world: World) -> tuple[int, int]:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    return cid, 2


def test_each_transition_holds_its_texts_to_the_contract(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid, version = _accepted(world)
    long_note = "说" * (NOTE_LEN + 1)
    refusals = [
        (lambda: s.complaints.settle(clerk, cid, terms="协" * (LONG_LEN + 1), expected_version=version),
         "调解协议内容", LONG_LEN),
        (lambda: s.complaints.terminate(clerk, cid, ground="withdrawn", note=long_note,
                                        expected_version=version), "说明", NOTE_LEN),
        (lambda: s.complaints.transfer(clerk, cid, target="单" * 201, expected_version=version),
         "转办单位", 200),
        (lambda: s.complaints.transfer(clerk, cid, target="市场监管局", note=long_note,
                                       expected_version=version), "说明", NOTE_LEN),
        (lambda: s.complaints.open_case(clerk, cid, note="线" * (LONG_LEN + 1),
                                        expected_version=version), "立案线索说明", LONG_LEN),
        (lambda: s.complaints.pause_clock(clerk, cid, reason="送" * (NOTE_LEN + 1),
                                          expected_version=version), "中止理由", NOTE_LEN),
    ]
    for call, field, limit in refusals:
        with pytest.raises(FieldError) as err:
            call()
        assert err.value.field == field and f"不能超过 {limit} 个字" in err.value.message
    detail = s.complaints.get(clerk, cid)
    assert detail.status is Status.ACCEPTED and detail.version == version and not detail.paused

    s.complaints.settle(clerk, cid, terms="退款 3000 元", expected_version=version)
    with pytest.raises(FieldError, match=f"「说明」不能超过 {NOTE_LEN} 个字"):
        s.complaints.close(clerk, cid, result=Result.SETTLED, note=long_note,
                           expected_version=version + 1)
    s.complaints.close(clerk, cid, result=Result.SETTLED, expected_version=version + 1)
    with pytest.raises(FieldError, match=f"「重新办理理由」不能超过 {NOTE_LEN} 个字"):
        s.complaints.reopen(clerk, cid, reason="重" * (NOTE_LEN + 1), expected_version=version + 2)
    assert s.complaints.get(clerk, cid).status is Status.CLOSED


def test_reject_note_and_performance_date(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    with pytest.raises(FieldError, match=f"「说明」不能超过 {NOTE_LEN} 个字"):
        s.complaints.reject(clerk, cid, ground="not_consumer", note="不" * (NOTE_LEN + 1),
                            expected_version=1)
    cid, version = _accepted(world)
    with pytest.raises(FieldError, match="「履行期限」不能晚于 2099-12-31"):
        s.complaints.settle(clerk, cid, terms="退款", performance_due=date(2199, 1, 1),
                            expected_version=version)


def test_a_pause_cannot_start_before_1990(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid, version = _accepted(world)
    world.clock.at = datetime(1900, 1, 2, 9)  # a PC whose clock battery died
    with pytest.raises(FieldError, match="「中止日期」不能早于 1990-01-01：填写的是 1900-01-02"):
        s.complaints.pause_clock(clerk, cid, reason="送检", expected_version=version)
    world.clock.at = datetime(2026, 11, 20, 10)
    assert not s.complaints.get(clerk, cid).paused


# -- mediation records and attachments --------------------------------------------------------------
def test_mediation_records_lengths_and_dates(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid, _ = _accepted(world)
    ok = dict(held_at=datetime(2026, 11, 20, 9), means="onsite", participants="张伟、李经理",
              content="双方陈述", result="", place="")
    cases = [
        (dict(held_at=datetime(1899, 6, 1, 9)), "调解时间", "不能早于 1990-01-01"),
        (dict(held_at=datetime(2026, 11, 21, 9)), "调解时间", "不能晚于当前时间"),
        (dict(content="调" * (FACTS_LEN + 1)), "调解内容", f"不能超过 {FACTS_LEN} 个字"),
        (dict(participants="人" * (NOTE_LEN + 1)), "参加人员", f"不能超过 {NOTE_LEN} 个字"),
        (dict(result="果" * (LONG_LEN + 1)), "调解结果", f"不能超过 {LONG_LEN} 个字"),
        (dict(place="地" * 201), "地点", "不能超过 200 个字"),
        (dict(means="m" * MB), "调解方式", "不能超过 16 个字"),
    ]
    for change, field, message in cases:
        with pytest.raises(FieldError) as err:
            s.records.add_mediation_record(clerk, cid, **{**ok, **change})  # type: ignore[arg-type]
        assert err.value.field == field and message in err.value.message, err.value
    assert s.records.mediation_records(clerk, cid) == []
    assert s.complaints.get(clerk, cid).status is Status.ACCEPTED


def test_an_attachments_name_is_a_label_and_its_note_is_bounded(world: World, tmp_path: Path) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    for name, message in (("发票:副本.pdf", "不能含有路径"), ("CON.txt", "Windows 保留的设备名"),
                          ("回执\x07.pdf", "控制字符")):
        source = tmp_path / name
        source.write_bytes(b"%PDF-1.4")
        with pytest.raises(FieldError, match=message) as err:
            s.records.attach(clerk, cid, source)
        assert err.value.field == "附件" and "请改名后再添加" in err.value.message
    good = tmp_path / "发票.pdf"
    good.write_bytes(b"%PDF-1.4")
    with pytest.raises(FieldError, match="「附件说明」不能超过 200 个字（现有 201 个）"):
        s.records.attach(clerk, cid, good, note="注" * 201)
    assert s.records.attachments(clerk, cid) == []
    assert not (world.s.ctx.data_dir / "attachments").exists()  # nothing copied either
    s.records.attach(clerk, cid, good, note="注" * 200)
    assert [a.filename for a in s.records.attachments(clerk, cid)] == ["发票.pdf"]


# -- disclosure -----------------------------------------------------------------------------------
def test_disclosure_texts_are_refused_not_cut(world: World, month: dict[str, int]) -> None:  # noqa: F811
    s = world.s
    list_id = built(world)
    s.disclosure.submit(world.cp, list_id)
    with pytest.raises(FieldError, match="「审批意见」不能超过 500 个字（现有 501 个）"):
        s.disclosure.approve(world.dept_head, list_id, note="意" * 501)
    s.disclosure.approve(world.dept_head, list_id)
    s.disclosure.approve(world.deputy, list_id)
    s.disclosure.publish(world.cp, list_id, ["board"])
    car = entry_of(world, world.cp, month["car"])
    for kwargs, field in ((dict(requester="申" * 201), "申请人"),
                          (dict(requester_address="址" * 201), "送达地址")):
        with pytest.raises(FieldError, match=f"「{field}」不能超过 200 个字（现有 201 个）"):
            s.disclosure.correct(world.cp, car.id, "经营者申请", "家用轿车：已换车。", **kwargs)
    assert s.disclosure.overview(world.cp, NOVEMBER).requests == ()


# -- enterprises, users, offices: the columns' lengths -------------------------------------------------
def test_enterprises_users_and_offices_are_held_to_their_columns(world: World) -> None:
    s, admin = world.s, world.admin
    assert column_length(Enterprise, "name") == 200
    with pytest.raises(FieldError, match=f"「企业名称」不能超过 200 个字（现有 {MB} 个）"):
        s.enterprises.save(admin, name="企" * MB)
    with pytest.raises(FieldError, match="「行业」不能超过 50 个字"):
        s.enterprises.save(admin, name="苏州某公司", industry="行" * 51)
    with pytest.raises(FieldError, match="「地址」不能超过 200 个字"):
        s.enterprises.save(admin, name="苏州某公司", address="址" * 201)
    assert s.enterprises.list(admin) == []

    assert column_length(User, "display_name") == 40
    with pytest.raises(FieldError, match="「姓名」不能超过 40 个字（现有 41 个）"):
        s.users.create(admin, username="longname", display_name="名" * 41, password="abcd1234",
                       office_id=world.office_ids["WZCQ"], roles={Role.CLERK})
    assert "longname" not in {u.username for u in s.users.list(admin)}

    assert column_length(Office, "name") == 100
    before = len(s.offices.all())
    with pytest.raises(FieldError, match="「单位名称」不能超过 100 个字（现有 101 个）"):
        s.offices.add([OfficeSpec("WZCQ02", "站" * 101, "station", "WZCQ", "large")])
    with pytest.raises(FieldError, match="「地址」不能超过 200 个字"):
        s.offices.add([OfficeSpec("WZCQ02", "新站", "station", "WZCQ", "large",
                                        address="址" * 201)])
    with pytest.raises(FieldError, match="「单位名称」不能超过 100 个字"):
        s.offices.save(admin, office_id=None, code="WZCQ02", name="站" * 101,
                            kind="station", parent_id=world.office_ids["WZCQ"], tier="large")
    assert len(s.offices.all()) == before
