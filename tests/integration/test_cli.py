"""hejie-admin end to end: init, demo, calendar, check, audit, user; clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.security import keys
from tests.office_db import office_db


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_init_then_check_and_user_commands(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "office")
    monkeypatch.setenv("HEJIE_PASSWORD", "secret123")
    code, out = run(capsys, "init", "--data-dir", data, "--district-code", "WZ", "--district-name",
                    "吴中区市场监督管理局", "--office-code", "WZCQ", "--office-name", "长桥分局")
    assert code == 0 and "长桥分局" in out and "恢复密钥：" in out
    recovery = out.split("恢复密钥：")[1].split()[0]
    assert len(recovery) == 44
    # The database opens with the recovery key alone (no password), and not with a wrong one.
    keys.forget(Path(data))
    monkeypatch.delenv("HEJIE_PASSWORD")
    monkeypatch.setenv("HEJIE_RECOVERY_KEY", recovery)
    code, out = run(capsys, "check", "--data-dir", data)
    assert code == 0 and "完整性检查：通过" in out
    keys.forget(Path(data))
    monkeypatch.setenv("HEJIE_RECOVERY_KEY", keys.new_recovery_code())
    code, out = run(capsys, "check", "--data-dir", data)
    assert code == 2 and "恢复密钥不正确" in out
    monkeypatch.delenv("HEJIE_RECOVERY_KEY")
    keys.forget(Path(data))
    monkeypatch.setenv("HEJIE_PASSWORD", "wrong-one1")
    code, out = run(capsys, "check", "--data-dir", data)
    assert code == 2 and "用户名或密码不正确" in out
    monkeypatch.setenv("HEJIE_PASSWORD", "secret123")
    code, out = run(capsys, "init", "--data-dir", data, "--district-code", "WZ", "--district-name",
                    "x", "--office-code", "WZCQ", "--office-name", "y")
    assert code == 2 and "不能重复初始化" in out
    code, out = run(capsys, "check", "--data-dir", data)
    assert code == 0 and "完整性检查：通过" in out and "（最新）" in out
    monkeypatch.setenv("HEJIE_NEW_PASSWORD", "clerk1234")
    code, out = run(capsys, "user", "add", "wangfang", "--name", "王芳", "--role", "desk_staff",
                    "--data-dir", data)
    assert code == 0
    code, out = run(capsys, "user", "list", "--data-dir", data)
    assert "wangfang" in out and "分局窗口人员" in out
    code, out = run(capsys, "user", "disable", "wangfang", "--data-dir", data)
    assert code == 0 and "已停用" in out


def test_demo_database_has_every_state_and_a_clean_audit(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "demo"
    code, out = run(capsys, "demo", "--data-dir", str(data), "--complaints", "120")
    assert code == 0 and "投诉 120 件" in out and "wangfang" in out
    con = office_db(data)
    assert con.execute("SELECT count(*) FROM offices WHERE kind='station'").fetchone() == (5,)
    assert con.execute("SELECT count(DISTINCT tier) FROM offices WHERE kind='station'").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM enterprises").fetchone() == (200,)
    received = con.execute("SELECT min(received_at), max(received_at) FROM complaints").fetchone()
    assert received[0] < "2025-01-01" and received[1] > "2026-11-01"
    statuses = {s for (s,) in con.execute("SELECT DISTINCT status FROM complaints")}
    assert {"registered", "accepted", "mediating", "closed"} <= statuses
    kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM complaints")}
    assert kinds == {"complaint", "report", "consultation"}
    con.close()
    code, out = run(capsys, "audit", "verify", "--data-dir", str(data))
    assert code == 0 and "哈希链校验通过" in out
    code, out = run(capsys, "demo", "--data-dir", str(data))
    assert code == 2 and "--force" in out


def test_bulk_demo_for_benchmark_sizes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "big"
    code, _ = run(capsys, "demo", "--data-dir", str(data), "--complaints", "6000")
    assert code == 0
    con = office_db(data)
    assert con.execute("SELECT count(*) FROM complaints").fetchone() == (6000,)
    assert con.execute("SELECT count(*) FROM complaints_fts WHERE complaints_fts MATCH '\"退款\"'").fetchone()[0] > 0
    # The planner's statistics were written (without them a sub-bureau's sort took 0.6 s at 200,000).
    assert con.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'complaints'").fetchone()[0] > 0
    con.close()


def test_calendar_commands(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "cal")
    code, out = run(capsys, "calendar", "show", "2026", "--data-dir", data)
    assert code == 0 and "国务院公布" in out
    assert "2026-02-14  星期六  上班  调休上班" in out
    assert "2026-10-01  星期四  休息  国庆节" in out
    code, out = run(capsys, "calendar", "show", "2027", "--data-dir", data)
    assert code == 0 and "推测" in out and "警告" in out and "2027-10-01" in out
    code, out = run(capsys, "calendar", "due", "--from", "2026-09-30", "--working-days", "7",
                    "--data-dir", data)
    # Oct 1–7 off; Oct 8, 9, Sat 10 (调休上班), 12, 13, 14, 15.
    assert code == 0 and "2026-10-15" in out and "警告" not in out
    code, out = run(capsys, "calendar", "due", "--from", "2026-12-20", "--working-days", "45",
                    "--data-dir", data)
    assert code == 0 and "2027 年" in out and "警告" in out


def test_failures_exit_non_zero_with_a_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "check", "--data-dir", str(tmp_path / "nothing"))
    assert code == 2 and "不存在" in out
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "hejie.db").write_bytes(b"this is not a database at all" * 100)
    code, out = run(capsys, "audit", "verify", "--data-dir", str(bad))
    assert code != 0 and "无法打开数据库文件" in out
    with pytest.raises(SystemExit) as exit_info:
        main(["calendar", "due", "--from", "not-a-date", "--working-days", "3"])
    assert exit_info.value.code == 2


def test_administrator_enters_next_years_calendar(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = str(tmp_path / "office")
    monkeypatch.setenv("HEJIE_PASSWORD", "secret123")
    assert run(capsys, "init", "--data-dir", data, "--district-code", "WZ", "--district-name", "区局",
               "--office-code", "WZCQ", "--office-name", "长桥分局")[0] == 0
    # Guessed: Thu 2027-02-11 is a working day, Sat 2027-02-20 is not.
    code, out = run(capsys, "calendar", "due", "--from", "2027-02-10", "--working-days", "1",
                    "--data-dir", data)
    assert "2027-02-11" in out and "警告" in out
    assert run(capsys, "calendar", "set", "2027-02-11", "--holiday", "--note", "春节",
               "--data-dir", data)[0] == 0
    assert run(capsys, "calendar", "set", "2027-02-20", "--working", "--note", "春节调休",
               "--data-dir", data)[0] == 0
    code, out = run(capsys, "calendar", "confirm", "2027", "--data-dir", data)
    assert code == 0 and "已确认" in out
    code, out = run(capsys, "calendar", "due", "--from", "2027-02-10", "--working-days", "2",
                    "--data-dir", data)
    assert "2027-02-15" in out and "警告" not in out  # 11th off; 12th, then Mon 15th
    code, out = run(capsys, "calendar", "show", "2027", "--data-dir", data)
    assert "管理员录入" in out and "2027-02-20  星期六  上班  管理员设定：上班" in out
    assert "2027-10-01  星期五  休息  国庆节" in out  # festivals stay without being re-entered
    code, out = run(capsys, "calendar", "confirm", "2027", "--undo", "--data-dir", data)
    assert code == 0 and "已撤销" in out
    assert "推测" in run(capsys, "calendar", "show", "2027", "--data-dir", data)[1]
