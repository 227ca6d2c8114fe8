"""The 办理时限 tab: the dated rule sets and their day counts; saving recomputes due dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import DayUnit, RuleSet
from desktop.domain.errors import FieldError
from desktop.services.dto import Changed
from desktop.ui.context import AppContext
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


def recompute_note() -> str:
    return tr("保存后，所有未办结投诉的到期日会按新的时限立即重新计算；"
              "每件投诉按其接收日当天施行的规则计算期限。")


def _unit_label(unit: DayUnit) -> str:
    return tr("工作日") if unit is DayUnit.WORKING else tr("自然日")


def _days(value: int | None, unit: DayUnit = DayUnit.WORKING) -> str:
    if value is None:
        return "—"
    return tr("{n} 个{unit}").format(n=value, unit=_unit_label(unit))


class _Days(QSpinBox):
    """A day count; with `optional`, 0 shows as 不适用 and means None (the rule has no such limit)."""

    def __init__(self, value: int | None, optional: bool) -> None:
        super().__init__()
        self.setRange(0 if optional else 1, 365)
        if optional:
            self.setSpecialValueText(tr("不适用"))
        self.setValue(value or 0)

    def days(self) -> int | None:
        return self.value() or None


class RuleSetDialog(FormDialog):
    """Correct a rule set's day counts (e.g. the confirmed values of new rules), or add one."""

    def __init__(self, ctx: AppContext, rules: RuleSet | None, taken: set[str],
                 parent: QWidget | None = None) -> None:
        title = tr("新增时限规则") if rules is None else tr("修改时限规则：{name}").format(name=rules.name)
        super().__init__(ctx, title, parent)
        self.rules, self._taken = rules, taken
        self.code = self.add_field(self.tr("代码"), QLineEdit(rules.code if rules else ""))
        self.code.setReadOnly(rules is not None)  # complaints record which set they follow
        self.name = self.add_field(self.tr("名称"), QLineEdit(rules.name if rules else ""))
        start = rules.effective_from if rules else date.today()
        self.effective_from = self.add_field(
            self.tr("施行日期"), QDateEdit(QDate(start.year, start.month, start.day)))
        self.effective_from.setCalendarPopup(True)
        self.effective_from.setDisplayFormat("yyyy-MM-dd")
        self.accept_days = self.add_field(self.tr("受理期限（工作日）"),
                                          _Days(rules.accept_days if rules else 7, False), "受理期限")
        self.mediation_days = _Days(rules.mediation_days if rules else 45, False)
        self.mediation_unit = QComboBox()
        for unit in DayUnit:
            self.mediation_unit.addItem(_unit_label(unit), unit.value)
        self.mediation_unit.setCurrentIndex(
            self.mediation_unit.findData((rules.mediation_unit if rules else DayUnit.WORKING).value))
        mediation = QWidget()
        row = QHBoxLayout(mediation)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.mediation_days)
        row.addWidget(self.mediation_unit)
        row.addStretch(1)
        self.add_field(self.tr("调解期限"), mediation)
        self.termination_notice_days = self.add_field(
            self.tr("终止调解告知（工作日）"),
            _Days(rules.termination_notice_days if rules else 7, True), "终止调解告知")
        self.violation_check_days = self.add_field(
            self.tr("违法线索核查（工作日）"),
            _Days(rules.violation_check_days if rules else 15, True), "违法线索核查")
        self.violation_check_extension = self.add_field(
            self.tr("核查可延长（工作日）"),
            _Days(rules.violation_check_extension if rules else 15, True), "核查可延长")
        self.odr_days = self.add_field(self.tr("先行和解 ODR（工作日）"),
                                       _Days(rules.odr_days if rules else 10, True), "ODR")
        self.tentative = self.add_field(self.tr("数值待确认"), QCheckBox(
            self.tr("期限旁提示这些数值尚待确认")), "待确认")
        self.tentative.setChecked(rules.tentative if rules else False)
        self.note = self.add_field(self.tr("说明"), QPlainTextEdit(rules.note if rules else ""))
        self.note.setFixedHeight(70)
        recompute = QLabel(recompute_note())
        recompute.setWordWrap(True)
        self.form.addRow(recompute)

    def prepare(self) -> Callable[[], Changed]:
        code = self.code.text().strip()
        if self.rules is None:
            if not code:
                raise FieldError("代码", self.tr("不能为空"))
            if code in self._taken:  # saving would overwrite that set
                raise FieldError("代码", self.tr("「{code}」已存在").format(code=code))
        if not self.name.text().strip():
            raise FieldError("名称", self.tr("不能为空"))
        if self.violation_check_extension.days() and not self.violation_check_days.days():
            raise FieldError("核查可延长", self.tr("没有核查期限时不能有延长"))
        rules = RuleSet(
            code=code,
            name=self.name.text().strip(),
            effective_from=self.effective_from.date().toPython(),
            accept_days=self.accept_days.value(),
            mediation_days=self.mediation_days.value(),
            mediation_unit=DayUnit(self.mediation_unit.currentData()),
            termination_notice_days=self.termination_notice_days.days(),
            violation_check_days=self.violation_check_days.days(),
            violation_check_extension=self.violation_check_extension.days(),
            odr_days=self.odr_days.days(),
            tentative=self.tentative.isChecked(),
            note=self.note.toPlainText().strip(),
        )
        reference, admin = self._ctx.services.reference, self._ctx.user
        return lambda: reference.save_rule_set(admin, rules)


class RulesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rules: dict[str, RuleSet] = {}
        self._dialog: QDialog | None = None
        self.edit_button = QPushButton(self.tr("修改…"))
        self.add_button = QPushButton(self.tr("新增…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = make_table([
            self.tr("代码"), self.tr("名称"), self.tr("施行日期"), self.tr("受理期限"),
            self.tr("调解期限"), self.tr("终止调解告知"), self.tr("违法线索核查"),
            self.tr("核查可延长"), self.tr("先行和解 ODR"), self.tr("数值待确认"), self.tr("说明")])
        restore_header(self, self.table.horizontalHeader(), "rules")
        hint = QLabel(recompute_note())
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.edit_button, self.add_button))
        layout.addWidget(hint)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.edit_button.clicked.connect(self.open_edit_rules)
        self.add_button.clicked.connect(self.open_add_rules)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_edit_rules)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        self._ctx.ops.query(self._ctx.services.reference.rule_sets, self._show, owner=self)

    def _show(self, rule_sets: list[RuleSet]) -> None:
        ordered = sorted(rule_sets, key=lambda r: r.effective_from)
        self._rules = {r.code: r for r in ordered}
        fill_table(self.table, [
            (r.code, [r.code, r.name, r.effective_from.isoformat(), _days(r.accept_days),
                      _days(r.mediation_days, r.mediation_unit),
                      _days(r.termination_notice_days), _days(r.violation_check_days),
                      _days(r.violation_check_extension), _days(r.odr_days),
                      self.tr("是") if r.tentative else "", r.note])
            for r in ordered])
        self._update_buttons()

    def selected_rules(self) -> RuleSet | None:
        key = selected_key(self.table)
        return self._rules.get(key) if key is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected_rules() is not None)

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "rule_set":
            self.reload()

    def open_edit_rules(self) -> RuleSetDialog | None:
        rules = self.selected_rules()
        if rules is None:
            return None
        return self._open(RuleSetDialog(self._ctx, rules, set(self._rules), self))

    def open_add_rules(self) -> RuleSetDialog:
        return self._open(RuleSetDialog(self._ctx, None, set(self._rules), self))

    def _open(self, dialog: RuleSetDialog) -> RuleSetDialog:
        dialog.sig_saved.connect(lambda _: self.status.setText(self.tr(
            "已保存「{name}」。所有未办结投诉的到期日已按新时限重新计算。").format(
                name=dialog.name.text().strip())))
        self._dialog = show_dialog(self._dialog, dialog)
        return dialog

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        save_header(self, self.table.horizontalHeader(), "rules")
        super().hideEvent(event)
