"""统计 on paper: the statistics report and the half-yearly 处办质量评审表, read back with pypdf;
the review's numbers on a small hand-built half-year; both from `hejie-admin stats`."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli.main import main
from desktop.db import models as m
from desktop.domain.errors import FieldError, PermissionDenied
from desktop.domain.statistics import Period
from desktop.domain.workflow import Result
from desktop.services.statistics import StatsQuery
from desktop.services.statistics_reports import HalfYear
from tests.conftest import PASSWORD, World
from tests.integration.test_statistics import NOV, _at, _november, _on, _v

H2 = HalfYear(2026, 2)


def _half_year(world: World) -> dict[str, int]:
    """November's items (test_statistics._november) and, after it, A reopened and closed again.

    Closed in 2026H2: A, B, C, G at the station (handler clerk) and the 举报 H at the
    sub-bureau (handler desk). A: reopened on 23 Nov (投诉人反映未履行), settled and closed again on
    24 Nov, 回访 满意; B: accepted five days late, 不满意; C: transferred, G: 调解不成 (no 回访)."""
    ids = _november(world)
    s, clerk, head = world.s, world.clerk, world.head
    a = ids["A"]
    _on(world, date(2026, 11, 23))
    s.complaints.reopen(head, a, reason="投诉人反映未履行", expected_version=_v(world, head, a))
    s.complaints.settle(clerk, a, terms="退款", recovered="500", expected_version=_v(world, clerk, a))
    _on(world, date(2026, 11, 24))
    s.complaints.close(clerk, a, result=Result.SETTLED, at_fault=True,
                       expected_version=_v(world, clerk, a))
    _on(world, date(2026, 11, 25))
    s.aftercare.record_follow_up(clerk, a, called_at=_at(date(2026, 11, 25)), callee="张伟",
                                 means="phone", reached=True, satisfaction="satisfied")
    _on(world, date(2026, 12, 1))
    return ids


def _pdf(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "".join(p.extract_text() for p in reader.pages).replace(" ", "")


def _fonts_embedded(reader: PdfReader) -> set[str]:
    """Every font of every page, asserting each is embedded; their names."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                assert descriptor is not None, font["/BaseFont"]
                d = descriptor.get_object()
                assert any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    return names


def test_the_review_per_office_and_handler_on_a_hand_built_half_year(world: World) -> None:
    _half_year(world)
    review = world.s.statistics_reports.review(world.desk, H2)
    assert review.office_name == "长桥分局" and review.half.label == "2026年下半年"
    clerk = review.handler("clerk")
    assert clerk.names == ("万达广场投诉站", "clerk")
    assert clerk.handled == 4  # A, B, C, G
    assert clerk.on_time == 3 and clerk.on_time_rate == pytest.approx(0.75)  # B accepted late
    # Working days: A 2–24 Nov 16, B 2–17 Nov 11, C 5–6 Nov 1, G 3–12 Nov 7 → 35 / 4.
    assert clerk.average_days == 8.8
    assert clerk.followed_up == 2  # A, B
    assert (clerk.satisfied, clerk.basic, clerk.unsatisfied) == (1, 0, 1)
    assert clerk.satisfaction_rate == pytest.approx(0.5)
    assert clerk.reopened == 1  # A
    desk = review.handler("desk")
    assert (desk.names, desk.handled, desk.on_time, desk.average_days, desk.followed_up,
            desk.reopened) == (("长桥分局", "desk"), 1, 1, 3.0, 0, 0)  # H: 2–5 Nov
    assert desk.satisfaction_rate is None  # nobody asked: —, not 100 %
    assert [x.names[0] for x in review.offices][0] == "长桥分局"  # the chosen office first
    assert review.office("万达广场投诉站").handled == 4
    total = review.total
    assert (total.handled, total.on_time, total.average_days, total.reopened) == (5, 4, 7.6, 1)
    # The same count and on-time rate as the statistics of the half-year.
    stats = world.s.statistics.report(world.desk, StatsQuery(H2.period()))
    assert stats.figure("closed").value == total.handled
    assert stats.figure("on_time_rate").value == pytest.approx(total.on_time_rate)
    # The first half has nothing; a station sees only itself.
    assert world.s.statistics_reports.review(world.desk, HalfYear(2026, 1)).total.handled == 0
    station = world.s.statistics_reports.review(world.clerk, H2)
    assert [x.names[0] for x in station.offices] == ["万达广场投诉站"]
    with pytest.raises(PermissionDenied):
        world.s.statistics_reports.review(world.clerk, H2, world.office_ids["WZCQ"])


def test_half_years() -> None:
    assert HalfYear.parse("2026H2") == HalfYear(2026, 2)
    assert (HalfYear(2026, 1).start, HalfYear(2026, 1).end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert HalfYear.of(date(2026, 7, 1)).code == "2026H2"
    assert HalfYear(2026, 1).previous() == HalfYear(2025, 2)
    for bad in ("2026H3", "2026-2", "H2"):
        with pytest.raises(FieldError):
            HalfYear.parse(bad)


def test_the_report_pdf_reads_back(world: World) -> None:
    _november(world)
    report = world.s.statistics.report(world.desk, StatsQuery(NOV))
    rendered = world.s.statistics_reports.report_pdf(world.desk, report)
    reader, text = _pdf(rendered.pdf)
    assert reader.metadata.title == "消费投诉举报统计月报"
    assert len(reader.pages) == rendered.pages >= 3
    assert "长桥分局" in text and "2026年11月" in text
    for words in ("主要指标", "接收总数", "按时处结率", "80.0%", "+600.0%", "月度接收件数",
                  "来源渠道构成", "按承办人", "超时办结清单", "受理决定", "指标口径",
                  f"第1页共{len(reader.pages)}页", "制表人"):
        assert words in text, words
    assert {n.split("+")[-1] for n in _fonts_embedded(reader)} >= {"UMingCN-0"}
    assert rendered.filename.startswith("消费投诉举报统计报表-长桥分局-2026年11月")
    # A quarter is a 统计报表, not a 月报.
    quarter = world.s.statistics.report(world.desk, StatsQuery(Period.quarter(2026, 4)))
    assert PdfReader(io.BytesIO(world.s.statistics_reports.report_pdf(
        world.desk, quarter).pdf)).metadata.title == "消费投诉举报统计报表"


def test_the_review_pdf_reads_back_and_is_recorded(world: World) -> None:
    _half_year(world)
    s = world.s.statistics_reports
    rendered = s.review_pdf(world.desk, s.review(world.desk, H2))
    reader, text = _pdf(rendered.pdf)
    assert reader.metadata.title == "投诉举报件处办质量评审表"
    assert len(reader.pages) == rendered.pages == 1
    for words in ("长桥分局", "万达广场投诉站", "2026年下半年", "按处理单位", "按承办人", "clerk",
                  "75.0%", "8.8", "7.6", "评审人（签字）", "督办科室负责人（签字）", "评审意见"):
        assert words in text, words
    _fonts_embedded(reader)
    s.record(world.desk, rendered, "pdf")
    with world.s.ctx.engine.connect() as conn:
        row = conn.execute(m.Printing.__table__.select()).mappings().all()[-1]
    assert (row["form"], row["scope"], row["pages"], row["how"], row["complaint_id"]) == (
        "quality-review", "2026H2", 1, "pdf", None)


def test_hejie_admin_stats_writes_both_pdfs(world: World, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                             monkeypatch) -> None:
    _half_year(world)
    world.s.close()
    data = str(world.s.ctx.data_dir)
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)
    report, review = tmp_path / "report.pdf", tmp_path / "review.pdf"
    assert main(["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--scope", "WZCQ",
                 "--user", "desk", "--out", str(report), "--data-dir", data]) == 0
    assert "2026年11月" in capsys.readouterr().out
    _, text = _pdf(report.read_bytes())
    assert "统计月报" in text and "长桥分局" in text
    assert main(["stats", "--review", "2026H2", "--user", "desk", "--out", str(review),
                 "--data-dir", data]) == 0
    assert "处办质量评审表" in capsys.readouterr().out
    _, text = _pdf(review.read_bytes())
    assert "处办质量评审表" in text and "clerk" in text
    assert not list(tmp_path.glob("*.part"))
    assert main(["stats", "--review", "2026H2", "--user", "desk", "--out",
                 str(tmp_path / "x.xlsx"), "--data-dir", data]) != 0
