"""hejie-admin backup and restore end to end on a real office database: what they print, their
exit codes, and that a refused restore changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from desktop import paths
from desktop.cli.main import main
from desktop.domain.backups import parse_name
from tests.conftest import PASSWORD, World, draft
from tests.office_db import office_db


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _complaints(data_dir: Path) -> int:
    con = office_db(data_dir)
    try:
        return con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    finally:
        con.close()


def test_backup_list_and_restore_from_the_command_line(world: World, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        world.s.complaints.register(world.clerk, draft())
    data = str(world.s.ctx.data_dir)
    usb = tmp_path / "usb"
    # While the program (world.s) has the database open.
    code, out = run(capsys, "backup", "--to", str(usb), "--data-dir", data)
    assert code == 0, out
    made = sorted(usb.iterdir())
    assert len(made) == 1 and parse_name(made[0].name) is not None
    assert f"已备份到 {made[0]}" in out and "投诉 3 件" in out and "校验通过" in out
    code, out = run(capsys, "backup", "--list", "--to", str(usb), "--data-dir", data)
    assert code == 0 and made[0].name in out and "手动" in out and "（1 份）" in out

    world.s.complaints.register(world.clerk, draft())
    # Refused while the program still has the database open; nothing changed.
    code, out = run(capsys, "restore", str(made[0]), "--yes", "--data-dir", data)
    assert code == 2 and "正被其他程序使用" in out
    assert _complaints(world.s.ctx.data_dir) == 4
    world.s.close()
    # Without --yes and without a terminal to ask in: refused, nothing changed.
    code, out = run(capsys, "restore", str(made[0]), "--data-dir", data)
    assert code == 2 and "--yes" in out and _complaints(world.s.ctx.data_dir) == 4
    code, out = run(capsys, "restore", str(made[0]), "--yes", "--data-dir", data)
    assert code == 0, out
    assert "备份校验通过" in out and "已从备份" in out and "原来的数据库保留为" in out
    assert "请先同步" not in out  # this office is not enrolled with a district
    assert _complaints(world.s.ctx.data_dir) == 3
    code, out = run(capsys, "audit", "verify", "--offline", "--data-dir", data)
    assert code == 0, out
    # A new PC: a data folder that does not exist yet, nothing to keep aside.
    # The backup is encrypted: on a new PC it opens with a password of its time, or the recovery key.
    new_pc = tmp_path / "new-pc" / "Hejie"
    monkeypatch.setenv("HEJIE_PASSWORD", "wrong-password1")
    code, out = run(capsys, "restore", str(made[0]), "--yes", "--data-dir", str(new_pc))
    assert code == 2 and "用户名或密码不正确" in out and not paths.database_path(new_pc).exists(), out
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)
    code, out = run(capsys, "restore", str(made[0]), "--yes", "--data-dir", str(new_pc))
    assert code == 0 and "已从备份" in out and "原来的数据库保留为" not in out, out
    assert _complaints(new_pc) == 3


def test_a_damaged_or_missing_backup_is_refused(world: World, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = str(world.s.ctx.data_dir)
    usb = tmp_path / "usb"
    assert run(capsys, "backup", "--to", str(usb), "--data-dir", data)[0] == 0
    made = next(usb.iterdir())
    world.s.close()
    size = made.stat().st_size
    for at in (40, size // 5, size // 3, size // 2, size * 4 // 5, size - 30):  # one byte each
        raw = bytearray(made.read_bytes())
        raw[at] ^= 0xFF
        damaged = tmp_path / made.name
        damaged.write_bytes(bytes(raw))
        code, out = run(capsys, "restore", str(damaged), "--yes", "--data-dir", data)
        assert code == 2 and "错误：" in out, (at, out)
        assert "校验值不符" in out or "不是完整的和解台备份" in out or "清单" in out, (at, out)
    code, out = run(capsys, "restore", str(tmp_path / "nothing.zip"), "--yes", "--data-dir", data)
    assert code == 2 and "不存在" in out
    folder = paths.backup_dir(world.s.ctx.data_dir)
    assert not [p for p in (folder.iterdir() if folder.exists() else ())
                if p.name.endswith(".part") or "before-restore" in p.name]
    assert world.s.ctx.data_dir.joinpath("hejie.db").exists()


def test_a_backup_to_a_folder_that_cannot_be_written_says_why(world: World, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              capsys) -> None:
    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be instead
        target = tmp_path / "file"
        target.write_text("x")
        folder = target / "sub"
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
    code, out = run(capsys, "backup", "--to", str(folder), "--data-dir", str(world.s.ctx.data_dir))
    assert code == 2 and "备份没有做成" in out and "没有留下不完整的备份文件" in out
