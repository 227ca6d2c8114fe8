"""The ledger as Excel: two parts on two sheets, filters in force, masking by role, dates as
dates, frozen header; cancel leaves nothing behind; the CLI."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from desktop.cli.main import main as cli
from desktop.domain.complaint import ComplaintFilter
from desktop.exports.ledger.xlsx import HEADER_ROW
from desktop.services.ledger_export import DISPATCHED_SHEET, SELF_SHEET
from tests.conftest import PASSWORD, World, draft


class Stop(Exception):
    pass


def _fill(w: World) -> dict[str, int]:
    s, desk = w.s, w.desk
    ids = {}
    ids["walkin"] = s.complaints.register(desk, draft(received_at=datetime(2026, 11, 2, 9, 30))).ids[0]
    ids["district"] = s.complaints.register(desk, draft(
        channel_code="district", district_number="QJ2026-0001", complainant_name="李娜",
        complainant_phone="13900001111", received_at=datetime(2026, 11, 3, 14, 5))).ids[0]
    ids["hotline"] = s.complaints.register(desk, draft(
        channel_code="hotline12315", complainant_name="王芳", complainant_phone="13700002222",
        respondent_name="=HYPERLINK(\"x\")", received_at=datetime(2026, 10, 20, 8, 0))).ids[0]
    return ids


def _read(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, header=HEADER_ROW - 1, dtype={"电话": str})


def test_two_sheets_dates_masking_and_frozen_header(world: World, tmp_path: Path) -> None:
    _fill(world)
    out = tmp_path / "台账.xlsx"
    full = world.s.ledger_export.export(world.desk, ComplaintFilter(), out)
    assert (full.dispatched, full.self_received, full.personal_in_full) == (1, 2, True)

    sheets = _read(out)
    assert list(sheets) == [DISPATCHED_SHEET, SELF_SHEET]
    dispatched, own = sheets[DISPATCHED_SHEET], sheets[SELF_SHEET]
    assert list(dispatched.columns[:6]) == ["序号", "投诉单号", "类型", "接收时间", "状态", "办理期限"]
    for title in ("被投诉方", "投诉人", "电话", "来源", "承办单位", "承办人", "区局单号", "办结日期",
                  "办结结果", "挽回经济损失（元）", "经营者责任"):
        assert title in dispatched.columns
    assert dispatched["投诉人"].tolist() == ["李娜"]
    assert dispatched["电话"].tolist() == ["13900001111"]
    assert dispatched["区局单号"].tolist() == ["QJ2026-0001"]
    # Oldest first, as a ledger reads; the formula-like name stays text.
    assert own["投诉人"].tolist() == ["王芳", "张伟"]
    assert own["被投诉方"].iloc[0] == "=HYPERLINK(\"x\")"
    assert own["承办单位"].iloc[0] == "长桥分局"

    wb = openpyxl.load_workbook(out)
    ws = wb[SELF_SHEET]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert "长桥分局" in ws["A1"].value and "自行接收" in ws["A1"].value
    assert "条件：全部" in ws["A2"].value
    received = ws.cell(HEADER_ROW + 1, 4)
    assert received.is_date and received.value == datetime(2026, 10, 20, 8, 0)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    due = ws.cell(HEADER_ROW + 2, 6)
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    assert ws.cell(HEADER_ROW + 1, 7).data_type == "s" and ws.cell(HEADER_ROW + 1, 7).quotePrefix
    assert wb[DISPATCHED_SHEET].auto_filter.ref == f"A{HEADER_ROW}:S{HEADER_ROW + 1}"

    # The district's 消保科 may not see personal information: masked, and said so.
    masked = tmp_path / "masked.xlsx"
    result = world.s.ledger_export.export(world.cp, ComplaintFilter(), masked)
    assert result.personal_in_full is False
    m_sheets = _read(masked)
    assert m_sheets[DISPATCHED_SHEET]["投诉人"].tolist() == ["李*"]
    assert m_sheets[DISPATCHED_SHEET]["电话"].tolist() == ["139****1111"]
    assert "已脱敏" in openpyxl.load_workbook(masked)[SELF_SHEET]["A2"].value


def test_filters_in_force_and_selection(world: World, tmp_path: Path) -> None:
    ids = _fill(world)
    out = tmp_path / "f.xlsx"
    f = ComplaintFilter(received_from=date(2026, 11, 1), received_to=date(2026, 11, 30),
                        channel_code="walkin")
    r = world.s.ledger_export.export(world.desk, f, out, what="搜索结果")
    assert (r.dispatched, r.self_received) == (0, 1)
    line = openpyxl.load_workbook(out)[SELF_SHEET]["A2"].value
    assert "2026-11-01—2026-11-30" in line and "来源 来访" in line and "搜索结果" in line

    text = tmp_path / "text.xlsx"
    r = world.s.ledger_export.export(world.desk, ComplaintFilter(text="王芳"), text)
    assert (r.dispatched, r.self_received) == (0, 1)

    chosen = tmp_path / "sel.xlsx"
    r = world.s.ledger_export.export(world.desk, ComplaintFilter(), chosen,
                                     ids=[ids["district"], ids["walkin"]])
    assert (r.dispatched, r.self_received) == (1, 1)
    assert "所选 2 件" in openpyxl.load_workbook(chosen)[SELF_SHEET]["A2"].value


def test_cancel_leaves_no_file_and_no_temp(world: World, tmp_path: Path, monkeypatch) -> None:
    import desktop.exports.ledger.xlsx as xlsx

    for i in range(30):
        world.s.complaints.register(world.desk, draft(received_at=datetime(2026, 11, 1, 8, i)))
    monkeypatch.setattr(xlsx, "PROGRESS_EVERY", 10)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done >= 20:
            raise Stop()

    folder = tmp_path / "out"
    folder.mkdir()
    scratch = set(Path(tempfile.gettempdir()).glob("openpyxl.*"))
    with pytest.raises(Stop):
        world.s.ledger_export.export(world.desk, ComplaintFilter(), folder / "台账.xlsx",
                                     progress=progress)
    assert list(folder.iterdir()) == []
    assert calls[0] == (0, 30) and calls[-1] == (20, 30)
    assert set(Path(tempfile.gettempdir()).glob("openpyxl.*")) <= scratch  # openpyxl's own

    # An earlier file of that name survives a cancelled export untouched.
    (folder / "台账.xlsx").write_bytes(b"old")
    with pytest.raises(Stop):
        world.s.ledger_export.export(world.desk, ComplaintFilter(), folder / "台账.xlsx",
                                     progress=progress)
    assert [p.name for p in folder.iterdir()] == ["台账.xlsx"]
    assert (folder / "台账.xlsx").read_bytes() == b"old"


def test_cli_export_ledger(world: World, tmp_path: Path, monkeypatch, capsys) -> None:
    _fill(world)
    data_dir = world.s.ctx.data_dir
    world.s.close()
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)
    out = tmp_path / "ledger.xlsx"
    code = cli(["export", "ledger", "--data-dir", str(data_dir), "--user", "desk",
                "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out)])
    assert code == 0
    sheets = _read(out)
    assert len(sheets[DISPATCHED_SHEET]) == 1 and len(sheets[SELF_SHEET]) == 1
    assert "区局分流 1 件" in capsys.readouterr().out
    code = cli(["export", "ledger", "--data-dir", str(data_dir), "--user", "desk",
                "--kind", "咨询", "--out", str(out)])
    assert code == 0
    assert all(len(df) == 0 for df in _read(out).values())
