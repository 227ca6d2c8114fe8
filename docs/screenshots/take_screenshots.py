"""Screenshots of the real program for the user guide (docs/user-guide.md).

Run on a virtual X screen, once per screen size:

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_screenshots.py --size 1366x768
    xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python docs/screenshots/take_screenshots.py --size 1920x1080

The demo database is built in --data-dir (default /tmp/hejie-shots) when it is missing; it is
encrypted, and opened as the login window does: the password (HEJIE_PASSWORD, else the demo's
DEMO_PASSWORD) unwraps its key. The program's own pieces (login and setup dialogs, MainWindow, complaint windows, action and
mediation dialogs) are opened in this process with the demo users; every grab waits until the
database worker is idle. Window layouts are kept in a throw-away settings folder, so each run
shows what a clerk sees the first time. Nothing is saved to the database except two small
sample attachments on the complaint shown in the complaint window and a correction of its
latest mediation record (both added once), and an Excel export of the open complaints (for
设置 → 个人信息's outputs log, at each run); the import wizard stops at its preview.
Files: docs/screenshots/<size>-<nn>-<what>.png. Numbers 40-54 were first taken by hand; the
script now takes 40, 41, 44, 47 and 49-54 (later_pages) and numbers its newer shots from 55;
42, 43, 45, 46 and 48 (1366x768 only) and installed-login.png are still the hand-taken files.

"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QWidget  # noqa: E402

OUT = Path(__file__).resolve().parent
OUTPUT = [OUT]  # --out
PASSWORD = ""  # set in main: HEJIE_PASSWORD, else the demo password
SHRINK_ABOVE = 100 * 1024  # larger files are reduced to 256 colours (no visible change)

APP: QApplication | None = None
BUGS: list[BaseException] = []
SHOWN: list[tuple[str, str, str]] = []  # message boxes the program would have shown
SAVED: list[Path] = []


# -- helpers ---------------------------------------------------------------------------------------
def on_error(owner: object, error: BaseException) -> None:
    """Instead of the crash dialog: print, remember, go on."""
    from desktop.ui.errors import environment_message

    message = environment_message(error)
    if message is not None:
        SHOWN.append(("warn", "无法完成", message))
        print(f"  [program would warn] {message}", file=sys.stderr)
        return
    BUGS.append(error)
    traceback.print_exception(error)


def answer_message_boxes() -> None:
    """Message boxes would block; note them and answer 'yes'."""
    from desktop.ui.widgets import messages

    def note(kind: str) -> Callable[..., Any]:
        def show(parent: object, title: str, text: str) -> bool:
            SHOWN.append((kind, title, text))
            print(f"  [message box {kind}] {title}: {text}", file=sys.stderr)
            return True
        return show

    messages.inform = note("info")  # type: ignore[assignment]
    messages.warn = note("warn")  # type: ignore[assignment]
    messages.confirm = note("confirm")  # type: ignore[assignment]


def settle(ops: Any, linger: float = 0.5, timeout: float = 60.0) -> None:
    """Process events until the database worker has been idle for `linger` seconds
    (debounce timers of 250-400 ms fire in that time and may start new work)."""
    end = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < end:
        QTest.qWait(25)
        if ops.busy == 0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= linger:
                return
        else:
            quiet_since = None
    raise TimeoutError("the database worker did not become idle")


def call(ops: Any, fn: Callable[[], Any]) -> Any:
    """Run a service call on the program's database worker and wait for its answer."""
    box: dict[str, Any] = {}
    ops.query(fn, lambda result: box.setdefault("result", result),
              on_error=lambda e: box.setdefault("error", e))
    settle(ops, linger=0.0)
    if "error" in box:
        raise box["error"]
    return box["result"]


def save(pixmap: QPixmap, prefix: str, number: int, what: str) -> Path:
    path = OUTPUT[0] / f"{prefix}-{number:02d}-{what}.png"
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    if path.stat().st_size > SHRINK_ABOVE:
        shrink(path)
    SAVED.append(path)
    print(f"  {path.name}  {pixmap.width()}x{pixmap.height()}  {path.stat().st_size // 1024} KB")
    return path


def shrink(path: Path) -> None:
    """256 colours with pngquant or ImageMagick, when installed; kept only if smaller."""
    smaller = path.with_suffix(".tmp.png")
    if shutil.which("pngquant"):
        command = ["pngquant", "--force", "--output", str(smaller), "256", str(path)]
    elif shutil.which("convert"):
        command = ["convert", str(path), "-colors", "256", str(smaller)]
    else:
        return
    if subprocess.run(command, check=False).returncode == 0 and smaller.exists() \
            and smaller.stat().st_size < path.stat().st_size:
        smaller.replace(path)
    smaller.unlink(missing_ok=True)


def grab(widget: QWidget, ops: Any, *popups: QWidget) -> QPixmap:
    """The widget as painted, with any visible popups (completer lists) drawn where they are."""
    settle(ops)
    pixmap = widget.grab()
    visible = [p for p in popups if p is not None and p.isVisible()]
    if visible:
        painter = QPainter(pixmap)
        origin = widget.mapToGlobal(QPoint(0, 0))
        for popup in visible:
            painter.drawPixmap(popup.mapToGlobal(QPoint(0, 0)) - origin, popup.grab())
        painter.end()
    return pixmap


def fill_screen(window: QWidget, width: int, height: int) -> None:
    """Maximised: without a window manager, place the window over the whole screen ourselves."""
    window.showMaximized()
    window.setGeometry(0, 0, width, height)
    window.raise_()
    window.activateWindow()


def sample_files(folder: Path) -> list[Path]:
    """Two small pictures a complainant might bring: a till receipt and a chat screenshot."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, lines in (("购物小票.png", ["吴中万达广场", "商品：真皮男鞋", "金额：¥899.00", "2026-11-01 15:42"]),
                        ("与商家聊天记录.png", ["客服：鞋子穿过不能退", "顾客：开胶了，质量问题", "客服：只能修"])):
        path = folder / name
        if not path.exists():
            image = QImage(360, 220, QImage.Format.Format_RGB32)
            image.fill(QColor("#ffffff"))
            painter = QPainter(image)
            font = QFont("WenQuanYi Micro Hei", 14)
            painter.setFont(font)
            for i, line in enumerate(lines):
                painter.drawText(20, 40 + i * 42, line)
            painter.end()
            image.save(str(path))
        made.append(path)
    return made


# -- the run ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    global APP
    parser = argparse.ArgumentParser(description="Screenshots for docs/user-guide.md")
    parser.add_argument("--size", default="1366x768", help="screen size, as in the file names")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/hejie-shots"),
                        help="demo database folder (built when missing)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG files go")
    args = parser.parse_args(argv)
    OUTPUT[0] = args.out
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.lower().split("x"))
    prefix = f"{width}x{height}"

    from desktop import paths
    from desktop.cli.main import main as admin_main
    from desktop.demo.generate import DEMO_PASSWORD
    from desktop.security import keys

    global PASSWORD
    PASSWORD = os.environ.get("HEJIE_PASSWORD") or DEMO_PASSWORD

    if not paths.database_path(args.data_dir).exists():
        print(f"building the demo database in {args.data_dir} …")
        if admin_main(["demo", "--data-dir", str(args.data_dir)]) != 0:
            return 2

    scratch = Path(tempfile.mkdtemp(prefix="hejie-shots-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch / "config"))

    from desktop.ui.app import install_translations, register_fonts

    APP = QApplication.instance() or QApplication([sys.argv[0]])
    APP.setApplicationName(paths.APP_NAME)
    APP.setApplicationDisplayName("和解台")
    APP.setQuitOnLastWindowClosed(False)
    install_translations(APP)
    register_fonts(APP)  # as the program does: Chinese in the shipped font where the system has none
    answer_message_boxes()
    screen = APP.primaryScreen().geometry()
    if (screen.width(), screen.height()) != (width, height):
        print(f"warning: the X screen is {screen.width()}x{screen.height()}, not {width}x{height}",
              file=sys.stderr)

    from desktop.bootstrap import open_services
    from desktop.ui.ops import Ops

    # As the login window does at a start: the password opens the database's key (a demo built
    # just now in this process is remembered, and opens without it).
    key = keys.remembered(args.data_dir) or keys.unlock(args.data_dir, "admin", PASSWORD)
    services = open_services(args.data_dir, key=key)
    ops = Ops(on_error)
    try:
        shots = Shots(services, ops, prefix, width, height, scratch)
        shots.run()
    finally:
        settle(ops)
        ops.shutdown()
        services.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(SAVED)} screenshots in {OUTPUT[0]}")
    if BUGS:
        print(f"{len(BUGS)} unexpected error(s) in the program, see above", file=sys.stderr)
        return 1
    return 0


class Shots:
    def __init__(self, services: Any, ops: Any, prefix: str, width: int, height: int, scratch: Path) -> None:
        self.s, self.ops, self.prefix = services, ops, prefix
        self.width, self.height, self.scratch = width, height, scratch
        self.number = 0

    def save(self, pixmap: QPixmap, what: str, number: int | None = None) -> None:
        """Numbered in order; `number` for the shots added after the hand-taken 40-54."""
        if number is None:
            self.number += 1
            number = self.number
        save(pixmap, self.prefix, number, what)

    def ctx(self, username: str) -> Any:
        from desktop.ui.context import AppContext, load_lookups

        user = call(self.ops, lambda: self.s.users.login(username, PASSWORD))
        lookups = call(self.ops, lambda: load_lookups(self.s, user))
        return AppContext(self.s, self.ops, user, lookups, self.s.ctx.data_dir, demo=True)

    def window(self, ctx: Any) -> Any:
        from desktop.ui.main_window import MainWindow

        window = MainWindow(ctx)
        fill_screen(window, self.width, self.height)
        settle(self.ops)
        return window

    def close(self, window: Any) -> None:
        window.switching = True  # closing must not end the run
        window.close()
        window.deleteLater()
        settle(self.ops)

    def run(self) -> None:
        self.login_and_setup()
        self.desk_officer()
        self.station_clerk()
        self.enterprises()
        self.administrator()
        self.printing()
        self.disclosure()  # later sections last, so that the earlier files keep their numbers
        self.sync()
        self.newer()  # 55 and on
        self.later_pages()  # some of 40-54, first taken by hand

    # -- before the window ----------------------------------------------------------------------------
    def login_and_setup(self) -> None:
        from desktop.bootstrap import open_services
        from desktop.ui.dialogs.login import LoginDialog
        from desktop.ui.dialogs.setup_dialog import SetupDialog

        office = call(self.ops, self.s.offices.local)
        # As the launcher shows it at a start: the password opens the database, and a link
        # offers the recovery key.
        login = LoginDialog(self.s, self.ops, username="wangfang", office=office.name,
                            login=lambda name, secret: None, recover=lambda: None)
        login.message.setStyleSheet("color: #555;")
        login.message.setText(f"演示库：所有演示账号的密码都是 {PASSWORD}")  # as the launcher does with --demo
        login.password.setText(PASSWORD)
        login.show()
        self.save(grab(login, self.ops), "login")
        login.close()

        empty = open_services(self.scratch / "empty-office")
        try:
            setup = SetupDialog(empty, self.ops)
            setup.show()
            self.save(grab(setup, self.ops), "setup")
            setup.close()
            # What set-up shows next: the recovery key, once (a fresh code; the office's name
            # as the form above would give it).
            from datetime import datetime

            from desktop.security.keys import new_recovery_code
            from desktop.ui.dialogs.recovery import RecoveryKeyDialog

            sheet = RecoveryKeyDialog(new_recovery_code(), office.name, datetime.now())
            sheet.show()
            self.save(grab(sheet, self.ops), "setup-recovery-key", 55)
            sheet.confirmed.setChecked(True)
            sheet.accept()
        finally:
            settle(self.ops)
            empty.close()

    # -- 王芳, desk officer of the sub-bureau: workbench and ledger --------------------------------------
    def desk_officer(self) -> None:
        from desktop.ui.models.complaint_table import COLUMN_INDEX

        ctx = self.ctx("wangfang")
        window = self.window(ctx)
        self.save(grab(window, self.ops), "workbench")

        ledger = window.show_page("ledger")
        self.save(grab(window, self.ops), "ledger")

        ledger.search.setText("退款")
        ledger.status.setCurrentIndex(ledger.status.findText("在办（未办结）"))
        ledger.apply()
        settle(self.ops)
        ledger.table.sortByColumn(COLUMN_INDEX["due_on"], Qt.SortOrder.AscendingOrder)
        self.save(grab(window, self.ops), "ledger-search")
        self.close(window)

    # -- 陈静, clerk of a complaint station: registration, complaint window, dialogs -------------------
    def station_clerk(self) -> None:
        from desktop.domain.complaint import ComplaintFilter
        from desktop.domain.workflow import Action, Status
        from desktop.ui.dialogs.action_dialog import PAUSE

        ctx = self.ctx("chenjing")
        user = ctx.user
        window = self.window(ctx)
        page = window.show_page("register")
        self.save(grab(window, self.ops), "register")

        # A refused save: the messages stand under the fields they name.
        page.complainant_name.setText("张伟")
        page.complainant_phone.setText("1381234")
        page.respondent_name.setText("吴中万达广场某服饰店")
        page.save()
        self.save(grab(window, self.ops), "register-refused")
        page.clear()
        settle(self.ops)

        # Enterprise suggestions while typing the respondent's name.
        page.complainant_name.setText("张伟")
        page.complainant_phone.setText("13812345678")
        page.complainant_address.setText("苏州市吴中区长桥街道宝带西路 100 号")
        page.respondent_name.setFocus()
        page.respondent_name.setText("苏州吉")
        page.completer.lookup()
        settle(self.ops)
        popup = page.completer.completer.popup()
        if not popup.isVisible() and page.completer.model.rowCount():
            page.completer.completer.complete()  # no window manager: the box may lack focus
        self.save(grab(window, self.ops, popup), "register-suggestions")
        popup.hide()

        # Not in the register: 新增到企业库…, the name carried over.
        page.respondent_name.setText("苏州吉顺眼镜有限公司")
        dialog = page.new_enterprise()
        self.save(grab(dialog, self.ops), "enterprise-new")
        dialog.reject()
        page.clear()
        settle(self.ops)

        # Same phone, same respondent as an open complaint: the duplicate warning.
        open_rows = call(self.ops, lambda: self.s.complaints.page(
            user, ComplaintFilter(statuses=frozenset({Status.MEDIATING, Status.ACCEPTED})), limit=200).rows)
        twin = call(self.ops, lambda: self.s.complaints.get(user, open_rows[-1].id))
        page.complainant_name.setText("刘洋")
        page.complainant_phone.setText(twin.complainant_phone)
        page.complainant_address.setText("苏州市吴中区长桥街道新家桥路 25 号")
        enterprise = None
        if twin.enterprise_id is not None:
            enterprise = call(self.ops, lambda: self.s.enterprises.get(user, twin.enterprise_id))
        if enterprise is not None:
            page.use_enterprise(enterprise)
        else:
            page.respondent_name.setText(twin.respondent_name)
            page.respondent_address.setText(twin.respondent_address)
        page.subject.setText(twin.subject)
        page.request.setText(twin.request)
        page.facts.setPlainText(twin.facts)
        page.add_files(sample_files(self.scratch / "files"))
        page.check_duplicates()
        settle(self.ops)
        scroll = page.findChild(QScrollArea)
        if scroll is not None:  # the lower half: the warning, the matter and the attachments
            scroll.ensureWidgetVisible(page.files)
        self.save(grab(window, self.ops), "register-duplicate")
        if scroll is not None:
            scroll.verticalScrollBar().setValue(0)
        page.clear()
        settle(self.ops)

        # A complaint being mediated, with its records, attachments and history.
        chosen = self.mediating_complaint(user, open_rows)
        complaint = window.open_complaint(chosen)
        complaint.move(40, 20)
        settle(self.ops)
        for index, what in enumerate(("complaint-info", "complaint-mediation", "complaint-attachments",
                                      "complaint-history")):
            complaint.tabs.setCurrentIndex(index)
            self.save(grab(complaint, self.ops), what)
        complaint.tabs.setCurrentIndex(0)

        # 修改登记信息: the registration form, filled in, in a window of its own.
        edit = getattr(complaint, "edit", None)
        if edit is not None and getattr(complaint, "edit_button", None) is not None:
            form = edit()
            form.move(60, 30)
            self.save(grab(form, self.ops), "complaint-edit")
            form.close()
            settle(self.ops)

        # 受理 on a registered complaint: the dialog shows the new deadline.
        registered = call(self.ops, lambda: self.s.complaints.page(
            user, ComplaintFilter(statuses=frozenset({Status.REGISTERED})), limit=1).rows)
        if registered:
            other = window.open_complaint(registered[0].id)
            settle(self.ops)
            dialog = other.start_action(Action.ACCEPT)
            self.save(grab(dialog, self.ops), "action-accept")
            dialog.reject()
            other.close()
        else:
            print("  no registered complaint in the demo: 受理 not captured", file=sys.stderr)

        # 办结 on a settled complaint.
        settled = call(self.ops, lambda: self.s.complaints.page(
            user, ComplaintFilter(statuses=frozenset({Status.SETTLED})), limit=1).rows)
        if settled:
            other = window.open_complaint(settled[0].id)
            settle(self.ops)
            dialog = other.start_action(Action.CLOSE)
            self.save(grab(dialog, self.ops), "action-close")
            dialog.reject()
            other.close()
        else:
            print("  no settled complaint in the demo: 办结 not captured", file=sys.stderr)

        # 中止计时 and the mediation record dialog on the mediated complaint.
        if PAUSE in complaint.action_buttons:
            dialog = complaint.start_action(PAUSE)
            dialog.fields["reason"].setText("送苏州市产品质量监督检验院检测")
            self.save(grab(dialog, self.ops), "action-pause")
            dialog.reject()
        record = complaint.add_record()
        record.place.setText("吴中万达广场消费投诉监督站调解室")
        record.participants.setText("投诉人、商户店长、调解员陈静")
        record.content.setPlainText("双方到场。商户同意对开胶鞋子免费维修，投诉人要求退货。"
                                    "经调解，商户同意按八折退款，投诉人表示考虑后答复。")
        record.result.setText("未达成一致，约定 11 月 25 日再次调解")
        self.save(grab(record, self.ops), "mediation-record")
        record.reject()
        complaint.close()
        self.close(window)

    def mediating_complaint(self, user: Any, rows: list[Any]) -> int:
        """Among complaints being mediated, the one with most mediation records; give it two
        attachments the first time."""
        from desktop.domain.workflow import Status

        best, best_count = None, -1
        for row in rows:
            if row.status is not Status.MEDIATING:
                continue
            count = len(call(self.ops, lambda r=row: self.s.records.mediation_records(user, r.id)))
            detail = call(self.ops, lambda r=row: self.s.complaints.get(user, r.id))
            if not detail.paused and count > best_count:
                best, best_count = row.id, count
        if best is None:
            best = rows[0].id
        if not call(self.ops, lambda: self.s.records.attachments(user, best)):
            for path in sample_files(self.scratch / "files"):
                self.ops.mutate(lambda p=path: self.s.records.attach(user, best, p))
            settle(self.ops)
        records = call(self.ops, lambda: self.s.records.mediation_records(user, best))
        if records and not any(r.replaces_id is not None for r in records):
            # 更正所选记录…: the latest record's participants completed (the first shown as 已更正).
            last = records[-1]
            self.ops.mutate(lambda: self.s.records.correct_mediation_record(
                user, best, last.id, reason="参加人员漏记经营者代表姓名",
                held_at=last.held_at, means=last.means, place=last.place,
                participants=f"{last.participants}；经营者代表李强", content=last.content,
                result=last.result))
            settle(self.ops)
        return best

    # -- 企业库 ---------------------------------------------------------------------------------------
    def enterprises(self) -> None:
        ctx = self.ctx("wangfang")
        window = self.window(ctx)
        page = window.show_page("enterprises")
        settle(self.ops)
        user = ctx.user
        # The enterprise with most complaints in the list shown.
        counts = call(self.ops, lambda: [
            (self.s.enterprises.figures(user, page.model.row_at(i).id).complaints, page.model.row_at(i).id)
            for i in range(page.model.rowCount())])
        if counts:
            page.select_enterprise(max(counts)[1])
        self.save(grab(window, self.ops), "enterprises")
        self.close(window)

    # -- 周建国, administrator: 设置 and the lock --------------------------------------------------------
    def administrator(self) -> None:
        ctx = self.ctx("admin")
        window = self.window(ctx)
        settings = window.show_page("settings")
        for index, what in enumerate(("settings-users", "settings-offices", "settings-codes",
                                      "settings-calendar", "settings-rules")):
            settings.tabs.setCurrentIndex(index)
            self.save(grab(window, self.ops), what)
        window.lock()
        settle(self.ops)
        self.save(grab(window._lock_dialog, self.ops), "lock")
        window._lock_dialog.accepted.disconnect()
        window._lock_dialog.rejected.disconnect()
        window._lock_dialog.close()
        self.close(window)

    # -- 打印: the complaint window's menu, the preview of a form and of a list ----------------------
    def printing(self) -> None:
        from desktop.domain.complaint import ComplaintFilter
        from desktop.domain.workflow import Status
        from desktop.ui.dialogs.print_preview import PrintPreviewDialog

        ctx = self.ctx("chenjing")
        user = ctx.user
        window = self.window(ctx)
        open_rows = call(self.ops, lambda: self.s.complaints.page(
            user, ComplaintFilter(statuses=frozenset({Status.MEDIATING, Status.ACCEPTED})), limit=200).rows)
        complaint = window.open_complaint(self.mediating_complaint(user, open_rows))
        complaint.move(40, 20)
        settle(self.ops)
        button, menu = complaint.print_button, complaint.print_menu
        # Right-aligned under the button, as Qt places it at the screen's edge: inside the grab.
        menu.popup(button.mapToGlobal(button.rect().bottomRight()) - QPoint(menu.sizeHint().width(), 0))
        self.save(grab(complaint, self.ops, complaint.print_menu), "complaint-print-menu")
        complaint.print_menu.hide()

        # The latest mediation record: what the clerk prints for both parties to sign.
        records = [c for c in complaint.print_choices if c.form.key == "mediation-record"]
        complaint.print_form(records[-1] if records else complaint.print_choices[0])
        settle(self.ops)
        preview = complaint.findChild(PrintPreviewDialog)
        preview.move(60, 10)
        self.save(grab(preview, self.ops), "print-preview")
        preview.close()
        complaint.close()
        self.close(window)

        # 投诉台账 of this month from the ledger: a landscape list.
        ctx = self.ctx("wangfang")
        window = self.window(ctx)
        ledger = window.show_page("ledger")
        settle(self.ops)
        period = ledger.print_ledger()
        if period is not None:
            period.move(400, 250)
            self.save(grab(period, self.ops), "print-ledger-period")
            period.buttons.button(period.buttons.StandardButton.Ok).click()
        settle(self.ops)
        preview = ledger.findChild(PrintPreviewDialog)
        preview.move(60, 10)
        self.save(grab(preview, self.ops), "print-preview-ledger")
        preview.close()

        self.close(window)

        # 调解成功 with the agreement's 履行期限.
        from desktop.domain.workflow import Action

        ctx = self.ctx("chenjing")
        window = self.window(ctx)
        complaint = window.open_complaint(self.mediating_complaint(ctx.user, open_rows))
        settle(self.ops)
        if Action.SETTLE in complaint.action_buttons:
            dialog = complaint.start_action(Action.SETTLE)
            dialog.fields["terms"].setPlainText("经营者于 2026 年 11 月 30 日前为投诉人更换同型号新鞋一双。")
            dialog.fields["recovered"].setText("629")
            dialog.fields["on_the_spot"].setChecked(False)
            dialog.fields["performance_due"].setDate(dialog.fields["performance_due"].date().addDays(8))
            self.save(grab(dialog, self.ops), "action-settle")
            dialog.reject()
        complaint.close()
        self.close(window)


    # -- 公示 ----------------------------------------------------------------------------------
    def disclosure(self) -> None:
        from datetime import timedelta

        today = call(self.ops, self.s.ctx.clock.today)
        last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        before = (last - timedelta(days=1)).replace(day=1)

        # The section (钱晓宝) on last month's draft, with a station's objection waiting.
        ctx = self.ctx("xiaobao")
        window = self.window(ctx)
        page = window.show_page("disclosure")
        settle(self.ops)
        page.year_box.setValue(last.year)
        page.select_month(last.month)
        settle(self.ops)
        if page.entries.rowCount() > 1:
            page.entries.selectRow(1)
        self.save(grab(window, self.ops), "disclosure-draft")
        dialog = page.edit_content()
        if dialog is not None:
            dialog.move(300, 180)
            self.save(grab(dialog, self.ops), "disclosure-edit")
            dialog.reject()
        page.tabs.setCurrentIndex(1)
        if page.requests.rowCount():
            page.requests.selectRow(0)
        settle(self.ops)
        self.save(grab(window, self.ops), "disclosure-requests")
        self.close(window)

        # The deputy director (冯志远) on a published month: every step done, the figures.
        ctx = self.ctx("juzhang")
        window = self.window(ctx)
        page = window.show_page("disclosure")
        settle(self.ops)
        page.year_box.setValue(before.year)
        page.select_month(before.month)
        settle(self.ops)
        self.save(grab(window, self.ops), "disclosure-published")
        page.tabs.setCurrentIndex(2)
        settle(self.ops)
        self.save(grab(window, self.ops), "disclosure-enterprises")
        self.close(window)

    # -- 同步 --------------------------------------------------------------------------------
    def sync(self) -> None:
        """设置 → 同步 before and after enrolment, and a conflict, on a copy of the demo office
        (the demo itself stays unenrolled) synced with a district hub run in this process."""
        import logging

        from desktop.bootstrap import open_services
        from desktop.domain.complaint import ComplaintFilter
        from desktop.sync.protocol import OfficeCreate
        from desktop.ui.context import AppContext, load_lookups
        from district import admin as hub_admin
        from district.server import start_hub

        for name in ("district", "district.access", "uvicorn", "uvicorn.error"):
            logging.getLogger(name).setLevel(logging.WARNING)  # no access log among the files
        office_dir = self.scratch / "sync-office"
        copy_office(self.s.ctx.data_dir, office_dir)
        office = open_services(office_dir)
        hub = start_hub(f"sqlite:///{self.scratch / 'hub.db'}", self.scratch / "hub-blobs")
        other = None
        try:
            local = call(self.ops, office.offices.local)
            offices = call(self.ops, office.offices.all)
            codes = {o.id: o.code for o in offices}
            order = ("district", "sub_bureau", "station")
            now = hub.hub.clock.now()
            with hub.hub.db.write() as session:
                for o in sorted(offices, key=lambda o: order.index(o.kind)):
                    hub_admin.add_office(session, OfficeCreate(
                        code=o.code, name=o.name, kind=o.kind, parent=codes.get(o.parent_id),
                        tier=o.tier, address=o.address, phone=o.phone), now)
                code = hub_admin.issue_enrol_code(session, local.code, now, 7).code

            user = call(self.ops, lambda: office.users.login("admin", PASSWORD))
            lookups = call(self.ops, lambda: load_lookups(office, user))
            ctx = AppContext(office, self.ops, user, lookups, office_dir, demo=True)
            window = self.window(ctx)
            window.sync.stop_automatic()  # rounds only when the shots ask for them
            page = window.show_page("settings")
            page.tabs.setCurrentWidget(page.sync)
            panel = page.sync.enrol_panel
            panel.url.setText("https://tongbu.wuzhong.example:8443")
            panel.code.setText(code)
            self.save(grab(window, self.ops), "settings-sync-enrol")

            # Enrolled against the hub on loopback (plain HTTP is allowed only there).
            panel.url.setText(hub.url)
            panel.enrol()
            wait_for(lambda: page.sync.enrolled, self.ops)
            shown = page.sync.enrolled_panel
            shown.run_now()
            wait_for(lambda: not window.sync.running, self.ops)

            # Another PC of the same office (set up from a copy of this database and enrolled
            # as a device of its own, as each PC is: one device's audit log is anchored at the
            # hub, and a clone reporting under it would be taken for a restore) changes a
            # complaint's facts and syncs first; this PC then changes the same field: a
            # conflict here.
            desk = call(self.ops, lambda: office.users.login("wangfang", PASSWORD))
            [row] = call(self.ops, lambda: office.complaints.page(desk, ComplaintFilter(
                office_id=local.id, open_only=True), limit=1).rows)
            other_dir = self.scratch / "sync-other"
            copy_office(office_dir, other_dir)
            other = open_services(other_dir)
            with hub.hub.db.write() as session:
                second = hub_admin.issue_enrol_code(session, local.code, hub.hub.clock.now(), 7)
            other.sync.enrol(other.users.login("admin", PASSWORD), hub.url, second.code,
                             device_name="分局另一台电脑")
            other_desk = other.users.login("wangfang", PASSWORD)
            edit_facts(other, other_desk, row.id, "分局核实：经营者同意先行送检，检测费用由经营者承担。")
            other.sync.run()
            call(self.ops, lambda: edit_facts(office, desk, row.id,
                                              "投诉站补充：消费者已提交三次维修单据的复印件。"))
            shown.run_now()
            wait_for(lambda: not window.sync.running, self.ops)
            self.save(grab(window, self.ops), "settings-sync")

            dialog = shown.open_conflicts()
            settle(self.ops)
            dialog.move(200, 80)
            self.save(grab(dialog, self.ops), "sync-conflicts")
            dialog.reject()
            self.close(window)
        finally:
            settle(self.ops)
            if other is not None:
                other.close()
            office.close()
            hub.stop()


    # -- screens added later (55 and on; 55 is the recovery key, taken with the set-up) --------------
    def newer(self) -> None:
        from desktop.domain.complaint import ComplaintFilter
        from desktop.domain.workflow import Status

        # A search that matches the facts: 匹配内容 shows where, the words highlighted.
        ctx = self.ctx("wangfang")
        window = self.window(ctx)
        ledger = window.show_page("ledger")
        settle(self.ops)
        ledger.search.setText("维修")
        ledger.apply()
        settle(self.ops)
        self.save(grab(window, self.ops), "ledger-search-matched", 56)
        ledger.search.clear()
        ledger.apply()
        settle(self.ops)

        # 导入…: an old Excel ledger, its columns guessed, at the preview.
        from tests.imports_helpers import write_ledger

        old = self.scratch / "files" / "2024年台账.xlsx"
        old.parent.mkdir(parents=True, exist_ok=True)
        write_ledger(old)
        wizard = ledger.open_import()
        settle(self.ops)
        wizard.move(120, 40)
        wizard.path_edit.setText(str(old))
        wizard.forward()
        wait_for(lambda: wizard.stack.currentIndex() == 1, self.ops)
        wizard.forward()
        wait_for(lambda: wizard.stack.currentIndex() == 2, self.ops)
        self.save(grab(wizard, self.ops), "import-preview", 57)
        wizard.reject()
        settle(self.ops)

        # 帮助 → 使用说明 at the page shown (F1), and 关于和解台.
        from desktop import __version__
        from desktop.ui import user_guide

        guide = user_guide.instance().show(window.help_topic())
        guide.setGeometry(60, 30, min(1100, self.width - 120), self.height - 80)
        settle(self.ops)
        self.save(grab(guide, self.ops), "user-guide", 58)
        guide.close()
        rule_sets = call(self.ops, self.s.reference.rule_sets)
        about = QMessageBox(QMessageBox.Icon.Information, "关于和解台", user_guide.about_text(
            __version__, self.s.database, rule_sets, self.s.ctx.clock.today()),
            QMessageBox.StandardButton.Ok, window)
        about.show()
        self.save(grab(about, self.ops), "about", 59)
        about.close()
        self.close(window)

        # 更正所选记录… on the mediated complaint (its latest record corrected once already).
        ctx = self.ctx("chenjing")
        window = self.window(ctx)
        open_rows = call(self.ops, lambda: self.s.complaints.page(
            ctx.user, ComplaintFilter(statuses=frozenset({Status.MEDIATING, Status.ACCEPTED})),
            limit=200).rows)
        complaint = window.open_complaint(self.mediating_complaint(ctx.user, open_rows))
        complaint.move(40, 20)
        settle(self.ops)
        complaint.tabs.setCurrentIndex(1)
        rows = [i for i, r in enumerate(complaint.records) if not r.corrected]
        if rows:
            dialog = complaint.correct_record(rows[0])
            if dialog is not None:
                held = dialog.held_at.dateTime()
                dialog.held_at.setDateTime(held.addSecs(-3600))
                dialog.reason.setText("调解时间记错，实为提前一小时")
                dialog.result.setCursorPosition(0)
                self.save(grab(dialog, self.ops), "mediation-correct", 60)
                dialog.reject()
        complaint.close()
        self.close(window)

        # 设置 → 个人信息: the retention period, and the log of what left the program (王芳 has
        # just exported the open complaints to Excel).
        desk = self.ctx("wangfang").user
        call(self.ops, lambda: self.s.ledger_export.export(
            desk, ComplaintFilter(open_only=True), self.scratch / "files" / "在办投诉.xlsx"))
        ctx = self.ctx("admin")
        window = self.window(ctx)
        settings = window.show_page("settings")
        settings.tabs.setCurrentWidget(settings.privacy)
        settle(self.ops)
        self.save(grab(window, self.ops), "settings-privacy", 61)
        self.close(window)


    # -- screens first taken by hand (40-54); those not here are kept as they were ---------------
    def later_pages(self) -> None:
        from desktop.domain.workflow import Intake

        ctx = self.ctx("wangfang")
        window = self.window(ctx)
        workbench = window.show_page("workbench")
        settle(self.ops)
        workbench.select("follow_up")
        settle(self.ops)
        self.save(grab(window, self.ops), "workbench-follow-ups", 52)

        ledger = window.show_page("ledger")
        settle(self.ops)
        button, menu = ledger.export_button, ledger.export_menu
        menu.popup(button.mapToGlobal(button.rect().bottomRight()) - QPoint(menu.sizeHint().width(), 0))
        self.save(grab(window, self.ops, menu), "ledger-export", 50)
        menu.hide()

        page = window.show_page("register")
        for number, kind, what in ((40, Intake.REPORT, "register-report"),
                                   (41, Intake.CONSULTATION, "register-consultation")):
            page.kind_buttons[kind].setChecked(True)
            settle(self.ops)
            self.save(grab(window, self.ops), what, number)
        page.kind_buttons[Intake.COMPLAINT].setChecked(True)
        page.clear()
        settle(self.ops)

        window.show_page("credit")
        settle(self.ops)
        self.save(grab(window, self.ops), "credit-lists", 51)
        statistics = window.show_page("statistics")
        settle(self.ops)
        self.save(grab(window, self.ops), "statistics", 53)
        statistics.tabs.setCurrentIndex(1)
        settle(self.ops)
        self.save(grab(window, self.ops), "statistics-charts", 54)
        self.close(window)

        # 送达与回访 on the mediated complaint.
        from desktop.domain.complaint import ComplaintFilter
        from desktop.domain.workflow import Status

        ctx = self.ctx("chenjing")
        window = self.window(ctx)
        open_rows = call(self.ops, lambda: self.s.complaints.page(
            ctx.user, ComplaintFilter(statuses=frozenset({Status.MEDIATING, Status.ACCEPTED})),
            limit=200).rows)
        complaint = window.open_complaint(self.mediating_complaint(ctx.user, open_rows))
        complaint.move(40, 20)
        complaint.resize(1100, 700)
        settle(self.ops)
        complaint.tabs.setCurrentWidget(complaint.aftercare)
        self.save(grab(complaint, self.ops), "complaint-aftercare", 44)
        complaint.close()
        self.close(window)

        # 设置 → 备份.
        ctx = self.ctx("admin")
        window = self.window(ctx)
        settings = window.show_page("settings")
        settings.tabs.setCurrentWidget(settings.backup)
        settle(self.ops)
        self.save(grab(window, self.ops), "settings-backup", 47)
        self.close(window)

        # 首次使用设置: 加入已有单位.
        from desktop.bootstrap import open_services
        from desktop.ui.dialogs.setup_dialog import SetupDialog

        empty = open_services(self.scratch / "empty-office-2")
        try:
            setup = SetupDialog(empty, self.ops)
            setup.mode_join.setChecked(True)
            setup.show()
            self.save(grab(setup, self.ops), "setup-join", 49)
            setup.close()
        finally:
            settle(self.ops)
            empty.close()


def copy_office(source: Path, target: Path) -> None:
    """The office's database (through SQLite's backup, safe while it is open) and its files."""
    from desktop import paths
    from desktop.db.connection import connect
    from desktop.security import keys

    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_dir() and item.name != "backups":
            shutil.copytree(item, target / item.name)
    for item in source.iterdir():  # the key file: the copy opens with the same passwords
        if item.is_file() and item.name == keys.KEYS_FILENAME:
            shutil.copy2(item, target / item.name)
    key = keys.remembered(source)
    src = connect(paths.database_path(source), key)
    dst = connect(paths.database_path(target), key, check=False)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    if key is not None:
        keys.remember(target, key)


def edit_facts(services: Any, user: Any, complaint_id: int, addition: str) -> None:
    """The registered facts with a sentence added, as 修改登记信息 saves them."""
    from dataclasses import fields

    from desktop.domain.complaint import ComplaintDraft

    detail = services.complaints.get(user, complaint_id)
    values = {f.name: getattr(detail, f.name) for f in fields(ComplaintDraft)
              if hasattr(detail, f.name)}
    values["facts"] = f"{detail.facts}{addition}"
    services.complaints.edit(user, complaint_id, ComplaintDraft(**values),
                             expected_version=detail.version, reason="补充核实情况")


def wait_for(condition: Callable[[], bool], ops: Any, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("waited too long")
        QTest.qWait(50)
    settle(ops)


if __name__ == "__main__":
    sys.exit(main())
