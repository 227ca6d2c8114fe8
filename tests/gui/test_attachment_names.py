"""An attachment's name is a label, never a path: 打开 and 另存为… through the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from sqlalchemy import text

from desktop.files import (
    EXECUTABLE_SUFFIXES,
    OPENABLE_SUFFIXES,
    can_open,
    is_executable,
    safe_filename,
)
from desktop.ui import file_dialogs
from desktop.ui.views.complaint_window import ComplaintWindow
from tests.conftest import World, draft
from tests.gui.conftest import wait_idle


class Desktop(QObject):
    """What the desktop was asked to open: Qt's own hook for a URL scheme (setUrlHandler)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def desktop(qapp) -> Desktop:  # type: ignore[no-untyped-def]
    handler = Desktop()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def _with_attachments(world: World, tmp_path: Path, labels: list[str]) -> tuple[int, list[str]]:
    """A complaint whose attachments carry `labels` as names, as a record from the district
    could (the office's own attach refuses such names; the hub's record is stored as sent)."""
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    source = tmp_path / "upload"
    source.mkdir()
    shas = []
    for i in range(len(labels)):
        file = source / f"file{i}.txt"
        file.write_text(f"附件内容 {i}", encoding="utf-8")
        world.s.records.attach(world.clerk, cid, file)
    with world.s.ctx.engine.begin() as conn:
        rows = conn.execute(text("SELECT id, sha256 FROM attachments WHERE complaint_id = :c "
                                 "ORDER BY id"), {"c": cid}).all()
        for (row_id, sha), label in zip(rows, labels, strict=True):
            conn.execute(text("UPDATE attachments SET filename = :f WHERE id = :i"),
                         {"f": label, "i": row_id})
            shas.append(sha)
    for file in source.iterdir():
        file.unlink()
    source.rmdir()
    return cid, shas


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_opening_writes_only_inside_the_opened_folder(world: World, make_ctx, shown, desktop,
                                                      qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir = world.s.ctx.data_dir
    absolute = str(tmp_path / "abs.txt")
    labels = ["../../TRAVERSED.sh", absolute, "C:\\x\\evil.bat", "CON", "合同扫描件.pdf"]
    cid, shas = _with_attachments(world, tmp_path, labels)
    ctx = make_ctx(world.clerk)
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    assert window.files_table.rowCount() == len(labels)
    before = _files(tmp_path)

    for row in range(len(labels)):
        window.files_table.selectRow(row)
        window.open_file_button.click()
        wait_idle(qtbot, ctx)

    opened = (data_dir / "opened").resolve()
    written = _files(tmp_path) - before
    assert written and all(p.resolve().is_relative_to(opened) for p in written), written
    assert not (tmp_path / "abs.txt").exists() and not (data_dir / "TRAVERSED.sh").exists()
    assert not any(p.name == "TRAVERSED.sh" for p in tmp_path.rglob("*") if opened not in p.parents)
    names = {p.resolve().relative_to(opened).as_posix() for p in written}
    assert names == {f"{shas[0][:12]}/TRAVERSED.sh", f"{shas[1][:12]}/abs.txt",
                     f"{shas[2][:12]}/evil.bat", f"{shas[3][:12]}/CON_",
                     f"{shas[4][:12]}/合同扫描件.pdf"}
    for path in written:  # the copy is the stored file, byte for byte
        stored = next(s for s in shas if s[:12] == path.parent.name)
        assert path.read_bytes() == world.s.records.attachment_bytes(stored)

    # The desktop was asked to open the types on the allowlist only; the clerk was told about
    # the others (CON_ has no extension: not a type known to be safe).
    handed = sorted(Path(u.toLocalFile()).name for u in desktop.urls)
    assert handed == ["abs.txt", "合同扫描件.pdf"]
    warnings = shown.texts("warn")
    assert len(warnings) == 3
    assert "附件「CON_」的没有扩展名，类型不在可直接打开的类型之列" in warnings[2]
    assert str(opened / shas[3][:12] / "CON_") in warnings[2]
    for name, text_ in zip(["TRAVERSED.sh", "evil.bat"], warnings[:2], strict=True):
        assert f"附件「{name}」是可执行文件" in text_ and "不直接打开" in text_
        assert str(opened / next(s for s in shas if name in labels[shas.index(s)])[:12] / name) in text_

    # Opening again reuses the copy; still nothing is handed over for an executable.
    window.files_table.selectRow(0)
    window.open_file_button.click()
    wait_idle(qtbot, ctx)
    assert len(desktop.urls) == 2 and len(shown.texts("warn")) == 4


def test_a_record_with_a_hash_that_is_not_a_hash_is_not_opened(world: World, make_ctx, shown,
                                                                desktop, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid, _ = _with_attachments(world, tmp_path, ["说明.txt"])
    with world.s.ctx.engine.begin() as conn:
        conn.execute(text("UPDATE attachments SET sha256 = '../../../../x' WHERE complaint_id = :c"),
                     {"c": cid})
    ctx = make_ctx(world.clerk)
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    before = _files(tmp_path)
    window.files_table.selectRow(0)
    window.open_file_button.click()
    wait_idle(qtbot, ctx)
    assert _files(tmp_path) == before and desktop.urls == []
    assert shown.texts("warn") == ["这个附件的记录不正确（校验值或文件名无效），为安全起见不予打开。请联系信息管理员。"]


def test_save_as_suggests_the_safe_name(world: World, make_ctx, shown, qtbot, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cid, shas = _with_attachments(world, tmp_path, ["..\\..\\报告.pdf"])
    suggested: list[str] = []
    target = tmp_path / "chosen.pdf"

    def choose(parent, caption, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        suggested.append(path)
        return str(target)

    monkeypatch.setattr(file_dialogs, "save_file", choose)
    ctx = make_ctx(world.clerk)
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    window.files_table.selectRow(0)
    window.save_file_button.click()
    wait_idle(qtbot, ctx)
    assert Path(suggested[0]).name == "报告.pdf"
    assert target.read_bytes() == world.s.records.attachment_bytes(shas[0])
    assert any(str(target) in t for t in shown.texts("info"))


@pytest.mark.parametrize(("label", "safe"), [
    ("../../TRAVERSED.sh", "TRAVERSED.sh"), ("/tmp/abs.txt", "abs.txt"),
    ("C:\\x\\evil.bat", "evil.bat"), ("CON", "CON_"), ("con.tar.gz", "con_.tar.gz"),
    ("LPT1", "LPT1_"), ("evil.bat. . ", "evil.bat"), ("..", "0123456789ab"), ("", "0123456789ab"),
    ("a\x00b\x1f.txt", "a_b_.txt"), ("x.txt:stream.exe", "x.txt_stream.exe"), (".bashrc", "bashrc"),
    ("合同 扫描件.JPG", "合同 扫描件.JPG"), ("d:evil.cmd", "d_evil.cmd"),
])
def test_safe_filename(label: str, safe: str) -> None:
    assert safe_filename(label, "0123456789ab") == safe


def test_long_names_keep_their_extension_and_fit_a_file_system() -> None:
    name = safe_filename("投诉材料" * 100 + ".pdf", "x")
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= 180


def test_executable_types() -> None:
    for name in ["a.exe", "A.BAT", "x.cmd", "y.ps1", "z.vbs", "t.js", "s.sh", "r.py", "app.desktop",
                 "p.AppImage", "l.lnk", "h.hta", "j.jar", "k.reg", "m.msi", "evil.bat.", "x.pdf.exe",
                 "C:\\x\\evil.bat", "s.scr", "p.pif", "c.cpl", "w.wsf"]:
        assert is_executable(name), name
    for name in ["a.pdf", "b.jpg", "c.docx", "d.xlsx", "e.txt", "f", "CON", "g.zip", "h.png"]:
        assert not is_executable(name), name
    assert all(s.startswith(".") and s == s.lower() for s in EXECUTABLE_SUFFIXES)


def test_only_types_on_the_allowlist_are_opened() -> None:
    for name in ["a.pdf", "b.JPG", "c.jpeg", "d.png", "e.heic", "f.txt", "g.docx", "h.xls",
                 "i.pptx", "j.wps", "k.et", "l.dps", "m.ofd", "n.mp3", "o.amr", "p.m4a", "q.mp4",
                 "r.mov", "s.avi", "t.tif", "u.webp", "..\\合同.pdf"]:
        assert can_open(name), name
    for name in ["a.zip", "b.rar", "c.7z", "d.iso", "e.img", "f.vhd", "g.vhdx", "h.rdp", "i.one",
                 "j.docm", "k.xlsm", "l.mdb", "m.accdb", "n.html", "o.htm", "p.svg", "q.mht",
                 "r.theme", "s.website", "t.cab", "u.msh", "v.wim", "w.hlp", "x.ade", "y.exe",
                 "z.bat", "CON", "noext", "a.pdf.exe", "c.csv", "d.rtf", "e.wmv"]:
        assert not can_open(name), name
    assert not OPENABLE_SUFFIXES & EXECUTABLE_SUFFIXES
    assert all(s.startswith(".") and s == s.lower() for s in OPENABLE_SUFFIXES)


def test_an_archive_is_copied_and_the_clerk_told_where(world: World, make_ctx, shown, desktop,
                                                       qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid, shas = _with_attachments(world, tmp_path, ["证据.zip", "说明.html", "报价.xlsm"])
    ctx = make_ctx(world.clerk)
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    for row in range(3):
        window.files_table.selectRow(row)
        window.open_file_button.click()
        wait_idle(qtbot, ctx)
    assert desktop.urls == []
    opened = world.s.ctx.data_dir / "opened"
    warnings = shown.texts("warn")
    for (name, suffix), sha, text_ in zip([("证据.zip", ".zip"), ("说明.html", ".html"),
                                           ("报价.xlsm", ".xlsm")], shas, warnings, strict=True):
        assert f"附件「{name}」的类型（{suffix}）不在可直接打开的类型之列" in text_
        assert str(opened / sha[:12] / name) in text_ and "另存为" in text_
        assert (opened / sha[:12] / name).is_file()
