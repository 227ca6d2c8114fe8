"""Suggests enterprises from the register while the clerk types a name or credit code."""

from __future__ import annotations

from PySide6.QtCore import QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from desktop.services.dto import EnterpriseInfo
from desktop.ui.context import AppContext


class EnterpriseCompleter(QObject):
    sig_chosen = Signal(object)  # EnterpriseInfo

    def __init__(self, ctx: AppContext, box: QLineEdit) -> None:
        super().__init__(box)
        self.ctx, self.box = ctx, box
        self.found: dict[str, EnterpriseInfo] = {}
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        # The service already matched name or code; show its answers as they are.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        box.setCompleter(self.completer)
        self.completer.activated[str].connect(self._chosen)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.lookup)
        box.textEdited.connect(lambda _: self._timer.start())

    def lookup(self) -> None:
        text = self.box.text().strip()
        if len(text) < 2:
            return
        services, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: services.enterprises.search(user, text, 12),
                           lambda found: self._show(text, found), owner=self.box)

    def _show(self, text: str, found: list[EnterpriseInfo]) -> None:
        if self.box.text().strip() != text:
            return  # the clerk typed on; a newer lookup is coming
        self.found = {self._display(e): e for e in found}
        self.model.setStringList(list(self.found))
        if found and self.box.hasFocus():
            self.completer.complete()

    @staticmethod
    def _display(e: EnterpriseInfo) -> str:
        return f"{e.name}（{e.credit_code}）" if e.credit_code else e.name

    def _chosen(self, text: str) -> None:
        info = self.found.get(text)
        if info is not None:
            # QCompleter writes the display text into the box; the page sets the plain name.
            QTimer.singleShot(0, lambda: self.sig_chosen.emit(info))
