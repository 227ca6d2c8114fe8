"""The recovery key sheet: one A4 page with the database's recovery key, printed at set-up (and
when an administrator issues a new key), to be kept in the office safe.

The code is set large in nine groups of four, with a QR code of the same text (ReportLab's own
QR widget) for typing it back with a scanner, the office, the date, and what to do with it.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.forms import fonts

TITLE = "和解台 数据库恢复密钥单"

INSTRUCTIONS = (
    "这是什么：本单位和解台数据库的恢复密钥。数据库（hejie.db）和它的备份都是加密的，平时用各人的"
    "登录密码打开；所有人的密码都忘了或账户都停用时，只有这张单子上的恢复密钥还能打开它。",
    "怎么保管：由单位负责人或管理员签收，装入信封封好，锁进单位保险柜。不要和电脑放在一起，"
    "不要拍照，不要抄进电脑、手机或聊天记录。谁拿到它（再加上数据库文件），谁就能看到全部投诉人的个人信息。",
    "什么时候用：登录窗口点「忘记所有密码？用恢复密钥」，输入下面的恢复密钥（大小写、空格和横线都可以，"
    "字母 O 与数字 0 不区分），然后为一位管理员设置新密码；再由管理员为其他人重置密码。"
    "命令行恢复备份时，可把它放在环境变量 HEJIE_RECOVERY_KEY 中。",
    "丢失或泄露时：管理员在「设置 → 用户与角色」中重新生成恢复密钥并打印新的密钥单，旧密钥随即作废，"
    "旧单子销毁。恢复密钥和全部密码都丢失时，数据库和备份都无法再打开，任何人都无法找回。",
)


def render(code: str, office: str, issued: datetime) -> bytes:
    """The sheet as PDF bytes."""
    fonts.register()
    out = io.BytesIO()
    width, height = A4
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(TITLE)
    c.setAuthor("和解台")
    left, right = 22 * mm, width - 22 * mm
    y = height - 28 * mm
    c.setFont(fonts.HEADING, 20)
    c.drawCentredString(width / 2, y, TITLE)
    y -= 12 * mm
    c.setFont(fonts.BODY, 11)
    c.drawString(left, y, f"单位：{office}")
    c.drawRightString(right, y, f"生成日期：{issued:%Y年%m月%d日 %H:%M}")
    y -= 6 * mm
    c.setLineWidth(0.8)
    c.line(left, y, right, y)

    # The code: three rows of three groups, large, in a box.
    groups = code.split("-")
    y -= 10 * mm
    c.setFont(fonts.HEADING, 12)
    c.drawString(left, y, "恢复密钥（共 9 组，最后一组为校验码）：")
    box_top = y - 4 * mm
    box_height = 3 * 15 * mm + 8 * mm
    c.setLineWidth(1.6)
    c.rect(left, box_top - box_height, right - left - 62 * mm, box_height)
    c.setFont("Courier-Bold", 26)
    column = (right - left - 62 * mm) / 3
    for i, group in enumerate(groups):
        row, col = divmod(i, 3)
        x = left + column * col + column / 2
        c.drawCentredString(x, box_top - 14 * mm - row * 15 * mm, group)
    c.setFont(fonts.BODY, 9)
    for row in range(3):
        c.drawString(left + 2 * mm, box_top - 14 * mm - row * 15 * mm, f"{row + 1}")

    # The QR code of the same text, beside the box.
    size = 56 * mm
    widget = QrCodeWidget(code, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, right - size, box_top - box_height + (box_height - size) / 2)

    y = box_top - box_height - 12 * mm
    for paragraph in INSTRUCTIONS:
        y = _wrapped(c, paragraph, left, y, right - left, fonts.BODY, 11, 6.2 * mm)
        y -= 3 * mm

    y -= 6 * mm
    c.setFont(fonts.BODY, 11)
    for label in ("签收人（签名）：", "日期：", "存放位置：", "见证人（签名）："):
        c.drawString(left, y, label)
        c.line(left + 36 * mm, y - 1.5 * mm, left + 110 * mm, y - 1.5 * mm)
        y -= 11 * mm
    c.setFont(fonts.BODY, 8)
    c.drawCentredString(width / 2, 14 * mm,
                        "本单仅此一份，请勿复印。重新生成恢复密钥后，本单作废。")
    c.showPage()
    c.save()
    return out.getvalue()


def write(target: Path, code: str, office: str, issued: datetime) -> Path:
    target.write_bytes(render(code, office, issued))
    return target


def _wrapped(c: Canvas, text: str, x: float, y: float, width: float, font: str, size: float,
             leading: float) -> float:
    """Draw `text` wrapped by character (Chinese has no spaces) from `y` down; returns the y
    below it."""
    c.setFont(font, size)
    line = ""
    for ch in text:
        if c.stringWidth(line + ch, font, size) > width:
            c.drawString(x, y, line)
            y -= leading
            line = ""
        line += ch
    if line:
        c.drawString(x, y, line)
        y -= leading
    return y
