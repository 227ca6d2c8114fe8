"""Ledger window benchmark: the 投诉台账 page over N complaints, timed from the user's action.

    .venv/bin/python bench/bench_ledger.py --complaints 200000

Builds the demo database of that size once (`hejie-admin demo --complaints N`, kept in
bench/out/ledger-N and reused while it holds N complaints made by the same generator), then
opens a real LedgerPage at 1366x768 under Qt's offscreen platform, logged in as the desk
officer wangfang (a sub-bureau and its stations) and as the deputy director juzhang (every
office), and times what a clerk does: open the list, scroll to the bottom (the view's
fetchMore), click a column header, pick a filter, search.

Each action is timed from the call that stands for the user's click to three moments:
"rows", when the rows are in the model (`sig_reset_done` for a new filter, `rowsInserted`
for a further page); "painted", when the table has repainted with them; and "count", when
`sig_count_changed` gives the total, which runs after the page on the same database worker.
The Qt event loop runs in between, as in the program. Times are the median and max of
--repeat runs after one warm-up; the target is 250 ms for rows shown.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import PySide6  # noqa: E402
from _db import SQLITE_VERSION, open_demo, raw_connection, unlock_demo  # noqa: E402  (bench/_db.py)
from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QTableView  # noqa: E402

from desktop import paths  # noqa: E402
from desktop.bootstrap import Services  # noqa: E402
from desktop.cli.main import main as admin_main  # noqa: E402
from desktop.demo.generate import DEMO_PASSWORD  # noqa: E402
from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.domain.workflow import Status  # noqa: E402
from desktop.security import keys  # noqa: E402
from desktop.services.dto import CurrentUser  # noqa: E402
from desktop.ui.context import AppContext, load_lookups  # noqa: E402
from desktop.ui.models.complaint_table import COLUMN_INDEX  # noqa: E402
from desktop.ui.ops import Ops  # noqa: E402
from desktop.ui.views.ledger import OPEN, LedgerPage  # noqa: E402
from desktop.ui.widgets.complaint_view import ComplaintTableView  # noqa: E402

TARGET_MS = 250.0
WAIT_S = 120.0  # give up on one action after this long
PAINT_WAIT_S = 0.5  # a result with no rows may not repaint the table at all
HUMAN_PAUSE_MS = 150  # between seeing rows and the next click, for the overlap cases

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


# -- the database --------------------------------------------------------------------------------
def complaints_in(data_dir: Path) -> int | None:
    """The complaints in the folder's database (its key opened with the demo password when it
    is encrypted); None when there is none, or it does not open."""
    if not paths.database_path(data_dir).exists():
        return None
    try:
        unlock_demo(data_dir)
        con = raw_connection(data_dir, read_only=True)
        try:
            # complaints proper: the demo adds consultations and reports (举报) to the N asked for
            return int(con.execute(
                "SELECT count(*) FROM complaints WHERE kind = 'complaint'").fetchone()[0])
        finally:
            con.close()
    except Exception:  # no key file, not the demo's password, not a database: made again
        keys.forget(data_dir)
        return None


def generator_stamp(complaints: int) -> str:
    """What the database was made from: a changed generator, schema or index rebuilds it."""
    digest = hashlib.sha256(str(complaints).encode())
    sources = [*sorted((ROOT / "desktop" / "demo").glob("*.py")),
               *sorted((ROOT / "desktop" / "db" / "migrations" / "versions").glob("*.py")),
               ROOT / "desktop" / "db" / "search.py"]
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def has_statistics(data_dir: Path) -> bool:
    """Whether ANALYZE has given the query planner statistics (the plans depend on it)."""
    con = raw_connection(data_dir, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] > 0
    finally:
        con.close()


def ensure_database(data_dir: Path, complaints: int) -> None:
    database = paths.database_path(data_dir)
    stamp_file = data_dir / "bench-ledger.stamp"
    stamp = generator_stamp(complaints)
    have = complaints_in(data_dir)
    if have == complaints and stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        print(f"reusing {database} ({have:,} complaints)")
        return
    print(f"generating {complaints:,} complaints in {data_dir} (hejie-admin demo) ...", flush=True)
    start = time.perf_counter()
    keys.forget(data_dir)  # the key of the database about to be replaced, if it was opened
    code = admin_main(["demo", "--complaints", str(complaints), "--data-dir", str(data_dir), "--force"])
    if code != 0:
        raise SystemExit(f"hejie-admin demo failed with exit code {code}")
    stamp_file.write_text(stamp + "\n")
    print(f"generated in {time.perf_counter() - start:.1f} s")


# -- watching the window ------------------------------------------------------------------------
class Probe(QObject):
    """Timestamps of what the model, the view and the executors report, and a way to wait for
    them while the Qt event loop runs: a QEventLoop that sleeps in the event dispatcher like the
    program's `exec`, not a processEvents() spin that would compete with the database worker."""

    def __init__(self, page: LedgerPage) -> None:
        super().__init__()
        self.page = page
        model = page.model
        model.sig_reset_done.connect(self._reset)
        model.rowsInserted.connect(self._inserted)
        model.sig_count_changed.connect(self._counted)
        page.ctx.ops.sig_busy_changed.connect(lambda _: self._wake())
        self._loop = QEventLoop()
        self._timer = QTimer(singleShot=True)
        self._timer.timeout.connect(self._wake)
        self.arm()

    def arm(self) -> None:
        self.start = time.perf_counter()
        self.reset_at: float | None = None
        self.insert_at: float | None = None
        self.paint_at: float | None = None
        self.count_at: float | None = None
        self.total: int | None = None

    def ms(self, at: float | None) -> float | None:
        return None if at is None else (at - self.start) * 1000

    def painted(self) -> None:
        if self.paint_at is None and (self.reset_at or self.insert_at):
            self.paint_at = time.perf_counter()
            self._wake()

    def _reset(self) -> None:
        self.reset_at = time.perf_counter()
        self._wake()

    def _inserted(self, *_: object) -> None:
        if self.insert_at is None:
            self.insert_at = time.perf_counter()
        self._wake()

    def _counted(self, total: int) -> None:
        if total >= 0:
            self.count_at, self.total = time.perf_counter(), total
            self._wake()

    def _wake(self) -> None:
        if self._loop.isRunning():
            self._loop.quit()

    def wait(self, done: Callable[[], bool], what: str, timeout: float = WAIT_S) -> bool:
        deadline = time.perf_counter() + timeout
        while not done():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            self._timer.start(max(1, int(min(remaining, 0.2) * 1000)))
            self._loop.exec()
        self._timer.stop()
        return True

    def must(self, done: Callable[[], bool], what: str) -> None:
        if not self.wait(done, what):
            raise SystemExit(f"timed out after {WAIT_S:.0f} s waiting for {what}")

    def run_for(self, ms: int) -> None:
        end = time.perf_counter() + ms / 1000
        self.wait(lambda: time.perf_counter() >= end, "", timeout=ms / 1000 + 1)

    def settle(self) -> None:
        """Every database call finished and its result shown: nothing left to overlap."""
        self.must(lambda: self.page.ctx.ops.busy == 0, "the database worker to finish")
        self.run_for(30)  # delayed item layout, scroll-bar range, repaint


_paint_listeners: list[Callable[[], None]] = []


def _watch_paints() -> None:
    """Tell the probes when the complaint table has painted (after Qt's own paintEvent)."""

    def paintEvent(view: QTableView, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        QTableView.paintEvent(view, event)
        for listener in _paint_listeners:
            listener()

    ComplaintTableView.paintEvent = paintEvent  # type: ignore[method-assign]


def warm_up_qt(app: QApplication) -> None:
    """In the program the login dialog and the main window have drawn Chinese text before the
    ledger opens; do the same, so that loading fonts is not counted as the ledger's time."""
    label = QLabel("和解台 投诉台账 登录 用户名 密码 0123456789")
    label.show()
    for _ in range(5):
        app.processEvents()
    label.close()


# -- what is measured ---------------------------------------------------------------------------
@dataclass
class Figures:
    group: str
    label: str
    rows: list[float] = field(default_factory=list)
    painted: list[float] = field(default_factory=list)
    count: list[float] = field(default_factory=list)
    total: int | None = None
    loaded: int = 0

    def add(self, probe: Probe, at: float | None, loaded: int) -> None:
        rows = probe.ms(at)
        assert rows is not None
        self.rows.append(rows)
        painted = probe.ms(probe.paint_at)
        if painted is not None:
            self.painted.append(painted)
        count = probe.ms(probe.count_at)
        if count is not None:
            self.count.append(count)
            self.total = probe.total
        self.loaded = loaded


@dataclass
class Case:
    """`prepare` puts the page in its starting state (not timed); `act` is the user's action."""

    group: str
    label: str
    prepare: Callable[[], None]
    act: Callable[[], None]
    settled: bool = True  # False: the action comes while the previous list is still counting


class LedgerBench:
    def __init__(self, services: Services, user: CurrentUser, repeat: int,
                 errors: list[BaseException]) -> None:
        self.s, self.user, self.repeat = services, user, repeat

        def on_error(owner: QObject | None, error: BaseException) -> None:
            errors.append(error)
            print(f"error reported by the window: {error!r}", file=sys.stderr)

        self.ops = Ops(on_error)
        self.ctx = AppContext(services, self.ops, user, load_lookups(services, user),
                              services.ctx.data_dir, demo=True)
        self.results: list[Figures] = []
        self.today = services.ctx.clock.today()

    # -- the window ---------------------------------------------------------------------------
    def open_window(self) -> None:
        """The page as the main window shows it; the constructor asks for the first page."""
        figures = Figures("open", "打开台账：建页面并取第一页 (first time, 1 run)")
        start = time.perf_counter()
        page = LedgerPage(self.ctx)
        probe = Probe(page)
        probe.start = start
        page.resize(1366, 768)
        page.show()
        _paint_listeners.append(probe.painted)
        probe.must(lambda: probe.reset_at is not None, "the first page")
        probe.wait(lambda: probe.paint_at is not None, "paint", PAINT_WAIT_S)
        probe.must(lambda: probe.count_at is not None, "the first count")
        figures.add(probe, probe.reset_at, page.model.loaded_count)
        self.results.append(figures)
        self.page, self.probe = page, probe
        self.model, self.table = page.model, page.table
        probe.settle()

    def close(self) -> None:
        _paint_listeners.clear()
        self.probe.settle()
        self.page.close()
        self.ops.shutdown()

    # -- helpers --------------------------------------------------------------------------------
    def quietly(self, fn: Callable[[], None]) -> None:
        """Change widgets without their signals: the state before the user acts."""
        widgets = (self.page.search, self.page.status, self.page.channel, self.page.category,
                   self.page.handler, self.page.office, self.page.source, self.page.use_dates,
                   self.page.overdue, self.page.date_from, self.page.date_to)
        for w in widgets:
            w.blockSignals(True)
        try:
            fn()
        finally:
            for w in widgets:
                w.blockSignals(False)

    def sort_by(self, key: str, order: Qt.SortOrder) -> None:
        """What a click on a column header does: the header's indicator tells the view."""
        self.table.horizontalHeader().setSortIndicator(COLUMN_INDEX[key], order)

    def start_over(self, sort: tuple[str, Qt.SortOrder] = ("received_at", ASC)) -> None:
        """No filter, newest first, only the first page loaded."""
        self.sort_by(*sort)
        self.page.clear_filters()
        self.probe.settle()
        if self.model.loaded_count > self.model.page_size:
            self.model.reload()
            self.probe.settle()

    @staticmethod
    def pick(combo: QComboBox, data: object) -> int:
        index = combo.findData(data)
        if index < 0:
            raise SystemExit(f"no choice {data!r} in {combo}")
        return index

    def choose(self, combo: QComboBox, data: object) -> Callable[[], None]:
        return lambda: combo.setCurrentIndex(self.pick(combo, data))

    def search(self, text: str, *choices: tuple[QComboBox, object]) -> Callable[[], None]:
        """Prepare: the words typed (and any filters picked) before the user presses Enter."""

        def prepare() -> None:
            self.start_over()

            def fill() -> None:
                self.page.search.setText(text)
                for combo, data in choices:
                    combo.setCurrentIndex(self.pick(combo, data))

            self.quietly(fill)

        return prepare

    def office(self, code: str) -> int:
        return next(o.id for o in self.ctx.lookups.offices if o.code == code)

    def colleague(self, username: str) -> int:
        return next(u.id for u in self.ctx.lookups.users if u.username == username)

    # -- timing -------------------------------------------------------------------------------
    def time_case(self, case: Case) -> None:
        figures = Figures(case.group, case.label)
        p = self.probe
        for run in range(self.repeat + 1):
            case.prepare()
            if case.settled:
                p.settle()
            p.arm()
            case.act()
            if not self.model.loading and p.reset_at is None:
                raise SystemExit(f"{case.label}: the action did not start a new list")
            p.must(lambda: p.reset_at is not None, f"rows of {case.label}")
            p.wait(lambda: p.paint_at is not None, "paint", PAINT_WAIT_S)
            p.must(lambda: p.count_at is not None, f"count of {case.label}")
            if run:  # the first run warms caches
                figures.add(p, p.reset_at, self.model.loaded_count)
        self.results.append(figures)
        self._progress(figures)

    def time_scroll(self, label: str, query_prepare: Callable[[], None], pages: Iterable[int]) -> None:
        """Drag the scroll bar to the bottom again and again: each time the view calls
        fetchMore and the next page is appended. Times page 2 and the deep pages."""
        wanted = sorted(pages)
        figures = {n: Figures("scroll", f"{label}, page {n}") for n in wanted}
        p, bar = self.probe, self.table.verticalScrollBar()
        for run in range(self.repeat + 1):
            query_prepare()
            p.settle()
            if self.model.loaded_count > self.model.page_size:  # start from the first page
                self.model.reload()
                p.settle()
            for n in range(2, wanted[-1] + 1):
                p.settle()
                if not self.model.canFetchMore():
                    break
                if bar.value() == bar.maximum():
                    bar.setValue(max(0, bar.maximum() - 1))
                    p.settle()
                p.arm()
                bar.setValue(bar.maximum())
                p.must(lambda: p.insert_at is not None, f"page {n} of {label}")
                p.wait(lambda: p.paint_at is not None, "paint", PAINT_WAIT_S)
                if run and n in figures:
                    figures[n].add(p, p.insert_at, self.model.loaded_count)
                    figures[n].total = self.model.total
        for n in wanted:
            if figures[n].rows:
                self.results.append(figures[n])
                self._progress(figures[n])

    def time_repaint_scroll(self) -> None:
        """Scrolling among rows already fetched: no database call, only painting."""
        figures = Figures("scroll", "滚动已取回的行 (repaint only, 500 rows loaded)")
        p, bar = self.probe, self.table.verticalScrollBar()
        self.start_over()
        for _ in range(4):
            bar.setValue(bar.maximum())
            p.settle()
        for run in range(self.repeat + 1):
            bar.setValue(0 if run % 2 else bar.maximum() // 2)
            p.settle()
            p.arm()
            p.reset_at = p.start  # the rows are already there
            bar.setValue(bar.maximum() // 2 if run % 2 else bar.maximum() // 4)
            p.wait(lambda: p.paint_at is not None, "paint", 2)
            if run and p.paint_at is not None:
                figures.rows.append(p.ms(p.paint_at) or 0.0)
                figures.painted.append(p.ms(p.paint_at) or 0.0)
        figures.loaded, figures.total = self.model.loaded_count, self.model.total
        self.results.append(figures)
        self._progress(figures)

    def time_jump_to_end(self) -> None:
        """Issue 24: from the first page to the last row of the whole list. Ctrl+End on the
        table, and the scroll bar dragged to its bottom: the model, which took the list's
        whole length when the count came, fetches the last rows directly (the list read
        backwards). Timed from the key press (the drag) to the last row in the model
        ("rows") and the table repainted with it ("painted")."""
        from PySide6.QtTest import QTest

        p, bar = self.probe, self.table.verticalScrollBar()

        def prepare() -> None:
            self.start_over()
            p.settle()
            if not self.model.sparse:
                raise SystemExit("the list did not take its whole length; nothing to jump to")
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.setFocus()
            bar.setValue(0)
            p.settle()

        for label, act in (
            ("跳到末行 Ctrl+End (the whole list's last row)",
             lambda: QTest.keyClick(self.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)),
            ("滚动条拖到底 (the whole list's last row)", lambda: bar.setValue(bar.maximum())),
        ):
            figures = Figures("jump", label)
            for run in range(self.repeat + 1):
                prepare()
                last = self.model.rowCount() - 1
                arrived: list[float] = []

                def filled(*_: object, last: int = last, arrived: list[float] = arrived) -> None:
                    if not arrived and self.model.loaded_row(last) is not None:
                        arrived.append(time.perf_counter())
                        p.paint_at, p.insert_at = None, arrived[0]  # the next paint shows it

                self.model.dataChanged.connect(filled)
                p.arm()
                act()
                p.must(lambda arrived=arrived: bool(arrived), label)
                p.wait(lambda: p.paint_at is not None, "paint", PAINT_WAIT_S)
                self.model.dataChanged.disconnect(filled)
                if run:
                    figures.rows.append((arrived[0] - p.start) * 1000)
                    if p.paint_at is not None:
                        figures.painted.append((p.paint_at - p.start) * 1000)
                    figures.total, figures.loaded = self.model.total, self.model.loaded_count
            self.results.append(figures)
            self._progress(figures)

    def _progress(self, f: Figures) -> None:
        print(f"  {f.label:<52} rows {statistics.median(f.rows):7.1f} ms"
              + (f"   count {statistics.median(f.count):7.1f} ms" if f.count else ""), flush=True)

    # -- the actions ----------------------------------------------------------------------------
    def run(self) -> list[Figures]:
        page, model = self.page, self.model
        self.time_case(Case("open", "打开：set_filter(ComplaintFilter())", self.start_over,
                            lambda: model.set_filter(ComplaintFilter())))

        self.time_jump_to_end()
        self.time_scroll("滚到底 (fetchMore), no filter", self.start_over, (2, 20, 50))

        def searched() -> None:
            self.search("退款")()
            page.apply()

        self.time_scroll("滚到底, search 退款", searched, (2, 20, 50))
        self.time_repaint_scroll()

        sorts = [
            ("接收时间 oldest first", ("received_at", DESC), ("received_at", ASC)),
            ("接收时间 newest first", ("received_at", ASC), ("number", ASC)),
            ("投诉单号 newest first", ("number", ASC), ("received_at", ASC)),
            ("投诉单号 oldest first", ("number", DESC), ("received_at", ASC)),
            ("办理期限 soonest first", ("due_on", ASC), ("received_at", ASC)),
            ("办理期限 latest first", ("due_on", DESC), ("received_at", ASC)),
        ]
        for label, target, start in sorts:
            self.time_case(Case("sort", f"排序 {label}", lambda s=start: self.start_over(s),
                                lambda t=target: self.sort_by(*t)))

        self.time_case(Case("sort", "排序 投诉单号 while searching 退款", searched,
                            lambda: self.sort_by("number", ASC)))
        self.time_case(Case("sort", "排序 办理期限 while searching 退款", searched,
                            lambda: self.sort_by("due_on", ASC)))

        month_start = self.today - timedelta(days=395)

        def dates() -> None:
            self.start_over()
            self.quietly(lambda: (page.date_from.setDate(month_start),
                                  page.date_to.setDate(month_start + timedelta(days=30))))

        def category_quietly(code: str) -> Callable[[], None]:
            def prepare() -> None:
                self.start_over()
                self.quietly(lambda: page.category.setCurrentIndex(self.pick(page.category, code)))
            return prepare

        station = self.office("WZCQ02")
        filters = [
            ("状态 在办（未办结）", self.start_over, self.choose(page.status, OPEN)),
            ("状态 调解中", self.start_over, self.choose(page.status, Status.MEDIATING.value)),
            ("状态 办结", self.start_over, self.choose(page.status, Status.CLOSED.value)),
            ("来源 12315 热线", self.start_over, self.choose(page.channel, "hotline12315")),
            ("分类 维修服务 (repair)", self.start_over, self.choose(page.category, "repair")),
            ("承办单位 a station (WZCQ02)", self.start_over, self.choose(page.office, station)),
            ("承办人 孙丽 (sunli)", self.start_over, self.choose(page.handler, self.colleague("sunli"))),
            ("接收日期 one month, a year ago", dates, lambda: page.use_dates.setChecked(True)),
            ("只看超期", self.start_over, lambda: page.overdue.setChecked(True)),
            ("受理方式 区局分流", self.start_over, self.choose(page.source, True)),
            ("分类 装修 + 来源 信件 (sparse, two filters)", category_quietly("decoration"),
             self.choose(page.channel, "letter")),
        ]
        for label, prepare, act in filters:
            self.time_case(Case("filter", f"筛选 {label}", prepare, act))

        number_day = self.today - timedelta(days=100)
        searches = [
            ("退款 (2 chars, 20 % of rows)", "退款", ()),
            ("维修 (2 chars, 15 %)", "维修", ()),
            ("苏州 (2 chars, 85 %)", "苏州", ()),
            ("协商未果 (4 chars, 8 %)", "协商未果", ()),
            ("拒绝退款 (4 chars, 6 %)", "拒绝退款", ()),
            ("变速箱 (3 chars, 0.7 %)", "变速箱", ()),
            ("虚假宣传 (4 chars, 0.25 %)", "虚假宣传", ()),
            ("无法使用 (4 chars, 0.23 %)", "无法使用", ()),
            ("质量问题 (no match)", "质量问题", ()),
            ("苏州康创装饰设计工程有限公司 (a respondent, 0.2 %)", "苏州康创装饰设计工程有限公司", ()),
            ("退款 维修 (two words)", "退款 维修", ()),
            ("刘 (1 char, LIKE, 5 %)", "刘", ()),
            ("赝 (1 char, LIKE, no match)", "赝", ()),
            ("phone 139 (3 digits)", "139", ()),
            ("phone prefix 1391", "1391", ()),
            ("phone prefix 13978569", "13978569", ()),
            ("number prefix WZCQ01-2026", "WZCQ01-2026", ()),
            (f"number prefix WZCQ01-{number_day:%Y%m%d} (one day)", f"WZCQ01-{number_day:%Y%m%d}", ()),
            ("退款 + 状态 在办", "退款", ((page.status, OPEN),)),
            ("退款 + 承办单位 WZCQ02", "退款", ((page.office, station),)),
            ("协商未果 + 分类 汽车 (vehicle)", "协商未果", ((page.category, "vehicle"),)),
            ("变速箱 + 状态 办结", "变速箱", ((page.status, Status.CLOSED.value),)),
        ]
        for label, text, choices in searches:
            self.time_case(Case("search", f"搜索 {label}", self.search(text, *choices), page.apply))

        # The next action 150 ms after the rows of the last one were shown, while its count
        # is still running: the new page waits on the single database worker for that count.
        def after_rows_of(text: str) -> Callable[[], None]:
            def prepare() -> None:
                self.search(text)()
                self.probe.settle()
                self.probe.arm()
                page.apply()
                self.probe.must(lambda: self.probe.reset_at is not None, f"rows of {text}")
                self.probe.run_for(HUMAN_PAUSE_MS)
                if self.ops.busy == 0:
                    print(f"  (the count of {text} had finished before the next action)")
            return prepare

        def search_instead(text: str) -> Callable[[], None]:
            return lambda: (self.quietly(lambda: page.search.setText(text)), page.apply())

        overlaps = [
            ("筛选 状态 在办, 150 ms after 搜索 刘 showed its rows", after_rows_of("刘"),
             self.choose(page.status, OPEN)),
            ("清除条件, 150 ms after 搜索 刘 showed its rows", after_rows_of("刘"), page.clear_filters),
            ("搜索 退款, 150 ms after 搜索 赝 showed its rows", after_rows_of("赝"),
             search_instead("退款")),
        ]
        for label, prepare, act in overlaps:
            self.time_case(Case("overlap", label, prepare, act, settled=False))
        return self.results


# -- the report ---------------------------------------------------------------------------------
def _ms(values: list[float], fn: Callable[[list[float]], float]) -> str:
    return f"{fn(values):,.0f}" if values else "—"


def report(user: str, scope: str, results: list[Figures]) -> list[str]:
    lines = [
        f"### {user} ({scope})",
        "",
        "| action | rows: median ms | rows: max ms | painted: median ms | ≤ 250 ms | "
        "count: median ms | count: max ms | matches | loaded |",
        "|---|---:|---:|---:|:---:|---:|---:|---:|---:|",
    ]
    for f in results:
        meets = "yes" if max(f.rows) <= TARGET_MS else ("median only" if statistics.median(f.rows) <= TARGET_MS else "**no**")
        total = f"{f.total:,}" if f.total is not None else "—"
        lines.append(
            f"| {f.label} | {_ms(f.rows, statistics.median)} | {_ms(f.rows, max)} | "
            f"{_ms(f.painted, statistics.median)} | {meets} | {_ms(f.count, statistics.median)} | "
            f"{_ms(f.count, max)} | {total} | {f.loaded:,} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="default bench/out/ledger-N; an existing database of N complaints is reused")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jump-only", action="store_true",
                        help="only the jump to the last row (issue 24), not the whole run")
    parser.add_argument("--users", default="wangfang,juzhang",
                        help="demo accounts to log in as (default: a sub-bureau desk and the district)")
    args = parser.parse_args()
    data_dir = args.data_dir or ROOT / "bench" / "out" / f"ledger-{args.complaints}"
    ensure_database(data_dir, args.complaints)

    # Remembered column widths and the like go to a throw-away folder, not the user's settings.
    settings_dir = tempfile.mkdtemp(prefix="hejie-bench-settings-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    _watch_paints()
    warm_up_qt(app)

    usernames = [name.strip() for name in args.users.split(",")]
    s, _ = open_demo(data_dir, usernames[0])
    database = paths.database_path(data_dir)
    print(f"database: {database} {database.stat().st_size / 1024 / 1024:,.0f} MB; "
          f"Python {sys.version.split()[0]}, SQLite {SQLITE_VERSION} (sqlcipher3), PySide6 {PySide6.__version__} "
          f"({app.platformName()}); {os.cpu_count()} cores; {args.repeat} runs after one warm-up; "
          f"planner statistics (sqlite_stat1): {'yes' if has_statistics(data_dir) else 'no'}")
    errors: list[BaseException] = []
    tables: list[str] = []
    for username in usernames:
        user = s.users.login(username, DEMO_PASSWORD)
        scope = ("every office" if user.scope is None
                 else f"{user.office_name} and {len(user.scope) - 1} offices below it")
        print(f"\n{user.username} {user.display_name}: {scope}", flush=True)
        bench = LedgerBench(s, user, args.repeat, errors)
        bench.open_window()
        bench._progress(bench.results[0])
        if args.jump_only:
            bench.time_jump_to_end()
            results = bench.results
        else:
            results = bench.run()
        bench.close()
        tables += report(f"{user.username} {user.display_name}", scope, results) + [
            f"(load average after this user: {' '.join(f'{x:.2f}' for x in os.getloadavg())})", ""]
    s.close()
    print()
    print(f"Target: rows shown within {TARGET_MS:.0f} ms of the action ('rows' = in the model, "
          "'painted' = the table repainted with them). The count fills in afterwards.\n")
    print("\n".join(tables))
    if errors:
        raise SystemExit(f"{len(errors)} errors were reported by the window; figures are not valid")


if __name__ == "__main__":
    main()
