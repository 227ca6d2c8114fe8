"""投诉台账 → 导入…: the wizard from the file, through sheets and columns (one corrected by
hand, a profile saved), to the preview (counts, problem rows exported) and the import; then
the ledger shows the records. HEJIE_SHOTS=folder saves a picture of each step."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.db.models import Complaint
from desktop.db.uow import UnitOfWork
from desktop.ui.views.ledger import LedgerPage
from tests.conftest import World
from tests.gui.conftest import type_text, wait_idle
from tests.imports_helpers import HEADER, write_ledger


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("HEJIE_SHOTS")
    if folder:
        from PySide6.QtWidgets import QApplication

        from desktop.ui.app import register_fonts
        register_fonts(QApplication.instance())  # type: ignore[arg-type]
        if widget is None:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_wizard_from_file_to_preview_to_import(world: World, make_ctx, qtbot,  # type: ignore[no-untyped-def]
                                               tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "2024年台账.xlsx"
    write_ledger(path)
    _shot(None, "")  # the window's Chinese font, as the program registers it
    ctx = make_ctx(world.desk)
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.model.rowCount() == 0

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.import_wizard
    qtbot.waitUntil(wizard.isVisible)
    wait_idle(qtbot, ctx)
    type_text(qtbot, wizard.path_edit, str(path))
    _shot(wizard, "1-file")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1, timeout=10000)

    # The notes sheet is offered unchecked; the header was found on row 3 and guessed.
    items = {wizard.sheet_list.item(i).data(Qt.ItemDataRole.UserRole):
             wizard.sheet_list.item(i).checkState() for i in range(wizard.sheet_list.count())}
    assert items == {"2024年台账": Qt.CheckState.Checked, "填表说明": Qt.CheckState.Unchecked}
    assert wizard.header_spin.value() == 3
    assert wizard.column_table.rowCount() == len(HEADER)
    remarks = HEADER.index("备注")
    assert wizard.column_table.cellWidget(remarks, 2).currentData() == "remarks"
    # The user says 承办人 is not to be imported, and saves the mapping as a profile.
    wizard.set_target(HEADER.index("承办人"), "")
    type_text(qtbot, wizard.profile_name, "老台账")
    _shot(wizard, "2-columns")
    qtbot.mouseClick(wizard.save_profile_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert [p.name for p in world.s.history_import.profiles(world.desk)] == ["老台账"]

    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 2, timeout=15000)
    text = wizard.counts_label.text()
    assert "共 <b>8</b> 行" in text and "新增 <b>6</b>" in text and "错误（不导入）<b>2</b>" in text
    assert wizard.preview_model.rowCount() == 8
    assert wizard.preview_model.data(wizard.preview_model.index(0, 7)) == "办结（调解成功）"
    wizard.filter_combo.setCurrentIndex(wizard.filter_combo.findData("errors"))
    assert wizard.preview_model.rowCount() == 2
    assert all(r.values.get("handler_id") is None for r in wizard.preview.rows())
    _shot(wizard, "3-preview")
    out = tmp_path / "问题行.xlsx"
    wizard.export_problems_to(out)
    qtbot.waitUntil(lambda: "改正后可再次导入" in wizard.status.text(), timeout=10000)
    assert openpyxl.load_workbook(out).active.max_row > 2  # type: ignore[union-attr]

    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 3, timeout=20000)
    assert "新增 6 件" in wizard.done_label.text()
    _shot(wizard, "4-done")
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        assert len(uow.session.scalars(select(Complaint)).all()) == 6
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=10000)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    # The saved profile is offered next time, and can be deleted.
    again = page.open_import()
    wait_idle(qtbot, ctx)
    index = again.profile_combo.findData("老台账")
    assert index > 0
    again.profile_combo.setCurrentIndex(index)
    assert again.delete_profile_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(again.delete_profile_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert again.profile_combo.findData("老台账") < 0
    assert world.s.history_import.profiles(world.desk) == []


def test_cancel_during_the_import_writes_nothing(world: World, make_ctx, qtbot,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, monkeypatch) -> None:
    import desktop.services.history_import as module

    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    ctx = make_ctx(world.desk)
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    wizard = page.open_import()
    wait_idle(qtbot, ctx)
    wizard.path_edit.setText(str(path))
    wizard.forward()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1, timeout=10000)
    wizard.forward()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 2, timeout=10000)
    # The user presses 取消 while the rows are being written.
    monkeypatch.setattr(module, "CHECK_EVERY", 1)
    original = module.HistoryImportService.run

    def run(self, user, preview, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        def late() -> bool:
            if progress is not None:
                progress(1, 1)
            wizard.task.cancel() if wizard.task is not None else None
            return bool(cancelled and cancelled())
        return original(self, user, preview, progress, late)

    monkeypatch.setattr(module.HistoryImportService, "run", run)
    wizard.forward()
    qtbot.waitUntil(lambda: "已取消" in wizard.status.text(), timeout=10000)
    assert wizard.stack.currentIndex() == 2
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        assert uow.session.scalars(select(Complaint)).all() == []
