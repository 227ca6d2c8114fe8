"""The 单位 tab: the office tree (district, sub-bureaus, stations) and each office's particulars."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.offices import OFFICE_KINDS, PARENT_KINDS, STATION_TIERS
from desktop.services.dto import Changed, OfficeInfo
from desktop.ui.context import AppContext
from desktop.ui.settings import restore_header, save_header
from desktop.ui.views.settings.common import FormDialog, button_row, show_dialog, tr

KEY_ROLE = Qt.ItemDataRole.UserRole
# The kind a new office under a parent of this kind most likely has.
CHILD_KIND = {None: "district", "district": "sub_bureau", "sub_bureau": "station", "station": "station"}


class OfficeDialog(FormDialog):
    """Add an office under a parent, or correct one. The code is fixed once the office exists."""

    def __init__(self, ctx: AppContext, offices: list[OfficeInfo], office: OfficeInfo | None = None,
                 parent_id: int | None = None, parent: QWidget | None = None) -> None:
        title = tr("新增单位") if office is None else tr("修改单位：{name}").format(name=office.name)
        super().__init__(ctx, title, parent)
        self.office = office
        self.parent_office = self.add_field(self.tr("上级单位"), QComboBox())
        self.parent_office.addItem(self.tr("（无，最上级）"), None)
        for o in offices:
            if office is None or o.id != office.id:
                self.parent_office.addItem(f"{o.name}（{o.code}）", o.id)
        self.code = self.add_field(self.tr("单位代码"), QLineEdit())
        self.code.setPlaceholderText(self.tr("2–12 位大写字母或数字，投诉编号以它开头"))
        self.name = self.add_field(self.tr("单位名称"), QLineEdit())
        self.kind = self.add_field(self.tr("单位类型"), QComboBox())
        for kind, label in OFFICE_KINDS.items():
            self.kind.addItem(label, kind)
        self.tier = self.add_field(self.tr("投诉站类别"), QComboBox())
        for tier, label in STATION_TIERS.items():
            self.tier.addItem(label, tier)
        self.address = self.add_field(self.tr("地址"), QLineEdit())
        self.phone = self.add_field(self.tr("电话"), QLineEdit())
        self.seal_text = self.add_field(self.tr("印章文字"), QLineEdit())
        self.seal_text.setPlaceholderText(self.tr("印在告知书等文书上的单位名称；留空则与单位名称相同"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if office is None:
            self.parent_office.setCurrentIndex(max(0, self.parent_office.findData(parent_id)))
            parent_kind = next((o.kind for o in offices if o.id == parent_id), None)
            self.kind.setCurrentIndex(self.kind.findData(CHILD_KIND[parent_kind]))
        else:
            self.parent_office.setCurrentIndex(max(0, self.parent_office.findData(office.parent_id)))
            self.code.setText(office.code)
            self.code.setReadOnly(True)  # complaint numbers are built from it
            self.code.setToolTip(self.tr("已有单位的代码不能修改：投诉编号由它生成"))
            self.name.setText(office.name)
            self.kind.setCurrentIndex(self.kind.findData(office.kind))
            self.kind.setEnabled(False)
            if office.tier is not None:
                self.tier.setCurrentIndex(self.tier.findData(office.tier))
            self.address.setText(office.address)
            self.phone.setText(office.phone)
            self.seal_text.setText(office.seal_text)
        self._kind_changed()

    @Slot()
    def _kind_changed(self) -> None:
        self.tier.setEnabled(self.kind.currentData() == "station")

    def prepare(self) -> Callable[[], Changed]:
        offices, admin = self._ctx.services.offices, self._ctx.user
        kind = str(self.kind.currentData())
        values = dict(
            office_id=self.office.id if self.office else None, code=self.code.text(),
            name=self.name.text(), kind=kind, parent_id=self.parent_office.currentData(),
            tier=self.tier.currentData() if kind == "station" else None,
            address=self.address.text(), phone=self.phone.text(), seal_text=self.seal_text.text())
        return lambda: offices.save(admin, **values)  # type: ignore[arg-type]


class OfficesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._offices: dict[int, OfficeInfo] = {}
        self._dialog: QDialog | None = None
        self.add_button = QPushButton(self.tr("新增下级单位…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        self.status = QLabel()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("单位名称"), self.tr("代码"), self.tr("类型"),
                                   self.tr("投诉站类别"), self.tr("地址"), self.tr("电话"),
                                   self.tr("印章文字")])
        self.tree.setAlternatingRowColors(True)
        for column, width in ((0, 280), (1, 90), (2, 150), (3, 140)):  # until the user's own layout
            self.tree.setColumnWidth(column, width)
        restore_header(self, self.tree.header(), "offices")
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_button, self.edit_button, status=self.status))
        hint = QLabel(self.tr("选中一个单位后点「新增下级单位」，新单位即设在它之下。"
                              "单位代码是投诉编号的开头，建立后不能修改。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.tree)
        self.add_button.clicked.connect(lambda: self.open_add_office())
        self.edit_button.clicked.connect(lambda: self.open_edit_office())
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_edit_office())
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        self._ctx.ops.query(self._ctx.services.offices.all, self._show, owner=self)

    def _show(self, offices: list[OfficeInfo]) -> None:
        kept = self.selected_office()
        self._offices = {o.id: o for o in offices}
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        # Parents first, whatever order the list is in: walk down from the roots.
        pending = list(offices)
        while pending:
            rest = []
            for o in pending:
                if o.parent_id is not None and o.parent_id not in items and o.parent_id in self._offices:
                    rest.append(o)
                    continue
                parent = items.get(o.parent_id) if o.parent_id is not None else None
                item = QTreeWidgetItem([o.name, o.code, OFFICE_KINDS.get(o.kind, o.kind),
                                        STATION_TIERS.get(o.tier or "", ""), o.address, o.phone,
                                        o.seal_text])
                item.setData(0, KEY_ROLE, o.id)
                if parent is None:
                    self.tree.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                items[o.id] = item
            if len(rest) == len(pending):  # a loop in the data: show the rest at the top
                for o in rest:
                    self.tree.addTopLevelItem(QTreeWidgetItem([o.name, o.code]))
                break
            pending = rest
        self.tree.expandAll()
        if kept is not None and kept.id in items:
            self.tree.setCurrentItem(items[kept.id])
        self._update_buttons()

    def selected_office(self) -> OfficeInfo | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._offices.get(item.data(0, KEY_ROLE))

    def select_office(self, office_id: int) -> None:
        it = QTreeWidgetItemIterator(self.tree)
        while (item := it.value()) is not None:
            if item.data(0, KEY_ROLE) == office_id:
                self.tree.setCurrentItem(item)
                return
            it += 1

    @Slot()
    def _update_buttons(self) -> None:
        office = self.selected_office()
        self.edit_button.setEnabled(office is not None)
        # Nothing sits under a station; with nothing selected the new office is a top level one.
        self.add_button.setEnabled(office is None or office.kind in {
            k for kinds in PARENT_KINDS.values() for k in kinds})

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "office":
            self.reload()

    def open_add_office(self, parent_id: int | None = None) -> OfficeDialog:
        if parent_id is None and (selected := self.selected_office()) is not None:
            parent_id = selected.id
        dialog = OfficeDialog(self._ctx, list(self._offices.values()), None, parent_id, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr("已新增单位。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def open_edit_office(self, office_id: int | None = None) -> OfficeDialog | None:
        office = self._offices.get(office_id) if office_id is not None else self.selected_office()
        if office is None:
            return None
        dialog = OfficeDialog(self._ctx, list(self._offices.values()), office, None, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr("已保存单位信息。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.tree.header(), "offices")
        super().hideEvent(event)
