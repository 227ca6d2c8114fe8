"""Printed forms, rendered from real records and read back: text, fonts, pages, QR checksum."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli.main import main
from desktop.domain.workflow import Result
from desktop.forms import code as qr
from desktop.forms import disclosure_forms, fonts
from desktop.forms.catalog import FORMS
from desktop.forms.data import DisclosureLine, Letterhead
from desktop.services.printing import FormRequest
from tests.conftest import PASSWORD, World, draft

LH = Letterhead(office="吴中区市场监督管理局长桥分局", district="吴中区市场监督管理局",
                seal_text="长桥分局消费者投诉专用章")
# Received under the 2020 rules (before 2026-04-15): the complaint prints the 2020 forms, which
# these tests are about. The 2026 forms: test_forms_2026.py.
BEFORE_2026 = datetime(2026, 3, 19, 9, 30)


def read(pdf: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages], reader


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces that wrapping put in."""
    return re.sub(r"\s+", "", text)


def font_names(reader: PdfReader) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) of every font any page uses."""
    out = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            out.append((str(font["/BaseFont"]), embedded))
    return out


def assert_fonts_embedded_subsets(reader: PdfReader) -> None:
    used = font_names(reader)
    assert used, "no fonts at all"
    for name, embedded in used:
        # A subset is named with a six-letter tag: AAAAAA+UMingCN-0.
        assert embedded and re.match(r"^/[A-Z]{6}\+", name), f"{name} is not an embedded subset"
    assert any("UMing" in n for n, _ in used)


def settled_complaint(world: World, **overrides: object) -> int:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft(**{"received_at": BEFORE_2026, **overrides})).ids[0]
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    s.records.add_mediation_record(clerk, cid, held_at=datetime(2026, 11, 20, 9, 0),
                                   means="on_site", place="万达广场三楼调解室",
                                   participants="张伟、店长李强", content="双方当面协商，店方同意换车",
                                   result="达成一致")
    s.complaints.settle(clerk, cid, terms="经营者于 7 日内为投诉人更换同型号新车", recovered="158000",
                        performance_due=date(2026, 11, 27),
                        expected_version=s.complaints.get(clerk, cid).version)
    return cid


# -- each form of a complaint -------------------------------------------------------------
def test_every_complaint_form_renders_with_its_text_fonts_and_one_page(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = settled_complaint(world)
    number = s.complaints.get(clerk, cid).number
    keys = [c.form.key for c in s.printing.choices(clerk, cid)]
    assert keys == ["registration", "acceptance", "mediation-record", "agreement"]
    expected = {
        "registration": ["消费投诉登记表", "张伟", "13812345678", "要求更换新车", "投诉人（签字）",
                         "万达广场投诉站"],
        "acceptance": ["受理通知书", "张伟：", "予以受理", "2026年11月20日", "45个工作日"],
        "mediation-record": ["调解记录", "第1次调解", "万达广场三楼调解室", "现场调解",
                             "被投诉方（签字或盖章）", "调解人（签字）"],
        "agreement": ["消费争议调解书", "更换同型号新车", "2026年11月27日前履行完毕",
                      "一式三份", "被投诉方（签字并盖章）", "158,000.00元"],
    }
    for key, needles in expected.items():
        rendered = s.printing.render(clerk, FormRequest(key, complaint_id=cid))
        pages, reader = read(rendered.pdf)
        text = flat("".join(pages))
        assert rendered.pages == len(pages) == 1, key
        for needle in [number, *needles]:
            assert flat(needle) in text, f"{key}: {needle!r} missing"
        assert "第1页共1页" in text
        assert qr.encode(number, rendered.checksum or "") in text  # the code under the QR
        assert_fonts_embedded_subsets(reader)


def test_rejection_and_termination_notices_state_their_legal_ground(world: World) -> None:
    """The ground in the complaint's own rule set's wording (samr-2020 here)."""
    s, desk = world.s, world.desk
    rules = next(r for r in s.reference.rule_sets() if r.code == "samr-2020")
    rejected = s.complaints.register(desk, draft(complainant_phone="13900000001",
                                                 received_at=BEFORE_2026)).ids[0]
    s.complaints.reject(desk, rejected, ground="not_consumer", note="已电话告知",
                        expected_version=s.complaints.get(desk, rejected).version)
    text = flat("".join(read(s.printing.render(desk, FormRequest("rejection", complaint_id=rejected)).pdf)[0]))
    ground = rules.ground_text("rejection", "not_consumer")
    assert ground.startswith("不是为生活消费需要")
    assert "不予受理通知书" in text and flat(ground) in text and "已电话告知" in text

    ended = s.complaints.register(desk, draft(complainant_phone="13900000002",
                                              received_at=BEFORE_2026)).ids[0]
    s.complaints.accept(desk, ended, expected_version=s.complaints.get(desk, ended).version)
    s.complaints.terminate(desk, ended, ground="withdrawn",
                           expected_version=s.complaints.get(desk, ended).version)
    text = flat("".join(read(s.printing.render(desk, FormRequest("termination", complaint_id=ended)).pdf)[0]))
    assert "终止调解告知书" in text and flat(rules.ground_text("termination", "withdrawn")) in text
    assert "于2026年11月20日终止调解" in text

    with pytest.raises(Exception, match="没有终止调解"):
        s.printing.render(desk, FormRequest("termination", complaint_id=rejected))


def test_letterhead_and_seal_come_from_the_office_settings(world: World) -> None:
    s = world.s
    cid = settled_complaint(world)
    office = next(o for o in s.offices.all() if o.code == "WZCQ01")
    s.offices.save(world.admin, office_id=office.id, code=office.code, name="万达广场消费投诉监督站",
                        kind=office.kind, parent_id=office.parent_id, tier=office.tier,
                        phone="0512-66668888", seal_text="万达广场消费投诉监督站印章")
    text = flat("".join(read(s.printing.render(world.clerk, FormRequest("agreement", complaint_id=cid)).pdf)[0]))
    assert "万达广场消费投诉监督站主持调解" in text and "加盖万达广场消费投诉监督站印章" in text
    text = flat("".join(read(s.printing.render(world.clerk, FormRequest("acceptance", complaint_id=cid)).pdf)[0]))
    assert "0512-66668888" in text


def test_personal_information_is_masked_for_users_who_may_not_see_it(world: World) -> None:
    cid = settled_complaint(world)
    text = flat("".join(read(world.s.printing.render(
        world.dept_head, FormRequest("registration", complaint_id=cid)).pdf)[0]))
    assert "138****5678" in text and "13812345678" not in text and "张*" in text


# -- long text, many rows, rare characters -----------------------------------------------
def test_a_3000_character_statement_wraps_over_pages_and_nothing_falls_off(world: World) -> None:
    facts = "".join(f"第{i:03d}句：消费者反映购买的冰箱制冷效果差，多次维修未果。" for i in range(120))
    facts = (facts + "尾")[:2999] + "完"
    assert len(facts) == 3000
    cid = world.s.complaints.register(world.clerk, draft(facts=facts)).ids[0]
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    pages, reader = read(rendered.pdf)
    assert rendered.pages == len(pages) >= 2
    text = flat("".join(pages))
    sentences = [f"第{i:03d}句" for i in range(120) if f"第{i:03d}句" in facts]
    assert len(sentences) > 100 and all(s in text for s in sentences)
    assert flat(facts[-40:]) in text
    assert "投诉人（签字）" in flat(pages[-1])  # the signatures close the last page
    assert f"第{len(pages)}页共{len(pages)}页" in flat(pages[-1])
    for page in reader.pages:  # every glyph inside the paper
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((595.28, 841.89), abs=0.5)


def test_a_300_row_disclosure_sheet_repeats_its_header_and_signs_on_the_last_page() -> None:
    lines = [DisclosureLine(number=f"WZCQ-20261001-{i:04d}", received_at=datetime(2026, 10, 1, 9),
                            respondent=f"苏州第{i}商贸有限公司", content=f"商品质量问题，要求退货（第{i}件）",
                            success=i % 3 != 0) for i in range(1, 301)]
    pdf = disclosure_forms.disclosure_approval(lines, date(2026, 10, 1), LH, datetime(2026, 11, 20, 10))
    pages, reader = read(pdf.data)
    assert pdf.pages == len(pages) > 5
    for page in pages:
        assert all(h in page for h in ("序号", "投诉单号", "投诉时间", "被投诉方", "投诉内容", "成功与否"))
    assert all("分管局长签字" not in p for p in pages[:-1])
    assert "部门负责人签字" in pages[-1] and "分管局长签字" in pages[-1]
    text = flat("".join(pages))
    assert all(f"WZCQ-20261001-{i:04d}" in text for i in range(1, 301))
    assert "吴中区市场监督管理局" in pages[0] and "2026年10月" in pages[0]
    assert_fonts_embedded_subsets(reader)


def test_characters_missing_from_the_body_font_fall_back_and_the_rest_are_named(world: World) -> None:
    # A character of Extension A that UMing lacks and Zen Hei has, found rather than assumed.
    fallback = next(chr(c) for c in range(0x3400, 0x4DC0) if fonts.font_for(chr(c)) == fonts.HEADING)
    nowhere = "\U0002A6D6"  # an Extension B ideograph neither font has
    assert fonts.font_for(nowhere) is None
    name = f"刘{fallback}{nowhere}"
    cid = world.s.complaints.register(world.clerk, draft(complainant_name=name)).ids[0]
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    text, reader = read(rendered.pdf)
    assert f"刘{fallback}{fonts.MISSING_MARK}" in flat(text[0])
    assert any("WenQuanYiZenHei" in n for n, _ in font_names(reader))
    assert len(rendered.warnings) == 1 and nowhere in rendered.warnings[0]


# -- lists from the services ----------------------------------------------------------------
def test_ledger_has_its_two_parts_and_totals(world: World) -> None:
    s, desk = world.s, world.desk
    s.complaints.register(desk, draft(channel_code="district", district_number="QJ2026-1"))
    s.complaints.register(desk, draft(complainant_phone="13900000003"))
    s.complaints.register(desk, draft(complainant_phone="13900000004",
                                      received_at=datetime(2026, 9, 1, 9)))  # outside the period
    rendered = s.printing.render(desk, FormRequest("ledger", start=date(2026, 11, 1),
                                                   end=date(2026, 11, 30)))
    pages, reader = read(rendered.pdf)
    text = flat("".join(pages))
    assert "一、区局平台分流件（1件）" in text and "二、自行受理件（1件）" in text
    assert "合计：接收2件" in text and "张*" in text and "13812345678" not in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert float(width) > float(height)  # landscape
    assert rendered.scope == "2026-11-01–2026-11-30"


def test_quarterly_check_lists_unfinished_complaints_with_days_and_next_step(world: World) -> None:
    s, desk = world.s, world.desk
    old = s.complaints.register(desk, draft(received_at=datetime(2026, 11, 2, 9))).ids[0]
    closed = s.complaints.register(desk, draft(complainant_phone="13900000005")).ids[0]
    s.complaints.reject(desk, closed, ground="not_consumer",
                        expected_version=s.complaints.get(desk, closed).version)
    s.complaints.close(desk, closed, result=Result.REJECTED,
                       expected_version=s.complaints.get(desk, closed).version)
    rendered = s.printing.render(desk, FormRequest("quarterly-check", year=2026, quarter=4))
    text = flat("".join(read(rendered.pdf)[0]))
    number = s.complaints.get(desk, old).number
    assert number in text and s.complaints.get(desk, closed).number not in text
    assert "审查并决定是否受理" in text and "核对截止日2026-11-20" in text
    assert "超期" in text  # received 2026-11-02: the 7 working days to accept have passed
    # Its row: number, received date, …, status 登记, 18 days open (2026-11-02 to 2026-11-20).
    assert re.search(rf"{number}2026-11-02.*?登记18\d{{4}}-\d\d-\d\d（超期）", text)


# -- the code on the paper, and the printing log -------------------------------------------
def test_the_code_tells_whether_the_record_changed_since_printing(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    rendered = s.printing.render(clerk, FormRequest("registration", complaint_id=cid))
    s.printing.record(clerk, rendered, "print")
    code = qr.encode(s.complaints.get(clerk, cid).number, rendered.checksum or "")

    check = s.printing.check_code(clerk, code.lower())  # a scanner with Caps Lock on
    assert check.complaint_id == cid and check.scanned and check.unchanged
    assert "没有改动" in check.message and "2026-11-20 10:00" in check.message

    world.clock.at += timedelta(minutes=5)
    s.complaints.accept(clerk, cid, expected_version=s.complaints.get(clerk, cid).version)
    check = s.printing.check_code(clerk, code)
    assert check.unchanged is False and "已有改动" in check.message

    plain = s.printing.check_code(clerk, s.complaints.get(clerk, cid).number)
    assert plain.complaint_id == cid and not plain.scanned and plain.unchanged is None
    with pytest.raises(Exception, match="没有找到"):
        s.printing.check_code(clerk, "HEJIE:WZCQ01-20991231-0001:ABCDEF12")


def test_each_printing_is_in_the_complaints_history(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = settled_complaint(world)
    before = s.complaints.get(clerk, cid).version
    rendered = s.printing.render(clerk, FormRequest("agreement", complaint_id=cid))
    s.printing.record(clerk, rendered, "pdf")
    history = s.records.history(clerk, cid)
    line = history[-1]
    assert line.action == "另存为 PDF《调解书》" and line.username == "clerk"
    assert f"核验码 {rendered.checksum}" in line.text and "1 页" in line.text
    assert s.complaints.get(clerk, cid).version == before  # printing is not an edit
    assert s.audit.verify().ok


# -- the command line -------------------------------------------------------------------------
def test_hejie_admin_print(world: World, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid = settled_complaint(world)
    number = world.s.complaints.get(world.clerk, cid).number
    world.s.disclosure.build(world.cp, date(2026, 11, 1))
    world.s.close()
    data = str(world.s.ctx.data_dir)
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)

    assert main(["print", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(key in listed and info.title in listed for key, info in FORMS.items())

    out = tmp_path / "登记表.pdf"
    assert main(["print", "registration", "--complaint", number, "--out", str(out),
                 "--user", "clerk", "--data-dir", data]) == 0
    assert "1 页" in capsys.readouterr().out
    assert number in flat("".join(read(out.read_bytes())[0]))

    folder = tmp_path / "batch"
    assert main(["print", "mediation-record", "--complaint", number, "--session", "1",
                 "--out", str(folder), "--user", "clerk", "--data-dir", data]) == 0
    assert [p.suffix for p in folder.iterdir()] == [".pdf"]
    assert main(["print", "ledger", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--out", str(tmp_path / "台账.pdf"), "--data-dir", data]) == 0
    assert main(["print", "disclosure", "--month", "2026-11", "--out", str(folder),
                 "--user", "section", "--data-dir", data]) == 0
    assert main(["print", "quarterly-check", "--quarter", "2026-Q4", "--out", str(folder),
                 "--data-dir", data]) == 0
    assert len(list(folder.iterdir())) == 3
    capsys.readouterr()

    assert main(["print", "disclosure", "--month", "2026-13", "--data-dir", data]) == 2
    assert "--month 应为 YYYY-MM" in capsys.readouterr().err
    assert main(["print", "agreement", "--data-dir", data]) == 2
    assert "需要 --complaint" in capsys.readouterr().err


# -- what a field may add to a page (issue 14, item 7) -----------------------------------------
def _store(world: World, cid: int, **columns: object) -> None:
    """Write columns straight into the database, as a record stored before the length rules
    (or arriving from elsewhere) may hold them: the services would refuse these values."""
    from sqlalchemy import update

    from desktop.db.models import Complaint, MediationRecord
    from desktop.db.uow import UnitOfWork

    session_columns = {k[8:]: v for k, v in columns.items() if k.startswith("session_")}
    with UnitOfWork(world.s.ctx.engine) as uow:
        complaint = {k: v for k, v in columns.items() if not k.startswith("session_")}
        if complaint:
            uow.session.execute(update(Complaint).where(Complaint.id == cid).values(**complaint))
        if session_columns:
            uow.session.execute(update(MediationRecord).where(MediationRecord.complaint_id == cid)
                                .values(**session_columns))
        uow.commit()


def test_an_oversized_stored_field_is_printed_up_to_its_limit_with_a_note(world: World) -> None:
    import time

    from desktop.domain.contract import FACTS_LEN, LONG_LEN
    from desktop.forms.data import OMITTED

    cid = settled_complaint(world)
    sentence = "消费者反映购买的冰箱制冷效果差，多次维修未果。"
    _store(world, cid, facts=(sentence * 50_000)[:1_000_000] + "末尾不应印出",
           request="退" * 200_000, settlement_terms="换" * 80_000,
           complainant_name="名" * 10_000,
           session_content="谈" * 160_000, session_participants="人\n" * 20_000)
    session = world.s.records.mediation_records(world.clerk, cid)[0].id
    for form, session_id in (("registration", None), ("agreement", None),
                             ("mediation-record", session)):
        start = time.perf_counter()
        rendered = world.s.printing.render(
            world.clerk, FormRequest(form, complaint_id=cid, session_id=session_id))
        took = time.perf_counter() - start
        text = flat("".join(read(rendered.pdf)[0]))
        assert took < 5, f"{form} took {took:.1f} s"
        assert flat(OMITTED) in text, form
        assert "末尾不应印出" not in text
        assert rendered.pages <= 12, (form, rendered.pages)
    # The 登记表 prints the facts up to the contract's limit, then the note.
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    text = flat("".join(read(rendered.pdf)[0]))
    assert text.count("退") >= LONG_LEN and text.count("退") < LONG_LEN + 50
    assert text.count("冰箱") == (sentence * 300)[:FACTS_LEN].count("冰箱")


def test_clip_keeps_what_fits_and_says_when_it_left_something_out() -> None:
    from desktop.forms.data import MAX_LINES, OMITTED, ComplaintPaper, SessionPaper, clip
    from desktop.forms.sheet import PARA_LIMIT, para

    assert clip("事" * 10, 10) == "事" * 10
    assert clip("事" * 11, 10) == "事" * 10 + OMITTED
    assert clip(None, 5) == ""
    lines = clip("行\n" * 1000, 10_000)
    assert lines.count("\n") == MAX_LINES - 1 and lines.endswith(OMITTED)
    paper = ComplaintPaper(
        number="WZCQ-20261120-0001", code="HEJIE:WZCQ-20261120-0001:0", received_at=datetime(2026, 11, 20),
        channel="来访", district_number=None, office="长桥分局", registered_by="甲", handler="乙",
        complainant_name="张" * 100, complainant_phone="13812345678", complainant_address="",
        complainant_id_number="", respondent_name="某公司", respondent_credit_code="",
        respondent_address="", subject="车", category="汽车", brand_model="", purchase_date=None,
        amount=None, request_type="", request="求", facts="事" * 6000, status="已登记",
        rule_set_name="办法", mediation_limit="45个工作日", status_note="注" * 1001)
    assert paper.complainant_name == "张" * 60 + OMITTED
    assert paper.facts == "事" * 5000 + OMITTED and paper.status_note == "注" * 1000 + OMITTED
    assert paper.request == "求" and paper.channel == "来访"
    session = SessionPaper(1, datetime(2026, 11, 20), "现场", "地" * 300, "人", "谈" * 5001, "", "丙")
    assert session.place == "地" * 200 + OMITTED and session.content == "谈" * 5000 + OMITTED
    # The last guard: no paragraph carries more than PARA_LIMIT characters into ReportLab.
    assert len(para("字" * 100_000).text) < PARA_LIMIT + 100
