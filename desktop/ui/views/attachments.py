"""Copying attachments into the store, off the UI thread, with a progress bar and 取消."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.services.dto import Changed
from desktop.ui.context import AppContext
from desktop.ui.ops import Cancelled, Task, TaskState


def attach_files(ctx: AppContext, parent: QWidget, complaint_id: int, files: list[Path],
                 note: str = "") -> Task:
    """Each file is hashed and copied with progress; cancelling stops before the next file
    and leaves the files already attached in place."""
    total = sum(p.stat().st_size for p in files if p.exists()) or 1
    dialog = QProgressDialog(parent.tr("正在复制附件……"), parent.tr("取消"), 0, 1000, parent)
    dialog.setWindowTitle(parent.tr("添加附件"))
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    services, user = ctx.services, ctx.user

    def work(state: TaskState) -> list[Changed]:
        done_before = 0
        out: list[Changed] = []
        try:
            for path in files:
                size = path.stat().st_size

                def progress(done: int, _total: int, base: int = done_before) -> None:
                    state.progress(base + done, total)

                out.append(services.records.attach(user, complaint_id, path, note, progress=progress))
                done_before += size
        except Cancelled:
            pass  # the files attached so far stay; their changes are still broadcast
        return out

    def shown(done: int, whole: int) -> None:
        dialog.setValue(int(done * 1000 / max(whole, 1)))

    def finished(_: object) -> None:
        dialog.close()

    def failed(error: BaseException) -> None:
        dialog.close()
        ctx.ops.report(parent, error)

    # Copying a large file must not hold up the lists: it runs beside the database worker.
    task = ctx.ops.run(work, finished, owner=parent, on_error=failed, on_progress=shown,
                       broadcast=True, database=False)
    dialog.canceled.connect(task.cancel)
    dialog.canceled.connect(dialog.close)
    return task
