"""Add or correct one enterprise of the register (企业库); refusals show under the field named."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
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

from desktop.services.dto import Changed, EnterpriseInfo
from desktop.services.enterprises import EDITORS
from desktop.ui.context import AppContext
from desktop.ui.widgets.field_errors import FieldErrors


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
        # Errors that name no field of this form go above the buttons.
        self.general_error = QLabel()
        self.errors = FieldErrors(self.general_error, self)
        # Keyed by the labels the service names in FieldError (the phone is 企业电话 there).
        for label, widget, aliases in (("企业名称", self.name, ()),
                                       ("统一社会信用代码", self.credit_code, ()),
                                       ("地址", self.address, ()), ("行业", self.industry, ()),
                                       ("电话", self.phone, ("企业电话",))):
            form.addRow(self.tr(label), self.errors.field(label, widget, *aliases))
        form.addRow("", self.alliance_member)
        form.addRow("", self.demo_street)

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

    # -- what tests and the window ask ------------------------------------------------------------
    def error_text(self, field: str) -> str:
        """The red message shown under a field (by its label as the service names it)."""
        return self.errors.message_of(field)

    @property
    def saving(self) -> bool:
        return self._saving

    @Slot()
    def save(self) -> None:
        if self._saving:
            return  # a second click while the first save is under way
        self.errors.clear()
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
        if not self.errors.show(error):
            self.ctx.ops.report(self, error)  # not the user's typing: the reporter tells them

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(self._can_edit and not saving)
        self.save_button.setText(self.tr("正在保存…") if saving else self.tr("保存"))

