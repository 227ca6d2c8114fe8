"""The complaint list as a Qt table model that fetches pages as the user scrolls.

It holds only the rows already fetched (Anki's browser and Spyder's collections editor do the
same), so a ledger of a million complaints opens as fast as one of a hundred. A short list
grows page by page: `canFetchMore`/`fetchMore` ask the service for the next keyset page on the
database worker. Once the count shows the list is long (more than SPARSE_PAGES pages), the
model takes the whole length at once: every row has its place, rows not fetched yet are blank,
and the pages a view shows are fetched by position, from the nearest fetched row or from the
nearer end of the list. So Ctrl+End or the scroll bar dragged to the bottom fetches the last
page directly (the list read backwards), not every page before it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from desktop.db.repositories import Cursor
from desktop.domain.complaint import ComplaintFilter, SortKey
from desktop.domain.complaint_fields import BY_NAME, LEDGER
from desktop.services.dto import Changed, ComplaintRow, Page
from desktop.services.sync_info import STATE_LABELS
from desktop.ui.context import AppContext
from desktop.ui.ops import TaskState

ANY_INDEX = QModelIndex | QPersistentModelIndex

OVERDUE_BACKGROUND = QColor("#fde2e1")
OVERDUE_TEXT = QColor("#a61b1b")
DUE_SOON_BACKGROUND = QColor("#fff1c2")
DUE_SOON_TEXT = QColor("#7a5200")
SYNC_TEXT = {"conflict": QColor("#b3261e"), "rejected": QColor("#b3261e"), "waiting": QColor("#555555"),
             "synced": QColor("#1b7a2e")}
SYNC_TIPS = {
    "synced": "与区局一致",
    "waiting": "本机的修改尚未送到区局，下次同步时发送",
    "conflict": "本单位和区局都修改了同一项，请在「设置 → 同步 → 处理冲突」中选择保留哪一方",
    "rejected": "区局拒绝了本机的修改，详见「设置 → 同步」",
}
STATES_CHUNK = 500  # ids per states query when every row shown is read again
# A list longer than this many pages takes its whole length once counted (rows by position).
SPARSE_PAGES = 10
# Pages a view asked for are fetched together after this pause: dragging the scroll bar
# across the list fetches where it stops, not every page it passed.
FETCH_PAUSE_MS = 15
RUN_PAGES = 5  # neighbouring pages fetched in one query, at most


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: SortKey | None = None


_SORTS = {k.value: k for k in SortKey}
# The ledger's fields of the catalogue (domain/complaint_fields.py) in its order, keyed by
# column name; then the sync state, filled by a second query per page: the list never waits
# for it.
COLUMNS = (
    *(Column(f.name, f.ledger[0], _SORTS.get(f.name)) for f in LEDGER),  # type: ignore[index]
    Column("sync", "同步"),
    # A search's result: why the row matched (the field, its words marked 【】); shown only
    # while the ledger searches.
    Column("matched", "匹配内容"),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True)
class _FirstPage:
    page: Page
    today: date
    soon: date  # due on or before this day: amber


class ComplaintTableModel(QAbstractTableModel):
    """Rows arrive page by page; `set_filter` starts over; `sig_count_changed` gives the total."""

    sig_count_changed = Signal(int)  # -1 while counting
    sig_loading_changed = Signal(bool)
    sig_reset_done = Signal()  # the first page of a new filter has arrived
    sig_enrolled = Signal(bool)  # whether this PC syncs with the district (the 同步 column)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, page_size: int = 100) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.query = ComplaintFilter()
        self._rows: list[ComplaintRow | None] = []
        self._cursor: Any = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._today = date.today()
        self._soon = self._today
        self._total: int | None = None
        self._pending: list[Any] = []
        self._states: dict[int, str] = {}  # complaint id -> sync state (absent: never synced)
        self.enrolled: bool | None = None  # None: not known yet
        # The whole length taken (a long list): rows not fetched yet are None.
        self._sparse = False
        self._positions: dict[int, int] = {}  # complaint id -> row
        self._loaded = 0  # rows fetched
        self._wanted: set[int] = set()  # pages a view asked for, not fetched yet
        self._fetching: set[int] = set()  # pages on their way
        self._fetch_timer = QTimer(self, singleShot=True, interval=FETCH_PAUSE_MS)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        ctx.ops.sig_changed.connect(self._on_changed)

    # -- what the view asks ---------------------------------------------------------------------
    def rowCount(self, parent: ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section].title)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[section].key == "sync":
                return self.tr("与区局同步的状态（本机未登记同步时为空）；此列不能排序")
            if COLUMNS[section].sort is None:
                return self.tr("此列不能排序")
            return self.tr("点击排序，再点一次反向")
        return None

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if row is None:  # its page is asked for; the row fills in when it arrives
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(index.row())
                return self.tr("载入中…") if index.column() == 0 else ""
            return None
        key = COLUMNS[index.column()].key
        if key == "sync" and role != Qt.ItemDataRole.UserRole:
            return self._sync_data(row.id, role)
        if key == "matched":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return row.matched
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        urgency = self.urgency(row)
        if role == Qt.ItemDataRole.BackgroundRole and urgency:
            return QBrush(OVERDUE_BACKGROUND if urgency == "overdue" else DUE_SOON_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and urgency:
            return QBrush(OVERDUE_TEXT if urgency == "overdue" else DUE_SOON_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and key == "due_on" and urgency:
            return self.tr("已超期") if urgency == "overdue" else self.tr("两个工作日内到期")
        return None

    def canFetchMore(self, parent: ANY_INDEX = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading and not self._sparse

    def fetchMore(self, parent: ANY_INDEX = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._loading or self._sparse:
            return
        self._load_page(first=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort
        if key is None:
            return
        # The natural order of each key is what a clerk wants first: newest numbers and times,
        # soonest deadlines. Qt's "ascending" indicator maps to that natural order.
        reverse = order == Qt.SortOrder.DescendingOrder
        if key is self.query.sort and reverse == self.query.reverse:
            return
        self.set_filter(replace(self.query, sort=key, reverse=reverse))

    # -- what the window asks -------------------------------------------------------------------
    def set_filter(self, query: ComplaintFilter) -> None:
        """Start over with a new filter: drop the rows, fetch the first page and the count."""
        self.query = query
        self._generation += 1
        for task in self._pending:
            task.cancel()  # results of an older filter are not wanted any more
        self._pending.clear()
        self.beginResetModel()
        self._rows, self._cursor, self._exhausted, self._loading = [], None, True, False
        self._total = None
        self._states = {}
        self._sparse, self._positions, self._loaded = False, {}, 0
        self._wanted, self._fetching = set(), set()
        self._fetch_timer.stop()
        self.endResetModel()
        self._load_page(first=True)
        self._count()

    def reload(self) -> None:
        self.set_filter(self.query)

    def row_at(self, row: int) -> ComplaintRow:
        found = self._rows[row]
        if found is None:
            raise LookupError(f"第 {row + 1} 行尚未载入")
        return found

    def loaded_row(self, row: int) -> ComplaintRow | None:
        """The row if it has been fetched (a long list's rows fill in as they are shown)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def loaded_count(self) -> int:
        """How many rows have been fetched."""
        return self._loaded

    @property
    def sparse(self) -> bool:
        """Whether the list has taken its whole length (rows fetched by position)."""
        return self._sparse

    def sync_state(self, complaint_id: int) -> str | None:
        """synced / waiting / conflict / rejected; None when never synced or not read yet."""
        return self._states.get(complaint_id)

    def row_of_id(self, complaint_id: int) -> int | None:
        return self._positions.get(complaint_id)

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def today(self) -> date:
        """The services' clock's day as of the last first page (deadline colours use it)."""
        return self._today

    @property
    def loading(self) -> bool:
        return self._loading

    def urgency(self, row: ComplaintRow) -> str | None:
        if row.due_on is None:
            return None
        if row.due_on < self._today:
            return "overdue"
        if row.due_on <= self._soon:
            return "soon"
        return None

    # -- internals -------------------------------------------------------------------------------
    def _text(self, row: ComplaintRow, key: str) -> str:
        """A catalogued field as the ledger shows it: codes, offices and people by name."""
        field, value = BY_NAME[key], row.value(key)
        lookups = self.ctx.lookups
        if value is None:
            return ""
        if field.kind == "datetime" and isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if field.kind == "date" and isinstance(value, date):
            return value.isoformat()
        if field.choices is not None:
            return field.choices(str(value)).label
        if field.codes is not None:
            return lookups.label(field.codes, str(value))
        if field.kind == "office" and isinstance(value, int):
            return lookups.office_name(value)
        if field.kind == "user" and isinstance(value, int):
            return lookups.user_name(value)
        return str(value)

    def _load_page(self, first: bool) -> None:
        services, user = self.ctx.services, self.ctx.user
        query, after, size, generation = self.query, self._cursor, self.page_size, self._generation

        def work(state: TaskState) -> Page | _FirstPage | None:
            if state.cancelled:
                return None
            page = services.complaints.page(user, query, after, limit=size)
            if not first:
                return page
            soon = services.complaints.due_soon_filter().due_until
            return _FirstPage(page, services.ctx.clock.today(), soon or services.ctx.clock.today())

        self._set_loading(True)
        task = self.ctx.ops.run(work, lambda result: self._page_arrived(generation, result),
                                owner=self, on_error=lambda e: self._failed(generation, e))
        self._pending.append(task)

    def _page_arrived(self, generation: int, result: Page | _FirstPage | None) -> None:
        if generation != self._generation or result is None:
            return
        if isinstance(result, _FirstPage):
            self._today, self._soon = result.today, result.soon
            page = result.page
        else:
            page = result
        self._place(0 if isinstance(result, _FirstPage) else self._loaded_end(), page.rows)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        self._set_loading(False)
        if isinstance(result, _FirstPage):
            self.sig_reset_done.emit()

    def _loaded_end(self) -> int:
        """Where the next page of a growing list goes: after the rows fetched in order."""
        return self._loaded if not self._sparse else self._contiguous()

    def _contiguous(self) -> int:
        n = 0
        while n < len(self._rows) and self._rows[n] is not None:
            n += 1
        return n

    def _place(self, start: int, rows: tuple[ComplaintRow, ...]) -> None:
        """Put fetched rows at their places: over blank rows of a long list, or appended."""
        if not rows:
            return
        end = start + len(rows)
        inside = max(0, min(end, len(self._rows)) - start)
        for i, row in enumerate(rows[:inside]):
            old = self._rows[start + i]
            if old is None:
                self._loaded += 1
            else:
                self._positions.pop(old.id, None)
            self._rows[start + i] = row
            self._positions[row.id] = start + i
        if inside:
            self.dataChanged.emit(self.index(start, 0), self.index(start + inside - 1, len(COLUMNS) - 1))
        if inside < len(rows):
            first = start + inside
            self.beginInsertRows(QModelIndex(), first, start + len(rows) - 1)
            for i, row in enumerate(rows[inside:]):
                self._rows.append(row)
                self._positions[row.id] = first + i
            self._loaded += len(rows) - inside
            self.endInsertRows()
        self._load_states([r.id for r in rows])

    # -- a long list: its whole length, pages by position ------------------------------------
    def _go_sparse(self, total: int) -> None:
        """The count says the list is long: take its whole length, blank rows to fill."""
        if self._sparse or total <= max(len(self._rows), self.page_size * SPARSE_PAGES):
            return
        self._sparse = True
        self._exhausted = True  # nothing is appended any more
        self.beginInsertRows(QModelIndex(), len(self._rows), total - 1)
        self._rows.extend([None] * (total - len(self._rows)))
        self.endInsertRows()

    def _want(self, row: int) -> None:
        page = row // self.page_size
        if page not in self._fetching:
            self._wanted.add(page)
            if not self._fetch_timer.isActive():
                self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        """Fetch the pages a view has just asked for, each run of neighbouring pages in one
        query from its best starting point."""
        wanted, self._wanted = sorted(self._wanted), set()
        runs: list[list[int]] = []
        for page in wanted:
            start = page * self.page_size
            end = min(start + self.page_size, len(self._rows))
            if start >= end or all(r is not None for r in self._rows[start:end]):
                continue
            if runs and runs[-1][-1] == page - 1 and len(runs[-1]) < RUN_PAGES:
                runs[-1].append(page)
            else:
                runs.append([page])
        for run in runs:
            self._fetching.update(run)
            self._fetch_at(run, run[0] * self.page_size,
                           min((run[-1] + 1) * self.page_size, len(self._rows)))

    def _cursor_of(self, row: ComplaintRow) -> Cursor:
        return Cursor(getattr(row, self.query.sort.value), row.id)

    def _fetch_at(self, pages: list[int], start: int, end: int) -> None:
        """Rows start..end-1: read forward from the nearest fetched row before them, or
        backwards from the nearest one after them or from the end, whichever skips less."""
        rows, size = self._rows, end - start
        before = next((i for i in range(start - 1, max(-1, start - 1 - 4 * self.page_size), -1)
                       if rows[i] is not None), None)
        after = next((i for i in range(end, min(len(rows), end + 4 * self.page_size))
                      if rows[i] is not None), None)
        skip_forward = start - (before + 1) if before is not None else start
        skip_backward = (after - end) if after is not None else len(rows) - end
        if skip_forward <= skip_backward:
            anchor = self._cursor_of(rows[before]) if before is not None else None  # type: ignore[arg-type]
            kwargs: dict[str, Any] = {"offset": skip_forward}
        else:
            anchor = self._cursor_of(rows[after]) if after is not None else None  # type: ignore[arg-type]
            kwargs = {"offset": skip_backward, "backwards": True}
        services, user, query, generation = self.ctx.services, self.ctx.user, self.query, self._generation

        def work(state: TaskState) -> Page | None:
            return None if state.cancelled else services.complaints.page(
                user, query, anchor, limit=size, **kwargs)

        def arrived(result: Page | None) -> None:
            if generation != self._generation:
                return
            self._fetching.difference_update(pages)
            if result is None:
                return
            # Read backwards, the rows end at `end`; forwards they begin at `start`.
            first = end - len(result.rows) if kwargs.get("backwards") else start
            self._place(first, result.rows)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._fetching.difference_update(pages)
            self.ctx.ops.report(None, error)

        self._pending.append(self.ctx.ops.run(work, arrived, owner=self, on_error=failed))

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._exhausted = True
            self._set_loading(False)
        self.ctx.ops.report(None, error)  # the reporter decides how to tell the user

    def _count(self) -> None:
        services, user, query, generation = self.ctx.services, self.ctx.user, self.query, self._generation
        self.sig_count_changed.emit(-1)

        def work(state: TaskState) -> int | None:
            return None if state.cancelled else services.complaints.count(user, query)

        def arrived(total: int | None) -> None:
            if generation == self._generation and total is not None:
                self._total = total
                self._go_sparse(total)
                self.sig_count_changed.emit(total)

        self._pending.append(self.ctx.ops.run(work, arrived, owner=self))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.sig_loading_changed.emit(loading)

    def _on_changed(self, changed: Changed) -> None:
        """Refresh only what this list shows: a new complaint may belong here, so start over;
        a changed one is fetched again by id and replaced in place."""
        # A new complaint may belong here; a calendar or rule change moves many due dates.
        if (changed.entity in ("complaint", "sync") and changed.created) \
                or changed.entity in ("calendar", "rule_set"):
            self.reload()
            return
        if changed.entity == "sync":  # a round or a resolved conflict: states moved
            ids = [r.id for r in self._rows if r is not None]
            for start in range(0, len(ids), STATES_CHUNK):
                self._load_states(ids[start:start + STATES_CHUNK])
            return
        if changed.entity == "complaint":
            ids = [i for i in changed.ids if self.row_of_id(i) is not None]
        elif changed.complaint_id is not None and self.row_of_id(changed.complaint_id) is not None:
            ids = [changed.complaint_id]
        else:
            ids = []
        if not ids:
            return
        services, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: services.complaints.rows(user, ids), self._replace_rows, owner=self)
        self._load_states(ids)  # a local change waits for the district now

    def _replace_rows(self, rows: list[ComplaintRow]) -> None:
        for fresh in rows:
            i = self.row_of_id(fresh.id)
            if i is not None:
                self._rows[i] = fresh
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    # -- sync states -----------------------------------------------------------------------------
    def _sync_data(self, complaint_id: int, role: int) -> Any:
        state = self._states.get(complaint_id)
        if state is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(STATE_LABELS[state])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(SYNC_TEXT[state])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(SYNC_TIPS[state])
        return None

    def _load_states(self, ids: list[int]) -> None:
        """The sync states of these rows, in a query of their own after the rows are shown."""
        if not ids:
            return
        sync, generation = self.ctx.services.sync, self._generation

        def work() -> tuple[bool, dict[int, str]]:
            # Not enrolled: the outbox fills all the same, but "待同步" would only alarm.
            enrolled = sync.settings().enrolled
            return enrolled, (sync.states_by_id(ids) if enrolled else {})

        self.ctx.ops.query(work, lambda found: self._states_arrived(generation, ids, *found),
                           owner=self)

    def _states_arrived(self, generation: int, ids: list[int], enrolled: bool,
                        states: dict[int, str]) -> None:
        if enrolled != self.enrolled:
            self.enrolled = enrolled
            self.sig_enrolled.emit(enrolled)  # the 同步 column is shown only when enrolled
        if generation != self._generation:
            return
        moved = []
        for complaint_id in ids:
            state = states.get(complaint_id)
            if state == self._states.get(complaint_id):
                continue
            if state is None:
                self._states.pop(complaint_id, None)
            else:
                self._states[complaint_id] = state
            moved.append(complaint_id)
        if not moved:
            return
        # One signal for the column's span of the rows that moved (a page is contiguous).
        rows = [self._positions[i] for i in moved if i in self._positions]
        if rows:
            column = COLUMN_INDEX["sync"]
            self.dataChanged.emit(self.index(min(rows), column), self.index(max(rows), column))
