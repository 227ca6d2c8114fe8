"""The save of a dialog that writes one change: on the database worker, buttons off meanwhile;
once done, the dialog announces the change and closes; refused, it stays open with what was
typed and shows why under the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtWidgets import QDialogButtonBox

from desktop.services.dto import Changed
from desktop.ui.context import AppContext
from desktop.ui.widgets.field_errors import FieldErrors


class SavesChange:
    """Mixin for a QDialog (put it first among the bases) that has `ctx`, `buttons` and
    `errors`, and a Signal(object) named by `done_signal` that carries the Changed."""

    done_signal: ClassVar[str] = "sig_done"

    ctx: AppContext
    buttons: QDialogButtonBox
    errors: FieldErrors
    accept: Callable[[], None]

    def _save(self, work: Callable[[], Changed]) -> None:
        """`work` reads nothing from the widgets: it runs on the database worker."""
        self.buttons.setEnabled(False)
        self.ctx.ops.mutate(work, self._done, owner=self, on_error=self._refused)  # type: ignore[arg-type]

    def _done(self, changed: Changed) -> None:
        getattr(self, self.done_signal).emit(changed)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not self.errors.show_refusal(error):
            self.ctx.ops.report(self, error)  # type: ignore[arg-type]
