"""The 办理时限 tab: the dated rule sets and their day counts; saving recomputes due dates.

When the program ships new values of a rule set this office's administrator had edited, the tab
shows the office's values beside the new ones, with 采用新规定 and 保留本单位设置."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import LIMIT_LABELS, Confidence, DayUnit, Grounds, PeriodEnd, RuleSet
from desktop.domain.errors import FieldError
from desktop.services.dto import Changed
from desktop.services.reference import RuleSetOffer
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
    if unit is DayUnit.CALENDAR:
        return tr("{n} 日（自然日）").format(n=value)
    return tr("{n} 个{unit}").format(n=value, unit=_unit_label(unit))


def _period_end_label(end: PeriodEnd) -> str:
    if end is PeriodEnd.NEXT_WORKING_DAY:
        return tr("顺延至下一个工作日")
    return tr("不顺延")


FORMS_EDITIONS = ("2020", "2026")
OPEN_STYLE = "color: #8a4b00; background: #ffe9b3; border: 1px solid #e8b04a; padding: 0 4px;"
OPEN_COLOUR = "#ffe9b3"


def _confidence_label(rules: RuleSet | None, limit: str) -> QLabel:
    """How sure the set is of a limit (已确认 / 较可靠 / 待确认), 待确认 marked; blank when the set
    says nothing of it (a set an administrator added)."""
    how = rules.how_sure(limit) if rules is not None else None
    label = QLabel(tr(how.label) if how is not None else "")
    label.setObjectName(f"confidence_{limit}")
    if how is Confidence.OPEN:
        label.setStyleSheet(OPEN_STYLE)
        label.setToolTip(tr("这一数值尚未找到权威出处，请核对后修改"))
    elif how is Confidence.LIKELY:
        label.setStyleSheet("color: #555;")
        label.setToolTip(tr("有一处较详细的出处"))
    elif how is Confidence.FIRM:
        label.setStyleSheet("color: #2e7d32;")
        label.setToolTip(tr("多个出处一致"))
    return label


def _open_limits(r: RuleSet) -> str:
    return "、".join(tr(LIMIT_LABELS.get(k, k)) for k, how in r.confidence if how is Confidence.OPEN)


def _grounds_summary(r: RuleSet) -> str:
    return tr("不予受理依据 {0} 项，终止调解依据 {1} 项").format(
        len(r.rejection_grounds), len(r.termination_grounds))


class GroundsTable(QWidget):
    """A set's grounds (code, wording) in the order the form lists them; rows can be added,
    removed and reworded. The code is what complaints record: keep it when rewording."""

    def __init__(self, title: str, grounds: Grounds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([tr("代码"), tr("依据文字")])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setColumnWidth(0, 150)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for code, wording in grounds:
            self.add_row(code, wording)
        self.table.itemChanged.connect(lambda _: self.table.resizeRowsToContents())
        # Rows grow to the wrapped wording once the table has its width (and when it changes).
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.table.resizeRowsToContents())
        self.add_button = QPushButton(tr("添加一项"))
        self.remove_button = QPushButton(tr("删除所选"))
        self.add_button.clicked.connect(lambda: self.add_row("", "", edit=True))
        self.remove_button.clicked.connect(self.remove_selected)
        hint = QLabel(tr("双击修改。代码是投诉记录所用的，修改文字时请保留代码；已用于投诉的依据不要删除。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(button_row(self.add_button, self.remove_button))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def add_row(self, code: str, wording: str, edit: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        self.table.setItem(row, 1, QTableWidgetItem(wording))
        self.table.resizeRowsToContents()
        if edit:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def set_wording(self, code: str, wording: str) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text().strip() == code:
                self.table.item(row, 1).setText(wording)
                return True
        return False

    def grounds(self) -> Grounds:
        """The rows, blank ones left out; FieldError names what is wrong."""
        out: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            code = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            wording = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            if not code and not wording:
                continue
            if not code or not wording:
                raise FieldError(self.title, tr("第 {0} 行的代码和依据文字都要填写").format(row + 1))
            if code in dict(out):
                raise FieldError(self.title, tr("代码「{0}」重复").format(code))
            out.append((code, wording))
        return tuple(out)


# What the comparison of the office's values with new shipped ones shows, in order.
_COMPARED: tuple[tuple[str, Callable[[RuleSet], str]], ...] = (
    ("名称", lambda r: r.name),
    ("施行日期", lambda r: r.effective_from.isoformat()),
    ("受理期限", lambda r: _days(r.accept_days)),
    ("调解期限", lambda r: _days(r.mediation_days, r.mediation_unit)),
    ("期限末日遇节假日", lambda r: _period_end_label(r.period_end)),
    ("终止调解告知", lambda r: _days(r.termination_notice_days)),
    ("违法线索核查", lambda r: _days(r.violation_check_days)),
    ("核查可延长", lambda r: _days(r.violation_check_extension)),
    ("先行和解 ODR", lambda r: _days(r.odr_days)),
    ("举报核查", lambda r: _days(r.report_check_days)),
    ("举报核查可延长", lambda r: _days(r.report_check_extension)),
    ("不予受理依据", lambda r: "\n".join(w for _, w in r.rejection_grounds)),
    ("终止调解依据", lambda r: "\n".join(w for _, w in r.termination_grounds)),
    ("文书版本", lambda r: r.forms),
    ("数值待确认", lambda r: tr("是") if r.tentative else tr("否")),
    ("说明", lambda r: r.note),
)


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
    """Correct a rule set's day counts (e.g. the confirmed values of new rules), its grounds'
    wording and its forms' edition, or add one. Beside each limit: how sure the set is of it."""

    def __init__(self, ctx: AppContext, rules: RuleSet | None, taken: set[str],
                 parent: QWidget | None = None) -> None:
        title = tr("新增时限规则") if rules is None else tr("修改时限规则：{name}").format(name=rules.name)
        super().__init__(ctx, title, parent)
        self.setMinimumWidth(640)
        self.rules, self._taken = rules, taken
        self.confidence: dict[str, QLabel] = {}
        self._tabs_from_form()
        self.code = self.add_field(self.tr("代码"), QLineEdit(rules.code if rules else ""))
        self.code.setReadOnly(rules is not None)  # complaints record which set they follow
        self.name = self.add_field(self.tr("名称"), QLineEdit(rules.name if rules else ""))
        start = rules.effective_from if rules else date.today()
        self.effective_from = self.add_field(
            self.tr("施行日期"), QDateEdit(QDate(start.year, start.month, start.day)))
        self.effective_from.setCalendarPopup(True)
        self.effective_from.setDisplayFormat("yyyy-MM-dd")
        self.accept_days = _Days(rules.accept_days if rules else 7, False)
        self._limit(self.tr("受理期限（工作日）"), self.accept_days, "accept_days", "受理期限")
        self.mediation_days = _Days(rules.mediation_days if rules else 45, False)
        self.mediation_unit = QComboBox()
        for unit in DayUnit:
            self.mediation_unit.addItem(_unit_label(unit), unit.value)
        self.mediation_unit.setCurrentIndex(
            self.mediation_unit.findData((rules.mediation_unit if rules else DayUnit.WORKING).value))
        self._limit(self.tr("调解期限"), [self.mediation_days, self.mediation_unit], "mediation_days",
                    "调解期限")
        self.period_end = QComboBox()
        for end in PeriodEnd:
            self.period_end.addItem(_period_end_label(end), end.value)
        self.period_end.setCurrentIndex(self.period_end.findData(
            (rules.period_end if rules else PeriodEnd.NEXT_WORKING_DAY).value))
        self.period_end.setToolTip(self.tr(
            "按自然日计算的期限，最后一日是周末或法定节假日时：顺延至其后的第一个工作日，"
            "或仍以该日为期限届满日。按工作日计算的期限总是在工作日届满。"))
        self._limit(self.tr("期限末日遇节假日"), self.period_end, "period_end", "期限末日遇节假日")
        self.termination_notice_days = _Days(rules.termination_notice_days if rules else 7, True)
        self._limit(self.tr("终止调解告知（工作日）"), self.termination_notice_days,
                    "termination_notice_days", "终止调解告知")
        self.violation_check_days = _Days(rules.violation_check_days if rules else 15, True)
        self._limit(self.tr("违法线索核查（工作日）"), self.violation_check_days,
                    "violation_check_days", "违法线索核查")
        self.violation_check_extension = _Days(rules.violation_check_extension if rules else 15, True)
        self._limit(self.tr("核查可延长（工作日）"), self.violation_check_extension,
                    "violation_check_days", "核查可延长", show=False)
        self.report_check_days = _Days(rules.report_check_days if rules else 15, True)
        self._limit(self.tr("举报核查（工作日）"), self.report_check_days, "report_check_days",
                    "举报核查")
        self.report_check_extension = _Days(rules.report_check_extension if rules else 15, True)
        self._limit(self.tr("举报核查可延长（工作日）"), self.report_check_extension,
                    "report_check_days", "举报核查可延长", show=False)
        self.odr_days = _Days(rules.odr_days if rules else 10, True)
        self._limit(self.tr("先行和解 ODR（工作日）"), self.odr_days, "odr_days", "ODR")
        self.forms = QComboBox()
        for edition in FORMS_EDITIONS:
            self.forms.addItem(self.tr("{0} 年版").format(edition), edition)
        self.forms.setCurrentIndex(max(0, self.forms.findData(rules.forms if rules else "2026")))
        self.forms.setToolTip(self.tr("按这套规则办理的投诉打印哪一版文书"))
        self.add_field(self.tr("文书版本"), self.forms)
        self.tentative = self.add_field(self.tr("数值待确认"), QCheckBox(
            self.tr("期限旁提示这些数值尚待确认")), "待确认")
        self.tentative.setChecked(rules.tentative if rules else False)
        self.note = self.add_field(self.tr("说明"), QPlainTextEdit(rules.note if rules else ""))
        self.note.setFixedHeight(60)
        legend = QLabel(self.tr("数值右侧为可靠程度：已确认（多个出处一致）、较可靠（一处较详细的出处）、"
                                "<span style='{0}'>待确认</span>（未找到出处，请核对后修改）。")
                        .format(OPEN_STYLE))
        legend.setWordWrap(True)
        self.form.addRow(legend)
        recompute = QLabel(recompute_note())
        recompute.setWordWrap(True)
        self.form.addRow(recompute)
        self.rejection = GroundsTable("不予受理依据", rules.rejection_grounds if rules else ())
        self.termination = GroundsTable("终止调解依据", rules.termination_grounds if rules else ())
        for grounds, label in ((self.rejection, "不予受理依据"), (self.termination, "终止调解依据")):
            self.tabs.addTab(self.errors.field(label, grounds), self.tr(label))
        self._count_grounds()
        for grounds in (self.rejection, self.termination):
            grounds.table.model().rowsInserted.connect(self._count_grounds)
            grounds.table.model().rowsRemoved.connect(self._count_grounds)
        how = rules.how_sure("grounds") if rules else None
        if how is not None:
            self.grounds_confidence = QLabel(self.tr("依据文字的可靠程度：{0}").format(self.tr(how.label)))
            if how is Confidence.OPEN:
                self.grounds_confidence.setStyleSheet(OPEN_STYLE)
            self.layout().insertWidget(1, self.grounds_confidence)
        if rules is None:
            self.layout().insertWidget(1, QLabel(self.tr("依据留空时，按这套规则办理的投诉沿用最新施行规则的依据。")))

    def _tabs_from_form(self) -> None:
        """The day counts on the first tab, each list of grounds on one of its own."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeItem(self.form)
        page = QWidget()
        page.setLayout(self.form)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tabs = QTabWidget()
        self.tabs.addTab(page, self.tr("期限"))
        layout.insertWidget(0, self.tabs, 1)

    def _count_grounds(self) -> None:
        for index, (grounds, label) in enumerate(((self.rejection, "不予受理依据"),
                                                  (self.termination, "终止调解依据")), start=1):
            self.tabs.setTabText(index, self.tr("{0}（{1} 项）").format(self.tr(label),
                                                                     grounds.table.rowCount()))

    def _limit(self, label: str, widgets: QWidget | list[QWidget], limit: str, field: str,
               show: bool = True) -> None:
        """A limit's row: its widgets and, beside them, how sure the set is of it."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for w in widgets if isinstance(widgets, list) else [widgets]:
            line.addWidget(w)
        if show:
            self.confidence[limit] = _confidence_label(self.rules, limit)
            line.addWidget(self.confidence[limit])
        line.addStretch(1)
        self.add_field(label, row, field)

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
        if self.report_check_extension.days() and not self.report_check_days.days():
            raise FieldError("举报核查可延长", self.tr("没有举报核查期限时不能有延长"))
        values = dict(
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
            period_end=PeriodEnd(self.period_end.currentData()),
            report_check_days=self.report_check_days.days(),
            report_check_extension=self.report_check_extension.days(),
            rejection_grounds=self.rejection.grounds(),
            termination_grounds=self.termination.grounds(),
            forms=self.forms.currentData(),
        )
        # The set keeps what this dialog does not show (its confidences).
        rules = replace(self.rules, **values) if self.rules is not None else RuleSet(code=code, **values)
        reference, admin = self._ctx.services.reference, self._ctx.user
        return lambda: reference.save_rule_set(admin, rules)


# Which column of the rule-set table shows each limit the sets speak of.
_LIMIT_COLUMNS = {"accept_days": 3, "mediation_days": 4, "period_end": 5, "termination_notice_days": 6,
                  "violation_check_days": 7, "odr_days": 9, "report_check_days": 11, "grounds": 13}


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
        # How sure the selected set is of each limit (the table shades only what is 待确认).
        self.confidence_line = QLabel()
        self.confidence_line.setWordWrap(True)
        self.confidence_line.setTextFormat(Qt.TextFormat.RichText)
        self.table = make_table([
            self.tr("代码"), self.tr("名称"), self.tr("施行日期"), self.tr("受理期限"),
            self.tr("调解期限"), self.tr("期限末日遇节假日"), self.tr("终止调解告知"),
            self.tr("违法线索核查"),
            self.tr("核查可延长"), self.tr("先行和解 ODR"), self.tr("数值待确认"),
            self.tr("举报核查"), self.tr("举报核查可延长"), self.tr("依据"), self.tr("文书版本"),
            self.tr("待确认的项目"), self.tr("说明")])
        restore_header(self, self.table.horizontalHeader(), "rules")
        hint = QLabel(recompute_note())
        hint.setWordWrap(True)
        self.offer = OfferPanel(ctx, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.offer)
        layout.addLayout(button_row(self.edit_button, self.add_button))
        layout.addWidget(hint)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.confidence_line)
        self.edit_button.clicked.connect(self.open_edit_rules)
        self.add_button.clicked.connect(self.open_add_rules)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_edit_rules)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        self._ctx.ops.query(self._ctx.services.reference.rule_sets, self._show, owner=self)
        self.offer.reload()

    def _show(self, rule_sets: list[RuleSet]) -> None:
        ordered = sorted(rule_sets, key=lambda r: r.effective_from)
        self._rules = {r.code: r for r in ordered}
        fill_table(self.table, [
            (r.code, [r.code, r.name, r.effective_from.isoformat(), _days(r.accept_days),
                      _days(r.mediation_days, r.mediation_unit),
                      (self.tr("顺延") if r.period_end is PeriodEnd.NEXT_WORKING_DAY
                       else self.tr("不顺延")) if r.mediation_unit is DayUnit.CALENDAR else "—",
                      _days(r.termination_notice_days), _days(r.violation_check_days),
                      _days(r.violation_check_extension), _days(r.odr_days),
                      self.tr("是") if r.tentative else "",
                      _days(r.report_check_days), _days(r.report_check_extension),
                      _grounds_summary(r), self.tr("{0} 年版").format(r.forms), _open_limits(r),
                      r.note])
            for r in ordered])
        self._mark_confidence(ordered)
        self._update_buttons()

    def _mark_confidence(self, ordered: list[RuleSet]) -> None:
        """Each limit's cell says how sure the set is of it (tooltip); 待确认 ones are shaded."""
        for row, r in enumerate(ordered):
            for limit, column in _LIMIT_COLUMNS.items():
                how = r.how_sure(limit)
                item = self.table.item(row, column)
                if how is None or item is None:
                    continue
                item.setToolTip(self.tr("{0}：{1}").format(self.tr(LIMIT_LABELS[limit]), self.tr(how.label)))
                if how is Confidence.OPEN:
                    item.setBackground(QBrush(QColor(OPEN_COLOUR)))
            open_item = self.table.item(row, 15)
            if open_item is not None and open_item.text():
                open_item.setBackground(QBrush(QColor(OPEN_COLOUR)))

    def selected_rules(self) -> RuleSet | None:
        key = selected_key(self.table)
        return self._rules.get(key) if key is not None else None

    @Slot()
    def _update_buttons(self) -> None:
        rules = self.selected_rules()
        self.edit_button.setEnabled(rules is not None)
        if rules is None or not rules.confidence:
            self.confidence_line.setText("")
            return
        parts = []
        for limit, how in rules.confidence:
            text = html.escape(f"{self.tr(LIMIT_LABELS.get(limit, limit))}：{self.tr(how.label)}")
            parts.append(f"<span style='{OPEN_STYLE}'>{text}</span>" if how is Confidence.OPEN else text)
        self.confidence_line.setText(self.tr("{0}的可靠程度：").format(html.escape(rules.name))
                                     + "；".join(parts))

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


class OfferPanel(QFrame):
    """New shipped values of a rule set this office had edited: the office's values beside
    them, and the administrator's choice. Hidden when nothing waits for a decision."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.offers: list[RuleSetOffer] = []
        self.setObjectName("offer")
        self.setStyleSheet("QFrame#offer { background: #fff8e1; border: 1px solid #e8c46a; }")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.explain = QLabel(self.tr(
            "本程序随新版本提供了这套规则的新数值，但本单位管理员曾修改过这套规则，因此没有自动替换。"
            "采用新规定后，按这套规则办理的未办结投诉将立即按新数值重新计算到期日（逐件记入操作日志），"
            "期限因此提前的投诉会在各用户的工作台上提示一次；保留本单位设置则不再询问。"))
        self.explain.setWordWrap(True)
        self.table = make_table([self.tr("项目"), self.tr("本单位设置"), self.tr("新规定")])
        self.table.setSelectionMode(self.table.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.adopt_button = QPushButton(self.tr("采用新规定"))
        self.keep_button = QPushButton(self.tr("保留本单位设置"))
        self.adopt_button.clicked.connect(self.adopt)
        self.keep_button.clicked.connect(self.keep)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.table)
        layout.addLayout(button_row(self.adopt_button, self.keep_button))
        self.hide()

    def reload(self) -> None:
        self._ctx.ops.query(self._ctx.services.reference.rule_set_offers, self._show, owner=self)

    def _show(self, offers: list[RuleSetOffer]) -> None:
        self.offers = offers
        self.setVisible(bool(offers))
        if not offers:
            return
        offer = offers[0]  # one at a time; the next one shows once this one is decided
        self.title.setText(self.tr("时限规则{name}（{code}）有新的规定数值，请决定是否采用").format(
            name=offer.shipped.name, code=offer.code))
        rows = [(label, show(offer.own), show(offer.shipped)) for label, show in _COMPARED
                if show(offer.own) != show(offer.shipped)]
        self.table.setRowCount(len(rows))
        for r, (label, own, shipped) in enumerate(rows):
            for c, text in enumerate((self.tr(label), own, shipped)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(1, max(220, (self.table.viewport().width()
                                               - self.table.columnWidth(0)) // 2))
        self.table.resizeRowsToContents()
        height = sum(self.table.rowHeight(r) for r in range(len(rows)))
        self.table.setFixedHeight(min(260, height + self.table.horizontalHeader().height() + 6))

    def current(self) -> RuleSetOffer | None:
        return self.offers[0] if self.offers else None

    @Slot()
    def adopt(self) -> None:
        offer = self.current()
        if offer is None:
            return
        reference, admin = self._ctx.services.reference, self._ctx.user
        self._decide(lambda: reference.adopt_shipped_rule_set(admin, offer.code), self.tr(
            "已对{name}采用新规定，按这套规则办理的未办结投诉的到期日已重新计算。").format(
                name=offer.shipped.name))

    @Slot()
    def keep(self) -> None:
        offer = self.current()
        if offer is None:
            return
        reference, admin = self._ctx.services.reference, self._ctx.user
        self._decide(lambda: reference.keep_own_rule_set(admin, offer.code), self.tr(
            "已保留本单位对{name}的设置，不再提示这一版新规定。").format(name=offer.own.name))

    def _decide(self, work: Callable[[], Changed], done: str) -> None:
        self.adopt_button.setEnabled(False)
        self.keep_button.setEnabled(False)

        def finished(_changed: Changed) -> None:
            self.adopt_button.setEnabled(True)
            self.keep_button.setEnabled(True)
            parent = self.parent()
            if isinstance(parent, RulesTab):
                parent.status.setText(done)

        def refused(error: BaseException) -> None:
            self.adopt_button.setEnabled(True)
            self.keep_button.setEnabled(True)
            self._ctx.ops.report(self, error)
            self.reload()

        self._ctx.ops.mutate(work, finished, owner=self, on_error=refused)
