"""First start: which office this computer belongs to, and the first administrator — a new
office's first PC, or one more PC joining an office the district already knows."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bootstrap import Services
from desktop.domain.errors import FieldError
from desktop.domain.offices import STATION_TIERS
from desktop.services.dto import UserInfo
from desktop.services.offices import OfficeSpec
from desktop.ui.ops import Ops
from desktop.ui.views.settings.sync_enrol import CertificateField
from desktop.ui.widgets.field_errors import FieldErrors


class SetupDialog(QDialog):
    """Creates district → sub-bureau (→ station) and the administrator in one transaction set."""

    sig_initialized = Signal(object)  # UserInfo of the administrator

    def __init__(self, services: Services, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.ops = services, ops
        self.setWindowTitle(self.tr("和解台 — 首次使用设置"))
        self.setMinimumWidth(760)
        intro = QLabel(self.tr(
            "这台电脑上还没有和解台的数据库。请填写本单位的信息和第一个管理员账号，"
            "之后可在“设置”中添加其他用户。单位代码用于投诉单号（例如 WZCQ-20261122-0001），"
            "设定后不能更改，请与区局统一的代码一致。"))
        intro.setWordWrap(True)

        # New office, or one more PC of an office that already works (issue 22).
        self.mode_new = QRadioButton(self.tr("新建本单位的数据库（本单位的第一台电脑）"))
        self.mode_join = QRadioButton(self.tr("加入已有单位（本单位已有电脑在用，用区局给的登记码）"))
        self.mode_new.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.mode_new)
        modes.addButton(self.mode_join)
        self.mode_join.toggled.connect(self._mode_changed)
        self.hub_url, self.enrol_code = QLineEdit(), QLineEdit()
        self.hub_url.setPlaceholderText(self.tr("例如 https://10.1.2.3:8443"))
        self.enrol_code.setPlaceholderText(self.tr("例如 K7QM-3XPA"))
        self.certificate = CertificateField()

        self.kind_station = QRadioButton(self.tr("企业投诉监督站"))
        self.kind_sub_bureau = QRadioButton(self.tr("市场监督管理分局"))
        self.kind_sub_bureau.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.kind_sub_bureau)
        kinds.addButton(self.kind_station)
        self.kind_station.toggled.connect(self._kind_changed)

        self.district_code, self.district_name = QLineEdit(), QLineEdit()
        self.bureau_code, self.bureau_name = QLineEdit(), QLineEdit()
        self.station_code, self.station_name = QLineEdit(), QLineEdit()
        self.station_tier = QComboBox()
        for code, label in STATION_TIERS.items():
            self.station_tier.addItem(self.tr(label), code)
        self.district_code.setPlaceholderText(self.tr("例如 WZ"))
        self.district_name.setPlaceholderText(self.tr("例如 吴中区市场监督管理局"))
        self.bureau_code.setPlaceholderText(self.tr("例如 WZCQ"))
        self.bureau_name.setPlaceholderText(self.tr("例如 长桥分局"))
        self.station_code.setPlaceholderText(self.tr("例如 WZCQ01"))
        self.station_name.setPlaceholderText(self.tr("例如 万达广场消费投诉监督站"))
        self.admin_username, self.admin_name = QLineEdit("admin"), QLineEdit()
        self.password, self.password_again = QLineEdit(), QLineEdit()
        for box in (self.password, self.password_again):
            box.setEchoMode(QLineEdit.EchoMode.Password)

        # The grey examples say 例如 and are paler than typed text, so they are not taken
        # for values already filled in.
        for box in (self.hub_url, self.enrol_code, self.district_code, self.district_name,
                    self.bureau_code, self.bureau_name, self.station_code, self.station_name):
            palette = box.palette()
            palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a0a0a0"))
            box.setPalette(palette)
        general = QLabel()
        # Messages to the right of the fields: the dialog must fit 768 px of height, and the
        # fields must not move as messages come and go.
        self.errors = FieldErrors(general, self, beside=True)
        office = QGroupBox(self.tr("本单位"))
        office_form = QFormLayout(office)
        office_form.addRow(self.tr("本机属于"), self._row(self.kind_sub_bureau, self.kind_station))
        self._add(office_form, "区局代码", self.district_code)
        self._add(office_form, "区局名称", self.district_name)
        self._add(office_form, "分局代码", self.bureau_code)
        self._add(office_form, "分局名称", self.bureau_name)
        self.station_rows = [
            self._add(office_form, "投诉站代码", self.station_code),
            self._add(office_form, "投诉站名称", self.station_name),
            self._add(office_form, "投诉站类别", self.station_tier),
        ]
        self.office_form = office_form
        self.office_box = office
        join = QGroupBox(self.tr("加入已有单位"))
        join_form = QFormLayout(join)
        join_note = QLabel(self.tr(
            "单位、投诉和调解记录等从区局同步服务器取得；本机用自己的一段投诉编号"
            "（如 1001 起），与本单位其他电脑离线登记也不会重复。本机的管理员账号在下面新建。"))
        join_note.setWordWrap(True)
        join_form.addRow(join_note)
        self._add(join_form, "服务器地址", self.hub_url)
        self._add(join_form, "登记码", self.enrol_code)
        self._add(join_form, "证书文件", self.certificate)
        self.join_box = join
        admin = QGroupBox(self.tr("第一个管理员"))
        self.admin_box = admin
        admin_form = QFormLayout(admin)
        self._add(admin_form, "用户名", self.admin_username)
        self._add(admin_form, "姓名", self.admin_name)
        self._add(admin_form, "密码", self.password)
        self._add(admin_form, "再输一次密码", self.password_again)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("创建数据库"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._row(self.mode_new))
        layout.addWidget(self._row(self.mode_join))
        layout.addWidget(office)
        layout.addWidget(join)
        layout.addWidget(admin)
        layout.addWidget(general)
        layout.addWidget(self.buttons)
        self._kind_changed(False)
        self._mode_changed(False)

    def _mode_changed(self, join: bool) -> None:
        self.office_box.setVisible(not join)
        self.join_box.setVisible(join)
        self.admin_box.setTitle(self.tr("本机的管理员") if join else self.tr("第一个管理员"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("加入并同步") if join else self.tr("创建数据库"))
        self.adjustSize()

    def _row(self, *widgets: QWidget) -> QWidget:
        from PySide6.QtWidgets import QHBoxLayout

        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            row.addWidget(w)
        row.addStretch()
        return box

    def _add(self, form: QFormLayout, label: str, widget: QWidget) -> QWidget:
        holder = self.errors.field(label, widget)
        form.addRow(self.tr(label), holder)
        return holder

    def _kind_changed(self, station: bool) -> None:
        for holder in self.station_rows:
            self.office_form.setRowVisible(holder, station)

    def specs(self) -> tuple[list[OfficeSpec], str]:
        district = self.district_code.text().strip().upper()
        bureau = self.bureau_code.text().strip().upper()
        specs = [
            OfficeSpec(district, self.district_name.text().strip(), "district"),
            OfficeSpec(bureau, self.bureau_name.text().strip(), "sub_bureau", district),
        ]
        local = bureau
        if self.kind_station.isChecked():
            local = self.station_code.text().strip().upper()
            specs.append(OfficeSpec(local, self.station_name.text().strip(), "station", bureau,
                                    self.station_tier.currentData()))
        return specs, local

    def _check(self) -> list[FieldError]:
        """What can be said before the services look: empty names, codes repeated, passwords."""
        problems = []
        names = [("区局名称", self.district_name), ("分局名称", self.bureau_name)]
        codes = [("区局代码", self.district_code), ("分局代码", self.bureau_code)]
        if self.kind_station.isChecked():
            names.append(("投诉站名称", self.station_name))
            codes.append(("投诉站代码", self.station_code))
        problems += [FieldError(label, self.tr("不能为空")) for label, box in names + codes
                     if not box.text().strip()]
        seen: dict[str, str] = {}
        for label, box in codes:
            code = box.text().strip().upper()
            if code and code in seen:
                problems.append(FieldError(label, self.tr("与{0}相同，各级单位的代码不能重复").format(seen[code])))
            seen.setdefault(code, label)
        if self.password.text() != self.password_again.text():
            problems.append(FieldError("再输一次密码", self.tr("两次输入的密码不一致")))
        return problems

    def submit(self) -> None:
        if self.mode_join.isChecked():
            self.submit_join()
            return
        from desktop.domain.errors import ValidationFailed

        problems = self._check()
        if problems:
            self.errors.show(ValidationFailed(problems))
            return
        specs, local = self.specs()
        username, name, secret = (self.admin_username.text().strip(), self.admin_name.text().strip(),
                                  self.password.text())
        self.buttons.setEnabled(False)

        def work() -> UserInfo:
            # Code fields are checked per office; name the right box when one is refused.
            from desktop.domain.numbering import check_office_code

            for spec, label in zip(specs, ("区局代码", "分局代码", "投诉站代码"), strict=False):
                try:
                    check_office_code(spec.code)
                except FieldError as exc:
                    raise FieldError(label, exc.message) from exc
            admin = self.services.setup.initialize(
                offices=specs, local_office_code=local, admin_username=username,
                admin_name=name, admin_password=secret)
            self._recovery_key()
            return admin

        self.ops.mutate(work, self._done, owner=self, on_error=self._refused)

    def submit_join(self) -> None:
        """Enrol with the office's code, set up from the hub's answer, then the first sync."""
        from desktop.domain.errors import DomainError, ValidationFailed

        problems = [FieldError(label, self.tr("不能为空")) for label, box in
                    (("服务器地址", self.hub_url), ("登记码", self.enrol_code)) if not box.text().strip()]
        if self.password.text() != self.password_again.text():
            problems.append(FieldError("再输一次密码", self.tr("两次输入的密码不一致")))
        if problems:
            self.errors.show(ValidationFailed(problems))
            return
        url, code = self.hub_url.text().strip(), self.enrol_code.text().strip()
        ca = self.certificate.edit.text().strip()
        username, name, secret = (self.admin_username.text().strip(), self.admin_name.text().strip(),
                                  self.password.text())
        services = self.services
        self.buttons.setEnabled(False)

        def work() -> UserInfo:
            admin = services.sync.join(services.setup, url, code, admin_username=username,
                                       admin_name=name, admin_password=secret, ca_bundle=ca)
            self._recovery_key()
            try:  # the office's records now; offline, the next round brings them
                services.sync.run()
            except DomainError as exc:
                self.first_sync_error = str(exc)
            return admin

        self.first_sync_error = ""
        self.ops.mutate(work, self._joined, owner=self, on_error=self._refused)

    def _joined(self, admin: UserInfo) -> None:
        if self.first_sync_error:
            from desktop.ui.widgets import messages

            messages.warn(self, self.tr("已加入本单位"), self.tr(
                "本机已登记到区局，但第一次同步没有完成：{0}\n\n登录后可在「设置 → 同步」中"
                "点「立即同步」取得本单位的记录。").format(self.first_sync_error))
        self._done(admin)

    def _recovery_key(self) -> None:
        """On the database worker, right after set-up: the recovery key and what its sheet says."""
        setup = self.services.setup
        self.recovery = (setup.first_recovery_key(), self.services.offices.local().name,
                         self.services.ctx.clock.now())

    def _done(self, admin: UserInfo) -> None:
        from desktop.ui.dialogs.recovery import RecoveryKeyDialog

        self.sig_initialized.emit(admin)
        code, office, issued = self.recovery
        self.key_dialog = RecoveryKeyDialog(code, office, issued, parent=self)
        self.key_dialog.accepted.connect(self.accept)
        self.key_dialog.show()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not self.errors.show(error):
            self.ops.report(self, error)
