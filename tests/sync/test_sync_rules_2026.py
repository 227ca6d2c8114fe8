"""举报 and 咨询 travel like complaints: the hub checks them against what each kind requires,
and another office receives them with their links (并案, 诉转案) intact."""

from __future__ import annotations

from datetime import datetime

from desktop.domain.workflow import Status
from tests.conftest import draft
from tests.sync.office import by_uuid, office, ops, uuid_of


def test_reports_questions_and_their_links_reach_the_district(hub, tmp_path):
    sub, _ = office(tmp_path, "sub", "WZCQ", hub)
    s, desk = sub.s, sub.desk
    anonymous = dict(kind="report", complainant_name="", complainant_phone="",
                     complainant_address="", reporter_real_name=False, request="",
                     respondent_address="", subject="散装糕点", category_code="food",
                     facts="散装糕点无生产日期标识。")
    first = s.complaints.register(desk, draft(**anonymous)).ids[0]
    repeat = s.complaints.register(desk, draft(**anonymous, received_at=datetime(2026, 11, 19, 15))).ids[0]
    s.complaints.merge_report(desk, repeat, into_number=s.complaints.get(desk, first).number,
                              new_facts=True, expected_version=1)
    question = s.complaints.register(desk, draft(
        kind="consultation", respondent_name="", respondent_address="", subject="",
        complainant_address="", request="", facts="网购退货运费谁出？",
        answer="七日无理由退货的运费一般由消费者承担，商家承诺包邮的除外。")).ids[0]
    complaint = s.complaints.register(desk, draft()).ids[0]
    s.complaints.accept(desk, complaint, expected_version=1)
    s.complaints.open_case(desk, complaint, note="涉嫌销售不合格商品", expected_version=2)

    report = sub.s.sync.run()
    assert report.unanswered == 0
    assert [o.message for o in ops(sub, "rejected")] == []
    assert hub.count("complaints") == 5  # four registered + the 举报 诉转案 made

    district, _ = office(tmp_path, "district", "WZ", hub)
    district.s.sync.run()
    got_first = by_uuid(district, uuid_of(sub, first))
    got_repeat = by_uuid(district, uuid_of(sub, repeat))
    got_question = by_uuid(district, uuid_of(sub, question))
    assert got_first is not None and got_repeat is not None and got_question is not None
    assert got_first.kind == "report" and got_first.complainant_name == ""
    assert got_repeat.status == Status.MERGED and got_repeat.merged_into_id == got_first.id
    assert got_first.clock_from == sub.clock.today()
    assert got_question.status == Status.ANSWERED and "运费" in (got_question.answer or "")
    origin = by_uuid(district, uuid_of(sub, complaint))
    assert origin is not None and origin.status == Status.CASE_OPENED
    with district.s.ctx.engine.connect() as c:
        linked = c.exec_driver_sql(
            "SELECT kind, status FROM complaints WHERE origin_id = ?", (origin.id,)).all()
    assert linked == [("report", "registered")]


def test_the_hub_refuses_a_complaint_without_what_a_complaint_requires(hub, tmp_path):
    """A 投诉 still needs the complainant; only a 举报 may be anonymous."""
    device = hub.enrol("WZCQ")
    bad = hub.complaint("WZCQ", complainant_name="", kind="complaint")
    fine = hub.complaint("WZCQ", complainant_name="", kind="report", complainant_phone="",
                         request="", complainant_address="", respondent_address="")
    unknown = hub.complaint("WZCQ", kind="rumour")
    results = device.push(bad, fine, unknown).results
    assert results[0].status == "rejected" and "投诉人姓名" in results[0].message
    assert results[1].status == "acked"
    assert results[2].status == "rejected" and "类型" in results[2].message


def test_the_district_dispatches_a_question_and_never_a_report_to_a_station(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    body = dict(district_number="12315-2026-0099", received_at="2026-11-20T09:00:00",
                complainant_name="赵敏", complainant_phone="13700001111", respondent_name="某商场",
                subject="会员积分", category_code="other", request="",
                facts="会员卡积分能否转让？")
    refused = hub.admin.post("/dispatch", json={**body, "office": "WZCQ01", "kind": "report"})
    assert refused.status_code == 400 and "投诉站不接收举报" in refused.text
    sent = hub.admin.post("/dispatch", json={**body, "office": "WZCQ01", "kind": "consultation"})
    assert sent.status_code == 200, sent.text
    station.s.sync.run()
    got = by_uuid(station, sent.json()["uuid"])
    assert got is not None and got.kind == "consultation" and got.status == Status.REGISTERED
    station.s.complaints.answer(station.clerk, got.id, answer="积分规则以商场会员章程为准。",
                                expected_version=got.version)
    assert station.s.complaints.get(station.clerk, got.id).status is Status.ANSWERED


def test_a_station_cannot_push_a_report(hub):
    station = hub.enrol("WZCQ01")
    report = hub.complaint("WZCQ01", kind="report")
    result = station.push(report).results[0]
    assert result.status == "rejected" and "投诉站不登记、不接收举报" in result.message
    assert hub.count("complaints") == 0
