"""The 代码表 tab: the choices offered in forms (channels, categories, grounds …), kind by kind."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError
from desktop.services.dto import Changed, CodeInfo
from desktop.ui.context import CODE_KINDS, AppContext
from desktop.ui.settings import restore_header, save_header
from desktop.ui.views.settings.common import (
    FormDialog,
    button_row,
    fill_table,
    make_table,
    selected_key,
    show_dialog,
    tr,
)
from desktop.ui.widgets import messages

# Codes are stored in complaints and exchanged with the district: plain identifiers.
_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,32}$")


def kind_labels() -> dict[str, str]:
    return {
        "channel": tr("来源渠道"),
        "category": tr("投诉分类"),
        "request_type": tr("诉求类型"),
        "mediation_means": tr("调解方式"),
        "id_type": tr("证件类型"),
        "national_class": tr("国家分类（12315，待确认）"),
    }


class CodeDialog(FormDialog):
    """Add a code to a table, or change the label of one (its code stays: complaints use it)."""

    def __init__(self, ctx: AppContext, kind: str, existing: list[CodeInfo],
                 item: CodeInfo | None = None, parent: QWidget | None = None) -> None:
        what = kind_labels().get(kind, kind)
        title = (tr("新增{kind}").format(kind=what) if item is None
                 else tr("修改{kind}：{label}").format(kind=what, label=item.label))
        super().__init__(ctx, title, parent)
        self.kind, self.item = kind, item
        self._taken = {c.code for c in existing}
        self.code = self.add_field(self.tr("代码"), QLineEdit())
        self.code.setPlaceholderText(self.tr("英文字母、数字或下划线，如 livestream"))
        self.label = self.add_field(self.tr("名称"), QLineEdit())
        if item is not None:
            self.code.setText(item.code)
            self.code.setReadOnly(True)
            self.label.setText(item.label)

    def prepare(self) -> Callable[[], Changed]:
        code, label = self.code.text().strip(), self.label.text().strip()
        if self.item is None:
            if not _CODE_RE.match(code):
                raise FieldError("代码", self.tr("只能用英文字母、数字和下划线，1–32 位"))
            # save_code would quietly relabel an existing code: refuse a duplicate here.
            if code in self._taken:
                raise FieldError("代码", self.tr("「{code}」已存在").format(code=code))
        if not label:
            raise FieldError("名称", self.tr("不能为空"))
        if len(label) > 200:
            raise FieldError("名称", self.tr("不能超过 200 个字"))
        reference, admin, kind = self._ctx.services.reference, self._ctx.user, self.kind
        active = self.item.active if self.item is not None else True
        return lambda: reference.save_code(admin, kind, code, label, active)


class CodesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._items: dict[str, CodeInfo] = {}
        self._dialog: QDialog | None = None
        self.kind = QComboBox()
        for kind, label in kind_labels().items():
            if kind in CODE_KINDS:
                self.kind.addItem(label, kind)
        self.add_button = QPushButton(self.tr("新增…"))
        self.edit_button = QPushButton(self.tr("修改名称…"))
        self.active_button = QPushButton(self.tr("停用"))
        self.class_button = QPushButton(self.tr("对应国家分类…"))
        self.class_button.setToolTip(self.tr("统计可按国家（12315）分类显示和导出：为所选投诉分类指定它属于哪个国家分类"))
        self._classes: dict[str, str | None] = {}
        self._class_labels: dict[str, str] = {}
        self.status = QLabel()
        self.table = make_table([self.tr("代码"), self.tr("名称"), self.tr("状态")])
        restore_header(self, self.table.horizontalHeader(), "codes")
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("代码表：")))
        pick.addWidget(self.kind)
        pick.addStretch(1)
        hint = QLabel(self.tr("停用的项目在登记和办理时不再出现，已经使用它的投诉不受影响。"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.active_button,
                                    self.class_button, status=self.status))
        layout.addWidget(hint)
        layout.addWidget(self.table)
        self.kind.currentIndexChanged.connect(self.reload)
        self.add_button.clicked.connect(self.open_add_code)
        self.edit_button.clicked.connect(self.open_edit_code)
        self.active_button.clicked.connect(self.toggle_active)
        self.class_button.clicked.connect(self.choose_national_class)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_edit_code)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    @Slot()
    def reload(self) -> None:
        services, kind = self._ctx.services, self.current_kind()

        def read():  # type: ignore[no-untyped-def]
            items = services.reference.codes(kind, include_inactive=True)
            if kind != "category":
                return kind, items, {}, {}
            classes = {c.code: c.label for c in services.reference.codes("national_class", True)}
            return kind, items, services.national_classes.mapping(), classes
        self._ctx.ops.query(read, self._show, owner=self)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        kind, items, mapping, classes = result
        if kind != self.current_kind():  # the user picked another table meanwhile
            return
        self._items = {c.code: c for c in items}
        self._classes, self._class_labels = mapping, classes
        rows = []
        for c in items:
            row = [c.code, c.label, self.tr("使用中") if c.active else self.tr("已停用")]
            if kind == "category":
                parent = mapping.get(c.code)
                row.append(classes.get(parent, parent) if parent else self.tr("（未对应）"))
            rows.append((c.code, row))
        headers = [self.tr("代码"), self.tr("名称"), self.tr("状态")]
        if kind == "category":
            headers.append(self.tr("国家分类"))
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        fill_table(self.table, rows)
        self._update_buttons()

    def choose_national_class(self, chosen: str | None = None) -> None:
        """Pick the national class of the selected category (`chosen`: a code, for tests)."""
        item = self.selected_code()
        if item is None or self.current_kind() != "category":
            return
        if chosen is None:
            from PySide6.QtWidgets import QInputDialog

            labels = [self.tr("（不对应）")] + list(self._class_labels.values())
            current = self._class_labels.get(self._classes.get(item.code) or "", labels[0])
            label, ok = QInputDialog.getItem(
                self, self.tr("对应国家分类"),
                self.tr("「{label}」属于哪个国家（12315）分类：").format(label=item.label),
                labels, labels.index(current) if current in labels else 0, False)
            if not ok:
                return
            chosen = next((k for k, v in self._class_labels.items() if v == label), "")
        service, admin, code = self._ctx.services.national_classes, self._ctx.user, item.code
        self._ctx.ops.mutate(lambda: service.set_class(admin, code, chosen or None),
                             lambda _: self.status.setText(self.tr("已保存国家分类对应。")),
                             owner=self)

    def selected_code(self) -> CodeInfo | None:
        key = selected_key(self.table)
        return self._items.get(key) if key is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        item = self.selected_code()
        self.edit_button.setEnabled(item is not None)
        self.active_button.setEnabled(item is not None)
        self.active_button.setText(self.tr("启用") if item and not item.active else self.tr("停用"))
        self.class_button.setVisible(self.current_kind() == "category")
        self.class_button.setEnabled(item is not None)

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "code":
            self.reload()

    def open_add_code(self) -> CodeDialog:
        dialog = CodeDialog(self._ctx, self.current_kind(), list(self._items.values()), None, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr("已新增。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def open_edit_code(self) -> CodeDialog | None:
        item = self.selected_code()
        if item is None:
            return None
        dialog = CodeDialog(self._ctx, self.current_kind(), list(self._items.values()), item, self)
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr("已保存。")))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def toggle_active(self) -> None:
        item = self.selected_code()
        if item is None:
            return
        active = not item.active
        if not active and not messages.confirm(
                self, self.tr("停用"),
                self.tr("停用「{label}」后，登记和办理时不再提供这一项；已经使用它的投诉不受影响。"
                        "确定停用吗？").format(label=item.label)):
            return
        reference, admin, kind = self._ctx.services.reference, self._ctx.user, self.current_kind()
        self._ctx.ops.mutate(
            lambda: reference.save_code(admin, kind, item.code, item.label, active),
            lambda _: self.status.setText(
                (self.tr("已启用「{label}」。") if active else self.tr("已停用「{label}」。")).format(
                    label=item.label)),
            owner=self)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader(), "codes")
        super().hideEvent(event)
