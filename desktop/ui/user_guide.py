"""帮助: the user guide inside the program (帮助 → 使用说明, F1) and 关于.

The guide is docs/user-guide.md with its screenshots, shipped with the program (desktop/
shipped.py user_guide: a checkout's docs/, a wheel's desktop/guide, a bundle's guide/), shown
offline in a QTextBrowser that renders the Markdown, with a contents list of its headings.
F1, in any window of the program, opens it at the section of what that window shows: the main
window's current page (MainWindow.help_topic), or the window's or dialog's class (TOPICS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextDocument,
    QWindow,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import shipped

# The guide's section for each window or dialog (by class name), and for each main page (by
# the page's key in MainWindow.PAGES). Each is the start of a heading's title without its
# number ("5. 投诉登记" → "投诉登记"); tests/gui/test_user_guide.py checks that each one is found.
PAGE_TOPICS = {
    "workbench": "工作台", "ledger": "投诉台账", "register": "投诉登记", "enterprises": "企业库",
    "credit": "诚信名单", "disclosure": "消费投诉公示", "statistics": "统计", "settings": "设置",
}
TOPICS = {
    "LoginDialog": "登录",
    "SetupDialog": "首次使用设置",
    "ComplaintWindow": "投诉窗口",
    "ActionDialog": "办理按钮",
    "MediationDialog": "调解记录",
    "MediationNoticeDialog": "限期提供身份证明、委托调解、调解通知与回避",
    "RecusalDialog": "限期提供身份证明、委托调解、调解通知与回避",
    "ConsumerStatusDialog": "消费者身份核查",
    "DeliveryDialog": "送达与回访",
    "FollowUpDialog": "送达与回访",
    "EnterpriseDialog": "企业库",
    "RulesDialog": "诚信名单",
    "PrintPreviewDialog": "打印表格",
    "PeriodDialog": "打印表格",
    "QuarterDialog": "打印表格",
    "PublishDialog": "发布和导出",
    "CorrectionDialog": "更正",
    "ContentDialog": "消保科：生成、修改、提交",
    "ReasonDialog": "承办单位：申请不予公示",
    "UserDialog": "设置",
    "OfficeDialog": "设置",
    "CodeDialog": "设置",
    "OverrideDialog": "设置",
    "RuleSetDialog": "设置",
    "SyncConflictsDialog": "冲突：两边改了同一项",
    "ImportWizard": "导入历史台账和热线工单",
    "RecoveryLoginDialog": "登录",
    "RecoveryKeyDialog": "首次使用设置",
}
IMAGE_WIDTH = 860  # wider screenshots (1366 px) are shown at this width
_NUMBER = re.compile(r"^\s*(附：|\d+[a-z]?(\.\d+)*\.?)\s*")


@dataclass(frozen=True)
class Heading:
    level: int
    title: str  # as written, with its number
    block: int  # the block number in the rendered document

    @property
    def topic(self) -> str:
        return _NUMBER.sub("", self.title)


def headings(document: QTextDocument) -> list[Heading]:
    out = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level:
            out.append(Heading(level, block.text().strip(), block.blockNumber()))
        block = block.next()
    return out


def find_heading(found: list[Heading], topic: str) -> Heading | None:
    """The first heading whose title (without its number) starts with `topic`."""
    return next((h for h in found if h.topic.startswith(topic)), None)


def topic_of(widget: QWidget | None) -> str:
    """The guide's section for the window or dialog `widget` belongs to ("" for the start)."""
    while widget is not None:
        own = getattr(widget, "help_topic", None)
        if callable(own):
            return str(own())
        name = type(widget).__name__
        if name in TOPICS:
            return TOPICS[name]
        widget = widget.parentWidget()
    return ""


class _GuideBrowser(QTextBrowser):
    """Loads the guide's screenshots from its folder, scaled smoothly to a readable width (the
    document itself would scale a 1366-pixel screenshot without smoothing)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def loadResource(self, kind: int, name: QUrl) -> Any:  # noqa: N802 - Qt's name
        if kind == QTextDocument.ResourceType.ImageResource.value and not name.scheme():
            image = QImage(str(self.folder / name.path()))
            if not image.isNull():
                shown = min(image.width(), IMAGE_WIDTH)  # its width on the page, in logical pixels
                ratio = self.devicePixelRatioF()  # 125 %, 150 %: as many pixels as the screen has
                if image.width() > shown * ratio:
                    image = image.scaledToWidth(round(shown * ratio), Qt.TransformationMode.SmoothTransformation)
                image.setDevicePixelRatio(image.width() / shown)
                return image
        return super().loadResource(kind, name)


class GuideWindow(QWidget):
    """使用说明: contents on the left, the guide on the right."""

    def __init__(self, guide: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("和解台 使用说明"))
        self.setObjectName("guide")
        self.browser = _GuideBrowser(guide.parent)
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide.read_text("utf-8"))
        self.headings = headings(self.browser.document())
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setObjectName("contents")
        parent_item: QTreeWidgetItem | None = None
        for h in self.headings:
            if h.level == 1:
                continue  # the title
            item = QTreeWidgetItem([h.title])
            item.setToolTip(0, h.title)
            item.setData(0, Qt.ItemDataRole.UserRole, h.block)
            if h.level == 2 or parent_item is None:
                self.contents.addTopLevelItem(item)
                parent_item = item
            else:
                parent_item.addChild(item)
        self.contents.itemActivated.connect(self._chosen)
        self.contents.itemClicked.connect(self._chosen)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        self.where = QLabel(self.tr("使用说明随程序安装，无需联网。按 F1 可打开当前页面对应的章节。"))
        self.where.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.where)
        screen = self.screen().availableGeometry()  # 1366×768 at 150 % leaves 910×512
        self.resize(min(1180, screen.width() - 40), min(760, screen.height() - 60))

    def _chosen(self, item: QTreeWidgetItem) -> None:
        self.scroll_to_block(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def scroll_to_block(self, number: int) -> None:
        block: QTextBlock = self.browser.document().findBlockByNumber(number)
        layout = self.browser.document().documentLayout()
        top = layout.blockBoundingRect(block).top()
        cursor = self.browser.textCursor()
        cursor.setPosition(block.position())
        self.browser.setTextCursor(cursor)
        self.browser.verticalScrollBar().setValue(int(top))

    def show_topic(self, topic: str) -> Heading | None:
        """Scroll to the section `topic` (the start when "" or not found); select it in the list."""
        heading = find_heading(self.headings, topic) if topic else None
        self.scroll_to_block(heading.block if heading else 0)
        if heading is not None:
            for item in self.contents.findItems(heading.title, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive):
                self.contents.setCurrentItem(item)
        return heading

    def current_heading(self) -> Heading | None:
        """The last heading at or above the top of the view (for tests and the status)."""
        top = self.browser.verticalScrollBar().value()
        layout = self.browser.document().documentLayout()
        document = self.browser.document()
        above = [h for h in self.headings
                 if layout.blockBoundingRect(document.findBlockByNumber(h.block)).top() <= top + 2]
        return above[-1] if above else None


_HELP: list[Help] = []


def instance() -> Help:
    """The program's one Help (made on first use, owned by the application)."""
    if not _HELP:
        _HELP.append(Help(QApplication.instance()))
    return _HELP[0]


class Help(QObject):
    """One per program (instance()): the guide window, and F1 in every window."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: GuideWindow | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusWindowChanged.connect(self._focus_changed)

    def _focus_changed(self, _window: QWindow | None) -> None:
        """Each window of the program gets its F1 when it first has the focus."""
        widget = QApplication.activeWindow()
        if widget is None or widget.property("hejie_help_f1") or isinstance(widget, GuideWindow):
            return
        widget.setProperty("hejie_help_f1", True)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), widget)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda w=widget: self.show(topic_of(QApplication.focusWidget() or w)))

    def show(self, topic: str = "") -> GuideWindow:
        """The guide at `topic`. Over a modal dialog it opens as that dialog's own window (a
        window of its own would be blocked by the dialog)."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            window = GuideWindow(shipped.user_guide(), modal)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        else:
            if self.window is None:
                self.window = GuideWindow(shipped.user_guide())
            window = self.window
        window.show()
        window.raise_()
        window.activateWindow()
        window.show_topic(topic)
        return window


def about_text(version: str, database: Path, rule_sets: list, today: date) -> str:  # type: ignore[type-arg]
    """关于: the version, the database file, and the rule sets: the one in force today and
    those that take effect later (a rule set applies by the day a complaint is received)."""
    from desktop.domain.deadlines import rule_set_for

    lines = [f"和解台 {version}", "消费投诉登记、调解、台账与公示", "", f"数据库：{database}", "",
             "投诉处理时限规则："]
    current = rule_set_for(rule_sets, today) if rule_sets else None
    for rules in sorted(rule_sets, key=lambda r: r.effective_from):
        if rules is current:
            state = "现行"
        elif rules.effective_from > today:
            state = f"{rules.effective_from:%Y-%m-%d} 起施行"
        else:
            state = f"{rules.effective_from:%Y-%m-%d} 起，已被替代（此前收到的投诉仍按它计算）"
        lines.append(f"  · {rules.name}（{state}）" + ("，数值待确认" if rules.tentative else ""))
    if not rule_sets:
        lines.append("  （未配置，请管理员在「设置 → 时限规则」中添加）")
    return "\n".join(lines)
