"""诚信名单: 零投诉企业, 红黑榜 candidates confirmed by 消保科, and 消费警示 hints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.workflow import Role
from desktop.files import write_atomic
from desktop.services.credit_lists import KINDS, SECTION, CreditLine, CreditRules, WarningHints
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.widgets.tables import fit_columns

HEADERS = ("企业名称", "统一社会信用代码", "诚信承诺联盟", "全年投诉", "到分局/区局有责",
           "站内和解有责", "拒绝调解", "列入依据", "消保科确认")
CHOICES = (("zero", "零投诉企业名单"), ("red", "诚信红榜候选"), ("black", "失信黑榜候选"))


class RulesDialog(QDialog):
    def __init__(self, rules: CreditRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("红黑榜规则"))
        self.alliance = QCheckBox(self.tr("红榜只列诚信承诺联盟成员"))
        self.alliance.setChecked(rules.red_alliance_only)
        self.red_max = QSpinBox(maximum=999, value=rules.red_max_at_fault)
        self.black_fault = QSpinBox(minimum=1, maximum=999, value=rules.black_min_at_fault)
        self.black_refused = QSpinBox(minimum=1, maximum=999, value=rules.black_min_refused)
        form = QFormLayout(self)
        form.addRow(self.alliance)
        form.addRow(self.tr("红榜：有责任投诉不超过（件）"), self.red_max)
        form.addRow(self.tr("黑榜：有责任投诉达到（件）"), self.black_fault)
        form.addRow(self.tr("黑榜：或拒绝调解达到（件）"), self.black_refused)
        form.addRow(QLabel(self.tr("有责任投诉只计到分局、区局的投诉；投诉站内和解的不计。")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def rules(self) -> CreditRules:
        return CreditRules(self.alliance.isChecked(), self.red_max.value(),
                           self.black_fault.value(), self.black_refused.value())


class CreditListsPage(QWidget):
    sig_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lines: list[CreditLine] = []
        today: date = ctx.services.ctx.clock.today()
        self.year = QSpinBox(minimum=2000, maximum=2100, value=today.year)
        self.kind = QComboBox()
        for key, label in CHOICES:
            self.kind.addItem(self.tr(label), key)
        self.rules_label = QLabel()
        self.rules_label.setStyleSheet("color: #555;")
        self.btn_rules = QPushButton(self.tr("红黑榜规则…"))
        self.btn_rules.setVisible(ctx.user.has(Role.ADMIN))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.table, (0,), 0)
        self.table.verticalHeader().setVisible(False)
        self.btn_confirm = QPushButton(self.tr("确认列入…"))
        self.btn_withdraw = QPushButton(self.tr("撤销确认"))
        section = ctx.user.has(*SECTION)
        self.btn_confirm.setVisible(section)
        self.btn_withdraw.setVisible(section)
        self.btn_export = QPushButton(self.tr("导出 Excel…"))
        self.btn_pdf = QPushButton(self.tr("输出 PDF…"))
        self.status = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度")))
        top.addWidget(self.year)
        top.addWidget(QLabel(self.tr("名单")))
        top.addWidget(self.kind)
        top.addStretch()
        top.addWidget(self.btn_rules)
        actions = QHBoxLayout()
        for b in (self.btn_confirm, self.btn_withdraw):
            actions.addWidget(b)
        actions.addWidget(self.status, 1)
        for b in (self.btn_export, self.btn_pdf):
            actions.addWidget(b)
        lists = QWidget()
        box = QVBoxLayout(lists)
        box.addLayout(top)
        box.addWidget(self.rules_label)
        box.addWidget(self.table, 1)
        box.addLayout(actions)

        # 消费警示 hints
        self.warn_from = QDateEdit(QDate(today.year, today.month, 1).addMonths(-1))
        self.warn_to = QDateEdit(QDate(today.year, today.month, 1).addDays(-1))
        for edit in (self.warn_from, self.warn_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.btn_hints = QPushButton(self.tr("生成提示"))
        self.draft = QPlainTextEdit()
        hints = QWidget()
        hbox = QVBoxLayout(hints)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("本期")))
        row.addWidget(self.warn_from)
        row.addWidget(QLabel("—"))
        row.addWidget(self.warn_to)
        row.addWidget(self.btn_hints)
        row.addStretch()
        hbox.addLayout(row)
        hbox.addWidget(QLabel(self.tr("与上一期（同样天数）相比投诉增加最多的分类和经营者；草稿可修改后复制使用。")))
        hbox.addWidget(self.draft, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(lists, self.tr("诚信企业名单"))
        self.tabs.addTab(hints, self.tr("消费警示提示"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.year.valueChanged.connect(lambda _: self.load())
        self.kind.currentIndexChanged.connect(lambda _: self.load())
        self.btn_rules.clicked.connect(self.edit_rules)
        self.btn_confirm.clicked.connect(self.ask_confirm)
        self.btn_withdraw.clicked.connect(self.withdraw)
        self.btn_export.clicked.connect(self.ask_export)
        self.btn_pdf.clicked.connect(self.ask_pdf)
        self.btn_hints.clicked.connect(self.make_hints)
        self.load()

    # -- loading ---------------------------------------------------------------------------
    def current(self) -> tuple[int, str]:
        return self.year.value(), self.kind.currentData()

    def load(self) -> None:
        year, kind = self.current()
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: (s.credit_lists.rules(), s.credit_lists.entries(user, year, kind)),
                           self._loaded, owner=self)

    def _loaded(self, result: tuple[CreditRules, list[CreditLine]]) -> None:
        rules, self.lines = result
        member = "诚信承诺联盟成员、" if rules.red_alliance_only else ""
        self.rules_label.setText(self.tr(
            "规则：零投诉＝全年无到分局/区局的有责任投诉（站内和解不计）；红榜＝{0}有责任投诉不超过 {1} 件；"
            "黑榜＝有责任投诉达到 {2} 件或拒绝调解达到 {3} 件").format(
            member, rules.red_max_at_fault, rules.black_min_at_fault, rules.black_min_refused))
        self.table.setRowCount(len(self.lines))
        for r, x in enumerate(self.lines):
            confirmed = (f"已确认：{x.confirmed.reason}（{x.confirmed.by} {x.confirmed.at}）"
                         if x.confirmed else "待确认")
            values = (x.name, x.credit_code, "是" if x.alliance_member else "否", x.complaints,
                      x.at_fault_bureau, x.at_fault_station, x.refused_bureau, x.why, confirmed)
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        done = sum(1 for x in self.lines if x.confirmed)
        self.status.setText(self.tr("候选 {0} 家，已确认 {1} 家（只导出、打印已确认的）").format(
            len(self.lines), done))
        self.sig_loaded.emit()

    def chosen(self) -> CreditLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.lines[rows[0].row()] if rows else None

    # -- actions ---------------------------------------------------------------------------
    def confirm(self, line: CreditLine, reason: str) -> None:
        year, kind = self.current()
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: s.credit_lists.confirm(user, year, kind, line.enterprise_id, reason),
                           lambda _c: self.load(), owner=self)

    def ask_confirm(self) -> None:
        line = self.chosen()
        if line is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("确认列入"),
                                          self.tr("列入「{0}」的理由：").format(line.name), text=line.why)
        if ok:
            self.confirm(line, reason)

    def withdraw(self) -> None:
        line = self.chosen()
        if line is None:
            return
        year, kind = self.current()
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: s.credit_lists.withdraw(user, year, kind, line.enterprise_id),
                           lambda _c: self.load(), owner=self)

    def edit_rules(self) -> None:
        dialog = RulesDialog(self.ctx.services.credit_lists.rules(), self)
        if dialog.exec():
            s, user, rules = self.ctx.services, self.ctx.user, dialog.rules()
            self.ctx.ops.query(lambda: s.credit_lists.set_rules(user, rules),
                               lambda _r: self.load(), owner=self)

    def _name(self, suffix: str) -> str:
        year, kind = self.current()
        return str(Path.home() / f"{year}年{KINDS[kind]}{suffix}")

    def ask_export(self) -> None:
        path = file_dialogs.save_file(self, self.tr("导出名单"), self._name(".xlsx"),
                                      self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, target: Path) -> None:
        year, kind = self.current()
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: s.credit_lists.export(user, year, kind, target),
                           lambda p: self.status.setText(self.tr("已导出 {0}").format(p.name)),
                           owner=self)

    def ask_pdf(self) -> None:
        path = file_dialogs.save_file(self, self.tr("输出 PDF"), self._name(".pdf"),
                                      self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        year, kind = self.current()
        s, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: write_atomic(Path(path), s.credit_lists.pdf(user, year, kind)),
                           lambda p: self.status.setText(self.tr("已输出 {0}").format(p.name)),
                           owner=self)

    def make_hints(self) -> None:
        start, end = self.warn_from.date().toPython(), self.warn_to.date().toPython()
        s, user = self.ctx.services, self.ctx.user

        def shown(h: WarningHints) -> None:
            self.draft.setPlainText(h.draft)

        self.ctx.ops.query(lambda: s.credit_lists.warning_hints(user, start, end), shown, owner=self)
