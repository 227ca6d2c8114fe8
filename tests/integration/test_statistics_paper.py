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
from desktop.services.statistics_reports import HalfYear, QualityReview
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


def test_explore(world: World, tmp_path: Path) -> None:
    _half_year(world)
    review = world.s.statistics_reports.review(world.desk, H2)
    for line in (*review.offices, *review.handlers, review.total):
        print(line)
    r = world.s.statistics_reports.review_pdf(world.desk, review)
    Path("/tmp/sp/review.pdf").write_bytes(r.pdf)
    report = world.s.statistics.report(world.desk, StatsQuery(NOV))
    r = world.s.statistics_reports.report_pdf(world.desk, report)
    Path("/tmp/sp/report.pdf").write_bytes(r.pdf)
