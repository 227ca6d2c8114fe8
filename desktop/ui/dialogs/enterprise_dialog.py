"""Add or correct one enterprise of the register (企业库); refusals show under the field named."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError, ValidationFailed
from desktop.services.dto import Changed, EnterpriseInfo
from desktop.services.enterprises import EDITORS
from desktop.ui.context import AppContext

ERROR_STYLE = "color: #b00020;"
FIELD_ERROR_STYLE = "border: 1px solid #d93025; border-radius: 2px;"


class EnterpriseDialog(QDialog):
    """`enterprise` None adds one (with `name` typed in already, e.g. from the registration
    form); otherwise corrects it. Emits `sig_saved(id)` and closes once the save went through."""

    sig_saved = Signal(int)  # the enterprise's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 enterprise: EnterpriseInfo | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.enterprise = enterprise
        self.setWindowTitle(self.tr("新增企业") if enterprise is None
                            else self.tr("编辑企业：{0}").format(enterprise.name))
        self.setMinimumWidth(480)

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.credit_code = QLineEdit()
        self.credit_code.setMaxLength(18)
        self.credit_code.setPlaceholderText(self.tr("18 位，可不填；填写后用于自动识别被投诉方"))
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.industry = QLineEdit()
        self.industry.setMaxLength(50)
        self.industry.setPlaceholderText(self.tr("例如 汽车销售、餐饮、美容美发"))
        self.phone = QLineEdit()
        self.phone.setMaxLength(40)
        self.phone.setPlaceholderText(self.tr("手机或固定电话，可不填"))
        self.alliance_member = QCheckBox(self.tr("放心消费联盟成员"))
        self.demo_street = QCheckBox(self.tr("位于放心消费示范街区"))

        form = QFormLayout()
        # Keyed by the labels the service names in FieldError (the phone is 企业电话 there).
        self._messages: dict[str, tuple[QWidget, QLabel]] = {}
        self._add_row(form, self.tr("企业名称"), self.name, ("企业名称",))
        self._add_row(form, self.tr("统一社会信用代码"), self.credit_code, ("统一社会信用代码",))
        self._add_row(form, self.tr("地址"), self.address, ("地址",))
        self._add_row(form, self.tr("行业"), self.industry, ("行业",))
        self._add_row(form, self.tr("电话"), self.phone, ("企业电话", "电话"))
        form.addRow("", self.alliance_member)
        form.addRow("", self.demo_street)

        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        if enterprise is not None:
            self.name.setText(enterprise.name)
            self.credit_code.setText(enterprise.credit_code or "")
            self.address.setText(enterprise.address)
            self.industry.setText(enterprise.industry)
            self.phone.setText(enterprise.phone)
            self.alliance_member.setChecked(enterprise.alliance_member)
            self.demo_street.setChecked(enterprise.demo_street)
        else:
            self.name.setText(name.strip())
        self._saving = False
        self._can_edit = ctx.user.has(*EDITORS)
        if not self._can_edit:
            # The service would refuse anyway; say so before anything is typed.
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(self.tr("您的角色不能维护企业库"))

    def _add_row(self, form: QFormLayout, label: str, widget: QLineEdit,
                 names: tuple[str, ...]) -> None:
        message = QLabel()
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(message)
        form.addRow(label, box)
        for name in names:
            self._messages[name] = (widget, message)
        widget.textEdited.connect(lambda _text, w=widget, m=message: self._clear_one(w, m))

    # -- what tests and the window ask ------------------------------------------------------------
    def error_text(self, field: str) -> str:
        """The red message shown under a field (by its label as the service names it)."""
        return self._messages[field][1].text()

    @property
    def saving(self) -> bool:
        return self._saving

    @Slot()
    def save(self) -> None:
        if self._saving:
            return  # a second click while the first save is under way
        self._clear_all()
        services, user = self.ctx.services, self.ctx.user
        values = dict(
            name=self.name.text(),
            credit_code=self.credit_code.text(),
            address=self.address.text(),
            industry=self.industry.text(),
            phone=self.phone.text(),
            alliance_member=self.alliance_member.isChecked(),
            demo_street=self.demo_street.isChecked(),
            enterprise_id=None if self.enterprise is None else self.enterprise.id,
        )
        self._set_saving(True)
        self.ctx.ops.mutate(lambda: services.enterprises.save(user, **values),  # type: ignore[arg-type]
                            self._saved, owner=self, on_error=self._refused)

    # -- internals --------------------------------------------------------------------------------
    def _saved(self, changed: Changed) -> None:
        self._set_saving(False)
        self.sig_saved.emit(changed.ids[0])
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, ValidationFailed):
            problems = list(error.errors)
        elif isinstance(error, FieldError):
            problems = [error]
        else:
            self.ctx.ops.report(self, error)  # not the user's typing: the reporter tells them
            return
        first: QWidget | None = None
        unplaced = []
        for problem in problems:
            if problem.field in self._messages:
                widget, message = self._messages[problem.field]
                message.setText(problem.message)
                message.show()
                widget.setStyleSheet(FIELD_ERROR_STYLE)
                first = first or widget
            else:
                unplaced.append(f"{problem.field}：{problem.message}")
        if unplaced:
            self.general_error.setText("\n".join(unplaced))
            self.general_error.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(self._can_edit and not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存"))

    def _clear_one(self, widget: QWidget, message: QLabel) -> None:
        if message.text():
            message.clear()
            message.hide()
            widget.setStyleSheet("")

    def _clear_all(self) -> None:
        for widget, message in self._messages.values():
            self._clear_one(widget, message)
        self.general_error.clear()
        self.general_error.hide()
