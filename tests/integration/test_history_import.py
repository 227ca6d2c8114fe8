"""Issue 19: importing old Excel ledgers and hotline work orders. A messy workbook built here
with every oddity the issue lists, and what each row becomes; importing twice; a changed row;
a cancel; a GBK CSV; the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

import desktop.services.history_import as module
from desktop.cli.main import main as cli
from desktop.db.models import AuditEntry, Complaint, NumberSequence, OutboxOp
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import ComplaintFilter
from desktop.imports.mapping import Profile
from desktop.imports.sheets import ImportCancelled
from desktop.services.history_import import write_problems
from tests.conftest import World
from tests.imports_helpers import ROWS, write_ledger


def _complaints(w: World) -> dict[str, Complaint]:
    with UnitOfWork(w.s.ctx.engine, write=False) as uow:
        return {c.original_number or c.import_key or "": c
                for c in uow.session.scalars(select(Complaint))}


def _count(w: World, model: type) -> int:
    with UnitOfWork(w.s.ctx.engine, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _preview(w: World, path: Path, kind: str = "ledger"):
    svc = w.s.history_import
    book = svc.open(path)
    return svc.preview(w.desk, book, svc.choices(book), kind)


def test_every_oddity_of_a_messy_ledger(world: World, tmp_path: Path) -> None:
    path = tmp_path / "2024台账.xlsx"
    where = write_ledger(path)
    svc = world.s.history_import
    book = svc.open(path)
    # The notes sheet is not data; the header is found below the title and the 填表人 line.
    assert [s.name for s in book.data_sheets] == ["2024年台账"]
    assert book.sheets[0].header_row == 3
    preview = _preview(world, path)
    rows = {r.row: r for r in preview.rows()}
    by = {label: rows[n] for label, n in where.items()}
    # Blank row and totals row skipped, not rows with problems.
    assert len(preview.plans[0].skipped) == 2
    assert {why for _, why in preview.plans[0].skipped} == {"空行", "合计行"}
    assert any("填表说明" in n for n in preview.notes)

    serial = by["serial"].values
    assert serial["received_at"] == datetime(2024, 1, 3)  # Excel serial 45294
    assert serial["complainant_phone"] == "13277204056"  # a phone stored as a number
    assert serial["complainant_name"] == "李女士"  # kept as written
    assert serial["status"] == "closed" and serial["result"] == "settled"
    assert serial["closed_on"] == date(2024, 1, 8) and serial["settled_on"] == date(2024, 1, 8)
    assert serial["recovered_cents"] == 320000  # 3,200元
    assert serial["handler_id"] == world.desk.id  # 承办人 named a user of the program
    assert serial["remarks"].startswith("【2024台账.xlsx「2024年台账」第 4 行】")
    assert "职业索赔人" in serial["remarks"]
    assert serial["original_number"] == "2024-001" and serial["channel_code"] == "history"
    assert serial["import_source"] == "2024台账.xlsx「2024年台账」第 4 行"

    excel = by["excel_date"].values
    assert excel["received_at"] == datetime(2024, 1, 5)
    assert excel["complainant_phone"] == "13912345678"  # full-width digits
    assert excel["result"] == "not_settled" and excel["closed_on"] == date(2024, 1, 20)
    assert excel["recovered_cents"] is None  # "—"
    assert "承办人：张三" in excel["remarks"] and "重复投诉" in excel["remarks"]
    assert any("张三" in str(p) for p in by["excel_date"].problems)

    chinese = by["chinese_date"].values
    assert chinese["received_at"] == datetime(2024, 1, 3)
    assert chinese["result"] == "terminated" and chinese["terminated_on"] == date(2024, 1, 10)
    assert "转执法大队" in chinese["remarks"]

    dotted = by["dotted_date"].values
    assert dotted["received_at"] == datetime(2024, 1, 3) and dotted["result"] == "rejected"
    assert dotted["closed_on"] == date(2024, 1, 8)

    slash = by["slash_date"]
    assert slash.values["received_at"] == datetime(2024, 1, 3)
    assert slash.values["original_number"] == "2024-005"  # full-width digits and dash
    assert slash.values["status"] == "registered" and slash.values.get("result") is None
    assert any("请复核" in str(p) for p in slash.problems) and slash.ok

    iso = by["iso_date"]
    assert iso.values["received_at"] == datetime(2024, 1, 3)
    assert iso.values["status"] == "registered"  # words that say no result: open, for review
    assert "处理结果：已办结，消费者表示满意" in iso.values["remarks"]
    assert iso.values["recovered_cents"] == 120000
    assert iso.key is not None and iso.key.startswith("h:")  # no number: a content hash

    assert not by["no_date"].ok and "登记日期" in str(by["no_date"].problems[0])
    assert not by["bad_date"].ok and "去年三月" in str(by["bad_date"].problems[0])
    # Every imported row lacks an address: marked incomplete, not refused.
    assert all(r.values["incomplete"] for r in preview.rows() if r.ok)
    counts = preview.counts
    assert counts["rows"] == len(ROWS) and counts["errors"] == 2 and counts["add"] == 6

    outcome = svc.run(world.desk, preview)
    assert (outcome.added, outcome.updated, outcome.refused) == (6, 0, 2)
    made = _complaints(world)
    c = made["2024-001"]
    assert c.number.startswith("WZCQ-20240103-") and c.office_id == world.desk.office_id
    assert c.incomplete is True and c.import_kind == "ledger"
    # The channel has a name, and no clerk can register a new complaint under it.
    [history] = [c for c in world.s.reference.codes("channel", include_inactive=True)
                 if c.code == "history"]
    assert history.label == "历史导入" and not history.active
    # The ledger's 自行接收 part; the original number finds it in the search.
    found = world.s.complaints.page(world.desk, ComplaintFilter(text="2024-001", dispatched=False))
    assert [r.number for r in found.rows] == [c.number]
    # The history says 历史导入 with the file, sheet and row.
    lines = world.s.records.history(world.desk, c.id)
    assert lines[0].action == "历史导入"
    assert "2024台账.xlsx「2024年台账」第 4 行" in lines[0].text


def test_the_same_file_twice_adds_nothing_and_a_changed_row_updates(world: World,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    svc = world.s.history_import
    first = svc.run(world.desk, _preview(world, path))
    assert first.added == 6
    before_audit = _count(world, AuditEntry)
    again = _preview(world, path)
    assert again.counts["add"] == 0 and again.counts["same"] == 6
    second = svc.run(world.desk, again)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 6)
    assert len(_complaints(world)) == 6
    assert _count(world, AuditEntry) == before_audit  # nothing touched

    # The rows moved (a row inserted above) and one changed: identity is not position.
    rows = list(ROWS)
    rows.insert(0, ("new", ["2024/2/1", "2024-100", "新来的", "13800009999", "新公司",
                            "新的投诉", "退款", "", None, None, None, None]))
    rows = [(label, list(values)) for label, values in rows]
    slash = next(v for label, v in rows if label == "slash_date")
    slash[7], slash[8] = "调解成功", "2024/1/15"  # 处理结果 filled in since
    where = write_ledger(path, rows)
    third = _preview(world, path)
    actions = {r.row: r.action for r in third.rows() if r.ok}
    assert actions[where["new"]] == "add" and actions[where["slash_date"]] == "update"
    assert actions[where["serial"]] == "same"
    outcome = svc.run(world.desk, third)
    assert (outcome.added, outcome.updated, outcome.unchanged) == (1, 1, 5)
    made = _complaints(world)
    assert len(made) == 7
    updated = made["2024-005"]
    assert updated.status == "closed" and updated.result == "settled"
    assert updated.closed_on == date(2024, 1, 15)
    # The update is audited with what it was before.
    lines = world.s.records.history(world.desk, updated.id)
    assert [line.action for line in lines].count("历史导入") == 2
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        entry = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.entity_uuid == updated.uuid, AuditEntry.operation == "update")).one()
    assert json.loads(entry.before or "{}")["status"] == "registered"
    assert json.loads(entry.after or "{}")["status"] == "closed"


def test_a_cancelled_import_leaves_no_trace(world: World, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    preview = _preview(world, path)
    counts = {m: _count(world, m) for m in (Complaint, AuditEntry, OutboxOp, NumberSequence)}
    calls = []

    def cancelled() -> bool:  # cancel after the first rows were added to the session
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(ImportCancelled):
        world.s.history_import.run(world.desk, preview, cancelled=cancelled)
    assert {m: _count(world, m) for m in counts} == counts

    # A crash half-way, after rows were flushed (audited, queued for sync): the same.
    monkeypatch.setattr(module, "FLUSH_EVERY", 1)
    monkeypatch.setattr(module, "CHECK_EVERY", 1)
    with pytest.raises(RuntimeError, match="断电"):
        world.s.history_import.run(world.desk, preview, cancelled=_after(4))
    assert {m: _count(world, m) for m in counts} == counts


def _after(n: int):
    """A cancel check that raises a crash on its nth call."""
    calls = []

    def check() -> bool:
        calls.append(1)
        if len(calls) >= n:
            raise RuntimeError("断电")
        return False
    return check


def test_a_gbk_csv_of_hotline_work_orders(world: World, tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工单编号", "来电时间", "来电人", "来电号码", "诉求内容", "涉及企业",
                     "办理结果", "办结时间"])
    writer.writerow(["GD2024010300001", "2024-01-03 09:15", "刘女士", "13277204056",
                     "网购手机屏幕碎裂要求换货", "某某数码专营店", "调解成功", "2024-01-06"])
    writer.writerow(["GD2024010300002", "2024/1/3", "陈先生", "13300001111",
                     "外卖食品变质", "某某餐饮店", "", ""])
    path = tmp_path / "12345工单.csv"
    path.write_bytes(out.getvalue().encode("gbk"))
    svc = world.s.history_import
    book = svc.open(path)
    assert book.encoding == "gbk"
    preview = svc.preview(world.desk, book, svc.choices(book), "hotline")
    rows = list(preview.rows())
    assert rows[0].values["complainant_name"] == "刘女士"
    assert rows[0].values["received_at"] == datetime(2024, 1, 3, 9, 15)
    assert rows[0].values["facts"] == "网购手机屏幕碎裂要求换货"
    svc.run(world.desk, preview)
    made = _complaints(world)
    assert made["GD2024010300001"].import_kind == "hotline"
    # Hotline work orders stand in the ledger's 区局分流 part.
    dispatched = world.s.complaints.page(world.desk, ComplaintFilter(dispatched=True))
    assert {r.number for r in dispatched.rows} == {c.number for c in made.values()}
    # A newer export of the same orders updates the open one by its work-order number.
    writer2 = io.StringIO()
    w2 = csv.writer(writer2)
    w2.writerow(["工单编号", "来电时间", "来电人", "来电号码", "诉求内容", "涉及企业",
                 "办理结果", "办结时间"])
    w2.writerow(["GD2024010300002", "2024/1/3", "陈先生", "13300001111", "外卖食品变质",
                 "某某餐饮店", "调解成功", "2024-01-09"])
    path.write_bytes(writer2.getvalue().encode("gbk"))
    outcome = svc.import_file(world.desk, path, kind="hotline")[1]
    assert outcome is not None and (outcome.added, outcome.updated) == (0, 1)
    assert _complaints(world)["GD2024010300002"].result == "settled"


def test_profiles_and_the_problem_workbook(world: World, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    svc = world.s.history_import
    book = svc.open(path)
    header = book.data_sheets[0].header
    columns = svc.choices(book)[0].columns
    columns = {i: k for i, k in columns.items() if k != "remarks"}  # the user unmaps 备注
    svc.save_profile(world.desk, Profile.of("老台账", "ledger", header, columns))
    profile = svc.profile(world.desk, "老台账")
    again = svc.choices(book, profile)[0].columns
    assert "remarks" not in again.values() and again == columns
    preview = svc.preview(world.desk, book, svc.choices(book, profile))
    assert all("职业索赔人" not in (r.values.get("remarks") or "") for r in preview.rows())
    out = tmp_path / "问题行.xlsx"
    n = write_problems(preview, out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None and ws.max_row == n + 1
    assert [c.value for c in ws[1]][:4] == ["原行号", "级别", "问题", "序号"]
    levels = {ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert levels == {"错误（未导入）", "警告"}


def test_cli_import_with_dry_run(world: World, tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    # The password is desk's own: --user says whose password opens the database.
    world.s.users.reset_password(world.admin, world.desk.id, "desk-own-9876")
    data_dir = world.s.ctx.data_dir
    world.s.close()
    from desktop.security import keys

    keys.forget(data_dir)  # as a new process: the password opens the database
    monkeypatch.delenv("HEJIE_USER", raising=False)
    monkeypatch.setenv("HEJIE_PASSWORD", "desk-own-9876")
    problems = tmp_path / "问题.xlsx"
    assert cli(["import", str(path), "--data-dir", str(data_dir), "--user", "desk",
                "--dry-run", "--problems", str(problems)]) == 0
    out = capsys.readouterr().out
    assert "新增 6" in out and "未写入" in out and problems.exists()
    assert cli(["import", str(path), "--data-dir", str(data_dir), "--user", "desk"]) == 0
    assert "新增 6 件" in capsys.readouterr().out
    assert cli(["import", str(path), "--data-dir", str(data_dir), "--user", "desk"]) == 0
    assert "新增 0 件" in capsys.readouterr().out
    assert cli(["import", str(path), "--data-dir", str(data_dir), "--user", "desk",
                "--profile", "没有这个"]) != 0


def test_statistics_include_or_leave_out_incomplete_imported_records(world: World,
                                                                      tmp_path: Path) -> None:
    from desktop.domain.statistics import Period
    from desktop.services.statistics import StatsQuery
    from tests.conftest import draft

    rows = [("a", ["2026/11/3", "N-1", "甲", "13800000001", "某公司", "内容一", "退款", "调解成功",
                   "2026/11/5", "100", None, None]),
            ("b", ["2026/11/4", "N-2", "乙", "13800000002", "某公司", "内容二", "退款", "调解不成",
                   "2026/11/6", None, None, None]),
            ("c", ["2026/11/5", "N-3", "丙", "13800000003", "某公司", "内容三", "退款", "",
                   None, None, None, None])]
    path = tmp_path / "台账.xlsx"
    write_ledger(path, rows)
    world.s.history_import.run(world.desk, _preview(world, path))
    world.s.complaints.register(world.desk, draft(received_at=datetime(2026, 11, 10, 9, 0)))
    nov = Period.month(2026, 11)
    both = world.s.statistics.report(world.desk, StatsQuery(nov))
    complete = world.s.statistics.report(world.desk, StatsQuery(nov, incomplete="exclude"))
    assert both.figure("received").value == 4 and complete.figure("received").value == 1
    assert both.figure("closed").value == 2 and complete.figure("closed").value == 0
    assert both.figure("recovered").value == 100.0 and not complete.figure("recovered").value


def test_an_old_xls_ledger(world: World, tmp_path: Path) -> None:
    """An .xls as Excel 2003 wrote it: a date cell, a serial typed as a number, a phone stored
    as a number, the header under a title."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    ws.write(0, 0, "2019年消费投诉台账")
    for col, title in enumerate(["登记日期", "编号", "投诉人", "联系电话", "被投诉单位", "事由",
                                 "处理结果", "办结日期"]):
        ws.write(2, col, title)
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    ws.write(3, 0, datetime(2019, 5, 6), dated)
    for col, value in enumerate(["2019-15", "张女士", 13277204056.0, "某某商场", "羽绒服质量问题",
                                 "调解成功"], start=1):
        ws.write(3, col, value)
    ws.write(3, 7, 43597.0)  # 2019-05-12 as a bare serial number
    path = tmp_path / "2019台账.xls"
    book.save(str(path))
    preview = _preview(world, path)
    [row] = list(preview.rows())
    assert row.ok, row.problems
    assert row.values["received_at"] == datetime(2019, 5, 6)
    assert row.values["complainant_phone"] == "13277204056"
    assert row.values["closed_on"] == date(2019, 5, 12) and row.values["result"] == "settled"
    assert world.s.history_import.run(world.desk, preview).added == 1


def test_a_csv_cell_beyond_the_csv_modules_limit_refuses_its_row_only(world: World,
                                                                       tmp_path: Path) -> None:
    """A 300,000-character cell (the csv module stops at 131,072 by default) is read, its row
    refused naming the field and its limit; the other row comes in. An unclosed quote that runs
    to the end of the file is one long cell, refused the same way."""

    path = tmp_path / "长单元格.csv"
    path.write_text("登记日期,投诉单号,投诉人,联系电话,被投诉方,投诉内容,处理结果\n"
                    f"2025/1/5,L-1,赵,13800000003,某公司,{'长' * 300_000},调解成功\n"
                    "2025/1/6,L-2,钱女士,13800000004,某公司,空调不制冷,调解成功\n", "utf-8")
    svc = world.s.history_import
    book = svc.open(path)
    preview = svc.preview(world.desk, book, svc.choices(book), "ledger")
    problems = {r.row: " ".join(str(p) for p in r.problems) for r in preview.rows()}
    assert "超过 5000 个字（现有 300000 个）" in problems[2]
    outcome = svc.run(world.desk, preview)
    assert "新增 1 件" in outcome.summary()
    # An unclosed quote runs to the end of the file: one long cell, refused by its length.
    broken = tmp_path / "坏引号.csv"
    broken.write_text('登记日期,投诉人\n2025/1/5,"赵\n' + "x" * 200_000, "utf-8")
    book = svc.open(broken)
    preview = svc.preview(world.desk, book, svc.choices(book), "ledger")
    assert ["投诉人姓名：超过" in " ".join(map(str, r.problems)) for r in preview.rows()] == [True]
