"""The small forms of the 公示 page: a reason or an opinion, a row's published text, a
correction, and publishing. Each checks what it can before it is sent; the service checks again
and its message comes back to the same dialog, so nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.domain.contract import text_limit
from desktop.domain.disclosure import CONTENT_LIMIT
from desktop.services.disclosure import CHANNELS
from desktop.ui import file_dialogs
from desktop.ui.dialogs.small_form import SmallForm


def _text_box(text: str = "", height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class ReasonDialog(SmallForm):
    """A reason (退回, 撤回, 不予公示, 不同意) or an optional opinion (审批同意)."""

    def __init__(self, title: str, prompt: str, field: str, *, required: bool, ok: str,
                 context: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, ok, parent, width=520)
        self.field, self.required = field, required
        if context:
            note = QLabel(context)
            note.setWordWrap(True)
            self.form.addRow(note)
        self.text_box = _text_box()
        self.text_box.setPlaceholderText(prompt)
        self.form.addRow(field, self.text_box)
        self.finish_layout()

    def text(self) -> str:
        return self.text_box.toPlainText().strip()

    def validate(self) -> bool:
        if self.required and not self.text():
            self.refuse(self.tr("请填写「{0}」。").format(self.field))
            self.text_box.setFocus()
            return False
        return True


class ContentDialog(SmallForm):
    """The section rewrites a row's 投诉内容; the program's proposal is shown beside it."""

    def __init__(self, number: str, content: str, proposed: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改公示内容 — {0}").format(number), self.tr("保存"), parent,
                         width=640)
        shown = QLabel(proposed)
        shown.setWordWrap(True)
        shown.setStyleSheet("color: #555;")
        self.form.addRow(self.tr("系统建议"), shown)
        self.text_box = _text_box(content, 140)
        self.form.addRow(self.tr("投诉内容"), self.text_box)
        self.count = QLabel()
        self.form.addRow("", self.count)
        self.text_box.textChanged.connect(self._counted)
        self._counted()
        hint = QLabel(self.tr("只写与经营者有关的事实；姓名、电话、证件号、住址、车牌、卡号会被自动隐去。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.form.addRow("", hint)
        self.finish_layout()

    def _counted(self) -> None:
        n = len(self.text())
        self.count.setText(self.tr("{0} / {1} 字").format(n, CONTENT_LIMIT))

    def text(self) -> str:
        return self.text_box.toPlainText().strip()

    def validate(self) -> bool:
        if not self.text():
            self.refuse(self.tr("「投诉内容」不能为空。"))
            return False
        if len(self.text()) > CONTENT_LIMIT:
            self.refuse(self.tr("「投诉内容」不能超过 {0} 个字。").format(CONTENT_LIMIT))
            return False
        return True


class CorrectionDialog(SmallForm):
    """A correction 更正 of a published row: who asked, why, and the new text."""

    def __init__(self, number: str, content: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("申请更正 — {0}").format(number), self.tr("提交审批"), parent,
                         width=640)
        published = QLabel(content)
        published.setWordWrap(True)
        published.setStyleSheet("color: #555;")
        self.form.addRow(self.tr("已公示内容"), published)
        self.requester = QLineEdit()
        self.requester.setPlaceholderText(self.tr("申请人（经营者或消费者）；本局主动发现的可不填"))
        self.address = QLineEdit()
        # Both stop at the wire contract's length; the service refuses longer (never cuts it).
        self.requester.setMaxLength(text_limit("disclosure_requests", "requester") or 200)
        self.address.setMaxLength(text_limit("disclosure_requests", "requester_address") or 200)
        self.address.setPlaceholderText(self.tr("答复书的送达地址（可不填）"))
        self.reason = _text_box()
        self.reason.setPlaceholderText(self.tr("为什么需要更正，依据是什么"))
        self.content = _text_box(content, 110)
        self.form.addRow(self.tr("申请人"), self.requester)
        self.form.addRow(self.tr("送达地址"), self.address)
        self.form.addRow(self.tr("更正理由"), self.reason)
        self.form.addRow(self.tr("更正后内容"), self.content)
        self.original = content
        self.finish_layout()

    def values(self) -> tuple[str, str, str, str]:
        return (self.reason.toPlainText().strip(), self.content.toPlainText().strip(),
                self.requester.text().strip(), self.address.text().strip())

    def validate(self) -> bool:
        reason, content, _, _ = self.values()
        if not reason:
            self.refuse(self.tr("请填写「更正理由」。"))
            return False
        if not content or content == self.original:
            self.refuse(self.tr("「更正后内容」应与已公示的内容不同。"))
            return False
        return True


class PublishDialog(SmallForm):
    """Publish the approved list: where it goes, and the folder its files are written to."""

    def __init__(self, title: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("发布 — {0}").format(title), self.tr("发布并导出"), parent,
                         width=520)
        note = QLabel(self.tr("发布后将写出 Excel、CSV 和网页文件，交网站、微信公众号或公示栏使用。"
                              "发布记录写入审计日志，不能撤销。"))
        note.setWordWrap(True)
        self.form.addRow(note)
        self.channels: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for key, label in CHANNELS.items():
            box = QCheckBox(label)
            box.setChecked(key in ("website", "wechat"))
            self.channels[key] = box
            row.addWidget(box)
        row.addStretch(1)
        self.form.addRow(self.tr("发布渠道"), row)
        self.folder = QLineEdit(str(folder))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        line = QHBoxLayout()
        line.addWidget(self.folder, 1)
        line.addWidget(browse)
        self.form.addRow(self.tr("保存到"), line)
        self.finish_layout()

    def _browse(self) -> None:
        chosen = file_dialogs.existing_folder(self, self.tr("选择保存公示文件的文件夹"),
                                              self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def chosen_channels(self) -> list[str]:
        return [k for k, box in self.channels.items() if box.isChecked()]

    def target(self) -> Path:
        return Path(self.folder.text().strip())

    def validate(self) -> bool:
        if not self.chosen_channels():
            self.refuse(self.tr("请至少选择一个发布渠道。"))
            return False
        if not self.folder.text().strip():
            self.refuse(self.tr("请选择保存公示文件的文件夹。"))
            return False
        return True
