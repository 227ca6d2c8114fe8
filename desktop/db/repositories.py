"""Repositories: every query the services need, written once, in SQLAlchemy 2 style."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from desktop.db import models as m
from desktop.db.batches import slices
from desktop.db.driver_rows import rows_in
from desktop.db.search import INDEXED_COLUMNS, index_text, match_expression
from desktop.domain.complaint import (
    DISTRICT_DISPATCH_CHANNEL,
    HOTLINE_IMPORT,
    ComplaintFilter,
    SortKey,
)
from desktop.domain.complaint_fields import LEDGER
from desktop.domain.numbering import (
    MAX_NUMBER_SLOT,
    format_number,
    parse_number,
    slot_range,
)
from desktop.domain.workflow import FINISHED

if TYPE_CHECKING:
    from desktop.db.uow import InsertCover

# Statuses in which nothing more happens (办结, a merged report, an answered question).
_FINISHED = tuple(s.value for s in FINISHED)

_DIGITS_RE = re.compile(r"^[0-9A-Za-z\-]{4,}$")
# From this many full-text matches on, a count checks the rows against the matches instead of
# looking each match up (ComplaintRepository._many_matches).
SCAN_FROM = 10_000
# Up to this many matches, a search page sorts the matching rows; beyond, it walks the index.
FTS_DIRECT_LIMIT = 2000
# A common word's page is looked for in windows of at least this many rows of the list.
FTS_WINDOW = 512
# A scope of up to this many offices is read office by office (ComplaintRepository._walk),
# for a page that skips at most this many rows (the model's jumps skip more: one walk then).
SPLIT_SCOPE_LIMIT = 64
SPLIT_OFFSET_LIMIT = 2000
# `_walk`'s statements by the shape of their conditions (the filter), built once.
_STATEMENTS: dict[Hashable, tuple[Any, Any]] = {}


class _RawStatement:
    """A reused list statement compiled once, run on the driver's own cursor: a plain page
    is a few hundred microseconds of SQLite, and SQLAlchemy's execution around it (the
    compiled cache's key, the parameters, the result's rows) would add a third to that.

    The parameters are bound and the values read as SQLAlchemy would (the columns' own bind
    and result processors); the rows are plain tuples in the statement's column order.
    `of` gives a false one (use SQLAlchemy) for a statement it cannot run so: one whose
    parameters are expanded at execution (IN lists)."""

    def __init__(self, sql: str = "", order: tuple[str, ...] = (), fixed: dict[str, Any] | None = None,
                 binds: dict[str, Any] | None = None,
                 reads: tuple[tuple[int, Any], ...] = ()) -> None:
        self.sql, self.order, self.fixed = sql, order, fixed or {}
        self.binds, self.reads = binds or {}, reads

    def __bool__(self) -> bool:
        return bool(self.sql)

    @classmethod
    def of(cls, statement: Any, dialect: Any) -> _RawStatement:
        compiled = statement.compile(dialect=dialect)
        order = tuple(compiled.positiontup or ())
        if (dialect.name != "sqlite" or dialect.paramstyle != "qmark" or "POSTCOMPILE" in compiled.string
                or any(b.expanding for b in compiled.binds.values())):
            return cls()
        dynamic = {"lim", "off", "arm", "after_value", "after_id"}
        binds = {name: p for name in order
                 if (p := compiled.binds[name].type._cached_bind_processor(dialect)) is not None}
        fixed = {}
        for name in order:
            if name in dynamic:
                continue
            value = compiled.binds[name].effective_value
            fixed[name] = binds[name](value) if name in binds and value is not None else value
        reads = tuple((i, p) for i, column in enumerate(statement.selected_columns)
                      if (p := column.type._cached_result_processor(dialect, None)) is not None)
        return cls(compiled.string, order, fixed, binds, reads)

    def rows(self, driver: Any, params: dict[str, Any]) -> list[Any]:
        """The rows for these parameters, on this driver (sqlite3) connection."""
        values = []
        for name in self.order:
            if name in self.fixed:
                values.append(self.fixed[name])
                continue
            value = params[name]
            process = self.binds.get(name)
            values.append(process(value) if process is not None and value is not None else value)
        cursor = driver.cursor()
        try:
            rows = cursor.execute(self.sql, values).fetchall()
        finally:
            cursor.close()
        if not self.reads or not rows:
            return rows
        columns = list(zip(*rows, strict=True))  # column by column: the reads in a comprehension
        for i, read in self.reads:
            columns[i] = tuple([None if v is None else read(v) for v in columns[i]])
        return list(zip(*columns, strict=True))


_RAW: dict[Hashable, _RawStatement] = {}
# What a list row (services.dto.ComplaintRow) is made of: the ledger's catalogued fields, the
# id and the version, read as plain rows, not as whole ORM objects.
# (The table's own columns: ORM attributes cost SQLAlchemy a comparison per column per page.)
_T = m.Complaint.__table__.c
LIST_COLUMNS = (_T.id, _T.version, *(_T[f.name] for f in LEDGER))
# Where this PC keeps its number block (the sync settings' number_slot).
NUMBER_SLOT_SETTING = "sync.number_slot"


@dataclass(frozen=True)
class Cursor:
    """Keyset position: the sort value and id of the last row of the previous page."""

    value: Any
    id: int


class OfficeRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, office_id: int) -> m.Office | None:
        return self.s.get(m.Office, office_id)

    def by_code(self, code: str) -> m.Office | None:
        return self.s.scalars(select(m.Office).where(m.Office.code == code)).first()

    def local(self) -> m.Office | None:
        """The office this installation belongs to (chosen at first start)."""
        row = self.s.get(m.AppSetting, "local_office_code")
        return self.by_code(row.value) if row is not None else None

    def all(self) -> Sequence[m.Office]:
        return self.s.scalars(select(m.Office).order_by(m.Office.parent_id, m.Office.code)).all()

    def district_of(self, office: m.Office) -> m.Office:
        """The district above `office` (the top of its tree; the office itself if it is one)."""
        while office.kind != "district" and office.parent_id is not None:
            parent = self.get(office.parent_id)
            if parent is None:
                break
            office = parent
        return office

    def subtree_ids(self, office_id: int) -> set[int]:
        """The office and every office below it (a sub-bureau's stations)."""
        ids, frontier = {office_id}, {office_id}
        while frontier:
            children = set(
                self.s.scalars(select(m.Office.id).where(m.Office.parent_id.in_(frontier))).all()
            )
            frontier = children - ids
            ids |= children
        return ids


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, user_id: int) -> m.User | None:
        return self.s.get(m.User, user_id)

    def by_username(self, username: str) -> m.User | None:
        return self.s.scalars(select(m.User).where(m.User.username == username)).first()

    def all(self) -> Sequence[m.User]:
        return self.s.scalars(select(m.User).order_by(m.User.office_id, m.User.username)).all()

    def count(self) -> int:
        return self.s.scalar(select(func.count()).select_from(m.User)) or 0


class EnterpriseRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, enterprise_id: int) -> m.Enterprise | None:
        return self.s.get(m.Enterprise, enterprise_id)

    def by_credit_code(self, code: str) -> m.Enterprise | None:
        return self.s.scalars(select(m.Enterprise).where(m.Enterprise.credit_code == code)).first()

    def by_name(self, name: str) -> m.Enterprise | None:
        return self.s.scalars(select(m.Enterprise).where(m.Enterprise.name == name)).first()

    def search(self, text_: str, limit: int = 20) -> Sequence[m.Enterprise]:
        """By name fragment or credit-code prefix, for autocomplete."""
        q = text_.strip()
        stmt = select(m.Enterprise).order_by(m.Enterprise.name).limit(limit)
        if q:
            like = q.replace("%", r"\%").replace("_", r"\_")
            stmt = stmt.where(
                or_(
                    m.Enterprise.name.like(f"%{like}%", escape="\\"),
                    m.Enterprise.credit_code.like(f"{like.upper()}%", escape="\\"),
                )
            )
        return self.s.scalars(stmt).all()

    def figures(self, enterprise_id: int, scope: frozenset[int] | set[int] | None) -> dict[str, int]:
        """One aggregate pass over the enterprise's complaints within the scope (see
        EnterpriseService.figures for what each number means)."""
        c = m.Complaint
        closed = c.status == "closed"

        def count_if(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        stmt = select(
            func.count(c.id).label("complaints"),
            count_if(c.status.not_in(_FINISHED)).label("open"),
            count_if(closed).label("closed"),
            count_if(and_(closed, c.result == "settled")).label("settled"),
            count_if(and_(closed, c.result.in_(("settled", "not_settled", "terminated"))))
            .label("mediated"),
            count_if(c.at_fault.is_(True)).label("at_fault"),
            func.coalesce(func.sum(c.recovered_cents), 0).label("recovered_cents"),
        ).where(c.enterprise_id == enterprise_id, c.kind == "complaint")
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(scope))
        return {k: int(v) for k, v in self.s.execute(stmt).one()._mapping.items()}


class CodeRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def items(self, kind: str, include_inactive: bool = False) -> Sequence[m.CodeItem]:
        stmt = select(m.CodeItem).where(m.CodeItem.kind == kind)
        if not include_inactive:
            stmt = stmt.where(m.CodeItem.active.is_(True))
        return self.s.scalars(stmt.order_by(m.CodeItem.sort_order, m.CodeItem.code)).all()

    def get(self, kind: str, code: str) -> m.CodeItem | None:
        return self.s.scalars(
            select(m.CodeItem).where(m.CodeItem.kind == kind, m.CodeItem.code == code)
        ).first()

    def rule_sets(self) -> Sequence[m.RuleSetRow]:
        return self.s.scalars(select(m.RuleSetRow).order_by(m.RuleSetRow.effective_from)).all()

    def overrides(self) -> Sequence[m.HolidayOverride]:
        return self.s.scalars(select(m.HolidayOverride).order_by(m.HolidayOverride.day)).all()

    def override(self, day: date) -> m.HolidayOverride | None:
        return self.s.scalars(select(m.HolidayOverride).where(m.HolidayOverride.day == day)).first()

    def confirmed_years(self) -> Sequence[m.CalendarYear]:
        return self.s.scalars(select(m.CalendarYear).order_by(m.CalendarYear.year)).all()

    def setting(self, key: str) -> str | None:
        row = self.s.get(m.AppSetting, key)
        return row.value if row else None

    def settings_under(self, prefix: str) -> dict[str, str]:
        """Every setting whose key starts with `prefix`, in one query, keyed without it."""
        rows = self.s.execute(select(m.AppSetting.key, m.AppSetting.value)
                              .where(m.AppSetting.key.startswith(prefix)))
        return {key.removeprefix(prefix): value for key, value in rows}

    def set_setting(self, key: str, value: str) -> None:
        row = self.s.get(m.AppSetting, key)
        if row is None:
            self.s.add(m.AppSetting(key=key, value=value))
        else:
            row.value = value

    def delete_setting(self, key: str) -> None:
        row = self.s.get(m.AppSetting, key)
        if row is not None:
            self.s.delete(row)


def dispatched_part(dispatched: bool) -> Any:
    """The ledger's 区局分流 part (True) or 自行接收 part (False): dispatched by the district,
    or imported from a hotline's work orders (which came the same way before the program)."""
    c = m.Complaint
    hotline = and_(c.import_kind.is_not(None), c.import_kind == HOTLINE_IMPORT)
    if dispatched:
        return or_(c.channel_code == DISTRICT_DISPATCH_CHANNEL, hotline)
    return and_(c.channel_code != DISTRICT_DISPATCH_CHANNEL, not_(hotline))


class ComplaintRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # A complaint is read with its clock pauses: deadlines need them, and loading them later
    # would flush half-made changes early (and bump the version twice in one action).
    def by_uuid(self, uuid: str) -> m.Complaint | None:
        return self.s.scalars(select(m.Complaint).where(m.Complaint.uuid == uuid)).first()

    def arrival_facts(self, uuids: Sequence[str]) -> list[Row[Any]]:
        """(uuid, number, status, due_on, channel_code) of the complaints with these UUIDs,
        in id order: what a pulled page's new complaints are looked at for."""
        out: list[Row[Any]] = []
        for part in slices(uuids):
            out += self.s.execute(select(
                m.Complaint.id, m.Complaint.uuid, m.Complaint.number, m.Complaint.status,
                m.Complaint.due_on, m.Complaint.channel_code)
                .where(m.Complaint.uuid.in_(part))).all()
        return sorted(out, key=lambda c: c.id)

    def by_uuids(self, uuids: Sequence[str]) -> list[m.Complaint]:
        """The complaints with these UUIDs, in id order (500 to a query)."""
        out: list[m.Complaint] = []
        for part in slices(uuids):
            out += self.s.scalars(select(m.Complaint).where(m.Complaint.uuid.in_(part))).all()
        return sorted(out, key=lambda c: c.id)

    def get(self, complaint_id: int) -> m.Complaint | None:
        return self.s.get(m.Complaint, complaint_id, options=[selectinload(m.Complaint.pauses)])

    def by_number(self, number: str) -> m.Complaint | None:
        return self.s.scalars(
            select(m.Complaint)
            .where(m.Complaint.number == number)
            .options(selectinload(m.Complaint.pauses))
        ).first()

    def next_sequence(self, office_id: int, day: date) -> int:
        """Allocate the next daily sequence number of an office (inside the writer's lock)."""
        row = self._sequence(office_id, day)
        row.last += 1
        return row.last

    def number_slot(self) -> int:
        """This PC's block of each day's numbers (numbering.slot_range), given by the hub at
        enrolment; 0 for a PC never enrolled, as a lone PC has always numbered."""
        row = self.s.get(m.AppSetting, NUMBER_SLOT_SETTING)
        try:
            slot = int(row.value) if row is not None else 0
        except ValueError:
            return 0
        return slot if 0 <= slot <= MAX_NUMBER_SLOT else 0

    def next_free_number(self, office_id: int, office_code: str, day: date) -> str | None:
        """The next number of the office's day in this PC's block that no complaint here holds
        (inside the writer's lock), or None when the block is used up for the day.

        Numbering goes on past the highest number of the block any complaint here has, so a
        number that came back from another PC, the district or a backup is stepped past; the
        day's counter keeps the highest sequence of all blocks known here (the audit check
        holds it against the numbers that exist)."""
        block = slot_range(self.number_slot())
        prefix = f"{office_code}-{day:%Y%m%d}-"
        held = {parsed.sequence for number in self.s.scalars(
                    select(m.Complaint.number).where(m.Complaint.number.startswith(prefix,
                                                                                   autoescape=True)))
                if (parsed := parse_number(number)) is not None}
        row = self._sequence(office_id, day)
        # A lone PC of block 0 keeps its counter's word too (a counter is never set back).
        start = max([block.start, *(s + 1 for s in held if s in block)]
                    + ([row.last + 1] if row.last in block else []))
        for sequence in range(start, block.stop):
            if sequence not in held:
                row.last = max(row.last, sequence)
                return format_number(office_code, day, sequence)
        return None

    def reserve_sequences(self, highest: dict[tuple[int, date], int]) -> None:
        """Numbers of these offices exist (they came back from the district): never hand them
        out. `highest`: the highest sequence of each (office, day); the counters are read in
        one query."""
        if not highest:
            return
        days = [day for _office, day in highest]
        rows = {(row.office_id, row.day): row for row in self.s.scalars(
            select(m.NumberSequence).where(
                m.NumberSequence.office_id.in_({office_id for office_id, _day in highest}),
                m.NumberSequence.day.between(min(days), max(days))))}
        for key, sequence in highest.items():
            row = rows.get(key)
            if row is None:
                row = m.NumberSequence(office_id=key[0], day=key[1], last=0)
                self.s.add(row)
            row.last = max(row.last, sequence)

    def _sequence(self, office_id: int, day: date) -> m.NumberSequence:
        row = self.s.get(m.NumberSequence, (office_id, day))
        if row is None:
            row = m.NumberSequence(office_id=office_id, day=day, last=0)
            self.s.add(row)
        return row

    def open_duplicates(
        self, phone: str, respondent_name: str, credit_code: str | None, exclude_id: int | None,
        scope: set[int] | None,
    ) -> Sequence[m.Complaint]:
        """Open complaints of the same phone against the same respondent (并案 candidates)."""
        same_respondent = m.Complaint.respondent_name == respondent_name
        if credit_code:
            same_respondent = or_(same_respondent, m.Complaint.respondent_credit_code == credit_code)
        stmt = select(m.Complaint).where(
            m.Complaint.complainant_phone == phone,
            m.Complaint.status.not_in(_FINISHED),
            same_respondent,
        )
        if exclude_id is not None:
            stmt = stmt.where(m.Complaint.id != exclude_id)
        if scope is not None:
            stmt = stmt.where(m.Complaint.office_id.in_(scope))
        return self.s.scalars(stmt.limit(10)).all()

    def linked(self, c: m.Complaint) -> list[tuple[str, m.Complaint]]:
        """(relation, item) for the items tied to `c` by 诉转案 or 并案, both ways."""
        out: list[tuple[str, m.Complaint]] = []
        for relation, key in (("来源投诉", c.origin_id), ("并入的举报", c.merged_into_id)):
            if key is not None and (other := self.s.get(m.Complaint, key)) is not None:
                out.append((relation, other))
        for relation, column in (("诉转案登记的举报", m.Complaint.origin_id),
                                 ("并入本件的重复举报", m.Complaint.merged_into_id)):
            out.extend((relation, o) for o in self.s.scalars(
                select(m.Complaint).where(column == c.id).order_by(m.Complaint.id).limit(50)))
        return out

    def same_person(self, exclude_id: int, name: str, phone: str, id_number: str | None,
                    since: date, scope: set[int] | None,
                    limit: int = 200) -> Sequence[m.Complaint]:
        """Complaints of the same person (name and phone, or ID number) received since
        `since`; another name on the same phone is a shared contact, not the same person."""
        c = m.Complaint
        person = [and_(c.complainant_phone == phone, c.complainant_name == name)] if phone else []
        if id_number:
            person.append(c.complainant_id_number == id_number)
        if not person:
            return []
        stmt = select(c).where(or_(*person), c.id != exclude_id, c.kind == "complaint",
                               c.received_at >= datetime.combine(since, time()))
        if scope is not None:
            stmt = stmt.where(c.office_id.in_(scope))
        return self.s.scalars(stmt.order_by(c.received_at.desc()).limit(limit)).all()

    def sharing_contact(self, exclude_id: int, name: str, phone: str, address: str,
                        scope: set[int] | None, limit: int = 50) -> list[tuple[m.Complaint, str]]:
        """Other people's complaints with this phone or this address (电话 / 地址)."""
        c = m.Complaint
        out: list[tuple[m.Complaint, str]] = []
        checks = [(c.complainant_phone == phone, "电话")] if phone else []
        # An address says little until it names a household: a bare district is shared by all.
        if len((address or "").strip()) >= 8:
            checks.append((c.complainant_address == address.strip(), "地址"))
        for condition, shares in checks:
            stmt = select(c).where(condition, c.id != exclude_id, c.complainant_name != name)
            if scope is not None:
                stmt = stmt.where(c.office_id.in_(scope))
            out.extend((o, shares) for o in self.s.scalars(stmt.limit(limit)))
        return out

    # -- lists ----------------------------------------------------------------------
    def _filtered(self, stmt: Select, f: ComplaintFilter, scope: AbstractSet[int] | None,
                  *, scan: bool = False) -> Select:
        """`stmt` with the whole filter, the search words as a set of matching ids (a count,
        an export, a printed list: everything the filter matches). `scan`: see _text_condition."""
        conditions = self._conditions(f, scope)
        if f.text.strip():
            conditions.append(self._text_condition(f.text.strip(), scan=scan))
        return stmt.where(and_(*conditions)) if conditions else stmt

    @staticmethod
    def _conditions(f: ComplaintFilter, scope: AbstractSet[int] | None) -> list[Any]:
        """The filter's conditions but its search words."""
        c = m.Complaint
        conditions: list[Any] = []
        if scope is not None:
            conditions.append(c.office_id.in_(sorted(scope)))
        if f.statuses:
            conditions.append(c.status.in_([s.value for s in f.statuses]))
        if f.open_only:
            conditions.append(c.status.not_in(_FINISHED))
        if f.channel_code:
            conditions.append(c.channel_code == f.channel_code)
        if f.category_code:
            conditions.append(c.category_code == f.category_code)
        if f.handler_id is not None:
            conditions.append(c.handler_id == f.handler_id)
        if f.office_id is not None:
            conditions.append(c.office_id == f.office_id)
        if f.enterprise_id is not None:
            conditions.append(c.enterprise_id == f.enterprise_id)
        if f.kind:
            conditions.append(c.kind == f.kind)
        if f.received_from is not None:
            conditions.append(c.received_at >= datetime.combine(f.received_from, time.min))
        if f.received_to is not None:
            conditions.append(
                c.received_at < datetime.combine(f.received_to + timedelta(days=1), time.min)
            )
        if f.due_before is not None:
            conditions.append(c.due_on < f.due_before)
        if f.due_from is not None:
            conditions.append(c.due_on >= f.due_from)
        if f.due_until is not None:
            conditions.append(c.due_on <= f.due_until)
        if f.closed_from is not None:
            conditions.append(c.closed_on >= f.closed_from)
        if f.closed_to is not None:
            conditions.append(c.closed_on <= f.closed_to)
        if f.dispatched is not None:
            conditions.append(dispatched_part(f.dispatched))
        if f.sort is SortKey.DUE:  # only complaints whose clock runs have a place in that order
            conditions.append(c.due_on.is_not(None))
        return conditions

    def _text_parts(self, query: str) -> tuple[list[Any], str | None]:
        """Every word must match: words go to the full-text index together (the MATCH
        expression returned); codes and phones to their columns and a lone character to LIKE
        (the conditions returned)."""
        indexed, conditions = [], []
        for word in query.split():
            if _DIGITS_RE.match(word) and any(ch.isdigit() for ch in word):
                conditions.append(self._code_condition(word))
            elif match_expression(word) is None:
                conditions.append(self._like_condition(word))
            else:
                indexed.append(word)
        return conditions, match_expression(" ".join(indexed)) if indexed else None

    def _text_condition(self, query: str, *, scan: bool = False) -> Any:
        """The search words as conditions. With `scan` the matching ids are a set that the
        complaints' rows are checked against, read from the smallest index that answers the
        other conditions (`+id`: not looked up by id): for a word found in many rows (退款 in
        one of five) SQLite would otherwise read each matching row's table page, a large part
        of the whole table (0.9 s at 1,000,000 when encrypted, where every page read is
        decrypted; 0.2 s as a scan). For a rare word the lookups are cheaper (see count)."""
        conditions, expression = self._text_parts(query)
        if expression is not None:
            column = literal_column(f"+{m.Complaint.__tablename__}.id", Integer) if scan else m.Complaint.id
            conditions.append(column.in_(
                text("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH :q").bindparams(
                    q=expression)))
        return and_(*conditions)

    @staticmethod
    def _code_condition(query: str) -> Any:
        """Phones and numbers by prefix (a range each column's index can answer, unlike LIKE);
        model numbers such as KFR-35GW through the text index."""
        c = m.Complaint
        prefix = query.upper()
        words = match_expression(query)
        in_text = (
            c.id.in_(
                text("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH :q").bindparams(
                    q=words
                )
            )
            if words
            else false()
        )
        columns = (
            (c.complainant_phone, query),
            (c.number, prefix),
            (c.district_number, prefix),
            (c.original_number, query),  # as the old ledger or the hotline wrote it
            (c.respondent_credit_code, prefix),
        )
        return or_(in_text, *(and_(col >= value, col < value + "\uffff") for col, value in columns))

    @staticmethod
    def _like_condition(query: str) -> Any:
        c = m.Complaint
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        columns = [getattr(c, name) for name in INDEXED_COLUMNS]
        return or_(*(col.like(f"%{escaped}%", escape="\\") for col in columns))

    def _many_matches(self, query: str) -> bool:
        """Whether the search words' index matches so many rows that checking every row of an
        index against them costs less than looking each match up (_text_condition's `scan`):
        the scan costs about 50 ms at 1,000,000 complaints, a lookup 1-4 µs (encrypted: 4)."""
        if not query.strip():
            return False
        expression = self._text_parts(query.strip())[1]
        return expression is not None and self._fts_count(expression, SCAN_FROM) >= SCAN_FROM

    def _fts_count(self, expression: str, limit: int) -> int:
        """How many rows the full-text index matches, counting no further than `limit`."""
        sql = text("SELECT count(*) FROM (SELECT rowid FROM complaints_fts "
                   "WHERE complaints_fts MATCH :q LIMIT :n)")
        return int(self.s.connection().scalar(sql.bindparams(q=expression, n=limit)) or 0)

    def _fts_ids(self, expression: str, limit: int, between: tuple[int, int] | None = None) -> list[int]:
        """Rowids the full-text index matches (at most `limit`, or those in an id range),
        read on the driver's cursor: thousands of plain integers, no result machinery."""
        if between is None:
            sql, params = ("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ? LIMIT ?",
                           (expression, limit))
        else:
            sql, params = ("SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ? "
                           "AND rowid BETWEEN ? AND ?", (expression, *between))
        cursor = self.s.connection().connection.cursor()
        try:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]
        finally:
            cursor.close()

    def page(
        self, f: ComplaintFilter, scope: AbstractSet[int] | None, after: Cursor | None, limit: int,
        *, offset: int = 0, backwards: bool = False, columns: Sequence[Any] | None = None,
    ) -> list[Row[Any]]:
        """A page of the list in its order as plain rows of `columns` (LIST_COLUMNS: what a
        list row shows): the `limit` rows after the keyset position `after`, skipping `offset`.
        `backwards` reads the list from its end (the rows come last first).

        A search's page: a word with up to FTS_DIRECT_LIMIT matches is answered from those
        ids; a common word (退款 is in a fifth of the ledger) is tested window by window
        along the list's own order (`_matching`), never by materialising every match."""
        c = m.Complaint
        key = self._sort_column(f)
        # Due dates read soonest first, times and numbers newest first; `reverse` flips either.
        ascending = ((f.sort is SortKey.DUE) != f.reverse) != backwards
        conditions = self._conditions(f, None)
        expression = None
        if f.text.strip():
            more, expression = self._text_parts(f.text.strip())
            conditions += more
        split = f.office_id is None  # one office named: its own part of each index already
        if expression is not None:
            common = self._fts_count(expression, FTS_DIRECT_LIMIT + 1) > FTS_DIRECT_LIMIT
            if not common:
                ids = self._fts_ids(expression, FTS_DIRECT_LIMIT)
            else:
                ids = self._matching(expression, conditions, scope, key, ascending, after,
                                     limit + offset, split)
                after = None  # the ids found are the page's rows, from `after` on
            conditions.append(c.id.in_(ids) if ids else false())
            split = False  # a few ids: fetched by id and sorted
        shape = (f, "page") if expression is None and not f.text.strip() else None
        return self._walk(columns or LIST_COLUMNS, conditions, scope, key, ascending, after,
                          limit, offset, split, shape)

    @staticmethod
    def _sort_column(f: ComplaintFilter) -> Any:
        return _T[f.sort.value]

    def _walk(self, columns: Sequence[Any], conditions: list[Any], scope: AbstractSet[int] | None,
              key: Any, ascending: bool, after: Cursor | None, limit: int, offset: int = 0,
              split: bool = True, shape: Hashable | None = None) -> list[Row[Any]]:
        """The rows meeting `conditions` in (key, id) order from `after` on.

        In a scope of several offices the rows are read office by office, each from its own
        part of the (office_id, key) index, and merged: one index walk over every office
        would test each row's office and, sorted by number, pass the whole of the other
        sub-bureau first (its numbers sort before ours).

        The position, the page's size and the ids are bound parameters: a caller that names
        the `shape` of its conditions (a filter without search words) gets the statements
        built once and reused (building one costs SQLAlchemy more than SQLite runs it)."""
        c = _T
        offices = sorted(scope) if scope is not None else None
        merge = (offices is not None and split and 1 < len(offices) <= SPLIT_SCOPE_LIMIT
                 and offset <= SPLIT_OFFSET_LIMIT)
        ids_only = len(columns) == 2 and columns[0] is c.id and columns[1] is key
        cache_key = None if shape is None else (
            shape, tuple(offices) if offices is not None else None, tuple(map(id, columns)),
            key.key, ascending, after is None, merge)
        built = _STATEMENTS.get(cache_key) if cache_key is not None else None
        if built is None:
            built = self._walk_statements(columns, conditions, offices, key, ascending,
                                          after is not None, merge, ids_only)
            if cache_key is not None:
                if len(_STATEMENTS) >= 256:
                    _STATEMENTS.clear()
                    _RAW.clear()
                _STATEMENTS[cache_key] = built
        first, second = built
        params: dict[str, Any] = {"lim": limit, "off": offset, "arm": limit + offset}
        if after is not None:
            params.update(after_value=after.value, after_id=after.id)
        if cache_key is not None and second is None:
            raw = _RAW.get(cache_key)
            if raw is None:
                raw = _RAW[cache_key] = _RawStatement.of(first, self.s.get_bind().dialect)
            if raw:
                bind = self.s.get_bind()
                if self.s.in_transaction() or not isinstance(bind, Engine):
                    # After other reads or writes (or on a given connection): in the same one.
                    return raw.rows(self.s.connection().connection.driver_connection, params)
                # A page on its own is one statement, a snapshot by itself: read on a pooled
                # connection without a transaction (its BEGIN and ROLLBACK through
                # SQLAlchemy cost as much again as the page).
                pooled = bind.raw_connection()
                try:
                    return raw.rows(pooled.driver_connection, params)
                finally:
                    pooled.close()
        connection = self.s.connection()  # plain rows, without the ORM's loading machinery
        if second is None:
            return list(connection.execute(first, params).all())
        ids = list(connection.scalars(first, params))
        if not ids:
            return []
        return list(connection.execute(second, {**params, "ids": ids}).all())

    @staticmethod
    def _walk_statements(columns: Sequence[Any], conditions: list[Any], offices: list[int] | None,
                         key: Any, ascending: bool, has_after: bool, merge: bool,
                         ids_only: bool) -> tuple[Any, Any]:
        """`_walk`'s statement, or its two: the merged offices' ids, then their rows."""
        c = _T
        order = (key.asc(), c.id.asc()) if ascending else (key.desc(), c.id.desc())

        def part(*more: Any) -> Select:
            stmt = select(*columns).where(*conditions, *more)
            if has_after:
                position = (tuple_(key, c.id),
                            tuple_(bindparam("after_value", type_=key.type), bindparam("after_id")))
                stmt = stmt.where(position[0] > position[1] if ascending else position[0] < position[1])
            return stmt.order_by(*order)

        lim, off = bindparam("lim"), bindparam("off")
        if offices is None:
            return part().limit(lim).offset(off), None
        if not merge:
            return part(c.office_id.in_(offices)).limit(lim).offset(off), None
        # The page's ids from the offices' parts, then its rows by id: a union of only two
        # columns is cheap to build (SQLAlchemy proxies every column of a subquery).
        parts = [part(c.office_id == office).with_only_columns(c.id, key).limit(bindparam("arm"))
                 .subquery() for office in offices]
        merged = union_all(*(select(p) for p in parts)).subquery()
        mk, mid = merged.c[1], merged.c[0]
        merged_order = (mk.asc(), mid.asc()) if ascending else (mk.desc(), mid.desc())
        if ids_only:
            return select(mid, mk).order_by(*merged_order).limit(lim).offset(off), None
        return (select(mid).order_by(*merged_order).limit(lim).offset(off),
                select(*columns).where(c.id.in_(bindparam("ids", expanding=True))).order_by(*order))

    def _matching(self, expression: str, conditions: list[Any], scope: AbstractSet[int] | None,
                  key: Any, ascending: bool, after: Cursor | None, want: int, split: bool) -> list[int]:
        """The first `want` ids, in the list's order from `after`, that meet `conditions` and
        match the full-text `expression`: the list is read a window of ids at a time (an index
        walk), and the index asked only for its matches within that window's id range."""
        c = _T
        found: list[int] = []
        window = max(8 * want, FTS_WINDOW)  # a word in a fifth of the rows: one window
        while len(found) < want:
            rows = self._walk((c.id, key), conditions, scope, key, ascending, after, window, 0, split)
            if not rows:
                break
            ids = [r[0] for r in rows]
            matches = set(self._fts_ids(expression, 0, (min(ids), max(ids))))
            found += [i for i in ids if i in matches]
            if len(rows) < window:
                break
            after = Cursor(rows[-1][1], rows[-1][0])
            window *= 4  # a rarer word: read further at once
        return found[:want]

    def chronological(self, f: ComplaintFilter, scope: AbstractSet[int] | None,
                      limit: int) -> list[m.Complaint]:
        """Everything the filter matches, oldest first, as a printed list reads (at most `limit`)."""
        c = m.Complaint
        stmt = self._filtered(select(c), f, scope).options(selectinload(c.pauses))
        return list(self.s.scalars(stmt.order_by(c.received_at, c.id).limit(limit)).all())

    def list_rows(self, ids: Sequence[int], scope: AbstractSet[int] | None) -> list[Row[Any]]:
        """The list rows (LIST_COLUMNS) of these complaints, those in scope."""
        out: list[Row[Any]] = []
        for part in slices(list(ids)):
            stmt = select(*LIST_COLUMNS).where(m.Complaint.id.in_(part))
            if scope is not None:
                stmt = stmt.where(m.Complaint.office_id.in_(sorted(scope)))
            out += self.s.execute(stmt).all()
        return out

    def by_ids(self, ids: Sequence[int], scope: set[int] | None) -> list[m.Complaint]:
        stmt = select(m.Complaint).where(m.Complaint.id.in_(list(ids)))
        if scope is not None:
            stmt = stmt.where(m.Complaint.office_id.in_(scope))
        return list(self.s.scalars(stmt).all())

    def open_batch(self, after_id: int, limit: int) -> list[m.Complaint]:
        """Complaints not yet closed, in id order, for recomputing their deadlines."""
        return list(
            self.s.scalars(
                select(m.Complaint)
                .where(m.Complaint.status.not_in(_FINISHED), m.Complaint.id > after_id)
                .order_by(m.Complaint.id)
                .limit(limit)
            ).all()
        )

    def count(self, f: ComplaintFilter, scope: set[int] | None) -> int:
        if not f.text.strip() and not self._conditions(f, None):
            # Nothing but the scope: the offices' tallies (migration 0019), one page, not an
            # index read whole (552 pages at 1,000,000 complaints, each decrypted when encrypted).
            t = m.ComplaintTally
            total = select(func.sum(t.n))
            if scope is not None:
                total = total.where(t.office_id.in_(sorted(scope)))
            return int(self.s.scalar(total) or 0)
        stmt = self._filtered(select(func.count()).select_from(m.Complaint), f, scope,
                              scan=self._many_matches(f.text))
        return self.s.scalar(stmt) or 0

    def mediation_records(self, complaint_id: int) -> Sequence[m.MediationRecord]:
        """The complaint's mediation records in force (a corrected one gives way to its
        correction), by when they were held: what the printed forms show."""
        replaced = select(m.MediationRecord.replaces_id).where(
            m.MediationRecord.complaint_id == complaint_id,
            m.MediationRecord.replaces_id.is_not(None))
        return self.s.scalars(
            select(m.MediationRecord)
            .where(m.MediationRecord.complaint_id == complaint_id,
                   m.MediationRecord.id.not_in(replaced))
            .order_by(m.MediationRecord.held_at, m.MediationRecord.id)
        ).all()

    def texts(self, ids: Sequence[int], columns: Sequence[str]) -> dict[int, dict[str, str | None]]:
        """These columns of these complaints (a page's rows), by id: one query."""
        if not ids:
            return {}
        ids = list(ids)
        dialect = self.s.get_bind().dialect
        if any(_T[c].type._cached_result_processor(dialect, None) is not None for c in columns):
            found = self.s.execute(select(_T.id, *(_T[c] for c in columns)).where(_T.id.in_(ids)))
            return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in found}
        # Columns read as stored (texts), on the driver's cursor: SQLAlchemy's statement and
        # rows for a hundred ids cost more than SQLite's reading them.
        names = ", ".join(_T[c].name for c in columns)
        return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows_in(
            self.s.connection(), f"SELECT id, {names} FROM complaints WHERE id IN ({{}})", ids)}

    def mediation_record(self, record_id: int) -> m.MediationRecord | None:
        return self.s.get(m.MediationRecord, record_id)

    def correction_of(self, record_id: int) -> m.MediationRecord | None:
        """The record that replaces this one, if it was corrected."""
        return self.s.scalars(select(m.MediationRecord)
                              .where(m.MediationRecord.replaces_id == record_id).limit(1)).first()

    def all_mediation_records(self, complaint_id: int) -> Sequence[m.MediationRecord]:
        """Every mediation record of the complaint, corrected ones included."""
        return self.s.scalars(
            select(m.MediationRecord)
            .where(m.MediationRecord.complaint_id == complaint_id)
            .order_by(m.MediationRecord.held_at, m.MediationRecord.id)
        ).all()

    def attachments(self, complaint_id: int) -> Sequence[m.Attachment]:
        return self.s.scalars(
            select(m.Attachment)
            .where(m.Attachment.complaint_id == complaint_id)
            .order_by(m.Attachment.added_at, m.Attachment.id)
        ).all()

    def bulk_insert(self, rows: list[dict[str, Any]]) -> None:
        """Insert many complaint rows at once (demo data, imports); the FTS trigger indexes them."""
        self.s.execute(m.Complaint.__table__.insert(), rows)

    def bulk_load(self, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                  progress: Callable[[int], None] | None = None, batch: int = 20_000,
                  cover: InsertCover | None = None) -> tuple[int, int]:
        """Insert a great many complaint rows (benchmark-sized demo data) as `bulk_insert`
        would, in the caller's transaction, only faster: value tuples in the columns' order
        straight to the driver's executemany, converted as SQLAlchemy converts them and with
        the columns' scalar defaults; the full-text trigger off during the load and the
        index filled once at the end, by the same function the trigger calls (memoised for
        the load: generated rows repeat their texts); the offices' tally trigger off too and
        the rows counted as they go, added once; a larger page cache meanwhile.

        The rows end up as `bulk_insert` would have left them, with the same ids. With a
        `cover`, each row's audit hash is worked out from its values as it goes (the batch
        entry then need not read the rows back). Returns (the first new id, rows loaded)."""
        table = m.Complaint.__table__
        dialect = self.s.get_bind().dialect
        given = list(columns)
        defaults = [c for c in table.columns if c.key not in given and c.default is not None
                    and c.default.is_scalar]
        names = given + [c.key for c in defaults]
        fixed = tuple(c.default.arg for c in defaults)  # type: ignore[union-attr]
        processors = [(i, p) for i, name in enumerate(given)
                      if (p := table.c[name].type._cached_bind_processor(dialect)) is not None]
        insert = (f"INSERT INTO complaints ({', '.join(names)}) "
                  f"VALUES ({', '.join('?' for _ in names)})")
        connection = self.s.connection()
        raw = connection.connection.driver_connection
        assert raw is not None
        cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB while loading
        done = 0
        # Generated rows repeat their texts: the index function memoised for the load.
        memo = lru_cache(maxsize=65_536)(index_text)
        try:
            with insert_triggers_deferred(connection, memo) as deferred:
                first = deferred.first
                add = cover.start(names, dialect) if cover is not None else None
                office = given.index("office_id")
                tally = deferred.offices = Counter()  # kept here: the rows pass by anyway
                cursor = raw.cursor()
                chunk: list[tuple[Any, ...]] = []
                for row in rows:
                    values = list(row)
                    tally[values[office]] += 1
                    for i, process in processors:
                        if values[i] is not None:
                            values[i] = process(values[i])
                    stored = (*values, *fixed)
                    if add is not None:
                        add(first + done + len(chunk), stored)
                    chunk.append(stored)
                    if len(chunk) >= batch:
                        cursor.executemany(insert, chunk)
                        done += len(chunk)
                        chunk = []
                        if progress:
                            progress(done)
                if chunk:
                    cursor.executemany(insert, chunk)
                    done += len(chunk)
                cursor.close()
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
        return first, done


# Triggers on complaints that do per row what a bulk insert does once for all its rows.
_FTS_INSERT_TRIGGER = "complaints_fts_ai"
_TALLY_INSERT_TRIGGER = "complaint_tally_ai"


@dataclass
class DeferredInserts:
    first: int  # the first new row's id: the rows from it on are the ones inserted meanwhile
    # The new rows counted by office, when the caller counted them as they went by; else the
    # new rows are counted at the end.
    offices: Counter[int] | None = None


@contextmanager
def insert_triggers_deferred(connection: Connection, index: Callable[..., str] | None = None
                             ) -> Iterator[DeferredInserts]:
    """For many complaints inserted in this transaction at once: the full-text and the tally
    triggers off while they go in; afterwards the new rows are indexed in one statement, by
    the function the trigger calls (`index` in its place for the fill: a memoised one), and
    added to their offices' tallies in one; then the triggers are made again.

    Measured (10,000 pulled complaints): 2.4 s of SQLite with the full-text trigger, 1.3 s so;
    the 200,000-row demo 35.4 s with the tally trigger, 27.2 s so (a trigger makes each INSERT
    keep a statement journal). SQLite's DDL is transactional: no other connection ever sees
    the triggers gone, and a rollback restores them."""
    names = (_FTS_INSERT_TRIGGER, _TALLY_INSERT_TRIGGER)
    triggers = [connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).scalar_one()
        for name in names]
    deferred = DeferredInserts(
        (connection.exec_driver_sql("SELECT max(id) FROM complaints").scalar() or 0) + 1)
    for name in names:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        yield deferred
        offices = sorted(deferred.offices.items()) if deferred.offices is not None else \
            connection.exec_driver_sql(
                "SELECT office_id, count(*) FROM complaints WHERE id >= ? GROUP BY office_id",
                (deferred.first,)).all()
        raw.executemany("INSERT INTO complaint_tally (office_id, n) VALUES (?, ?) "
                        "ON CONFLICT (office_id) DO UPDATE SET n = n + excluded.n",
                        [tuple(o) for o in offices])
        if index is not None:
            raw.create_function("hejie_index_text", -1, index, deterministic=True)
        # The new rows' index, in id order, as the trigger would have made it row by row.
        connection.exec_driver_sql(
            f"INSERT INTO complaints_fts(rowid, body) SELECT id, "
            f"hejie_index_text({', '.join(INDEXED_COLUMNS)}) FROM complaints "
            f"WHERE id >= ? ORDER BY id", (deferred.first,))
    finally:
        if index is not None:
            raw.create_function("hejie_index_text", -1, index_text, deterministic=True)
        if raw.in_transaction:  # not after SQLite itself rolled back (which restored them)
            for trigger in triggers:
                connection.exec_driver_sql(trigger)


class PrintingRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, printing: m.Printing) -> None:
        self.s.add(printing)

    def of_complaint(self, complaint_id: int, checksum: str | None = None) -> Sequence[m.Printing]:
        """A complaint's printings, newest first (only those with `checksum`, if given)."""
        stmt = select(m.Printing).where(m.Printing.complaint_id == complaint_id)
        if checksum is not None:
            stmt = stmt.where(m.Printing.checksum == checksum)
        return self.s.scalars(stmt.order_by(m.Printing.printed_at.desc(), m.Printing.id.desc())).all()


class DisclosureRepository:
    """The monthly disclosure lists, their rows, requests and decisions."""

    MEDIATED = ("settled", "not_settled", "terminated")

    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, obj: Any) -> None:
        self.s.add(obj)

    def list_for(self, scope_office_id: int, month: date) -> m.DisclosureList | None:
        return self.s.scalars(select(m.DisclosureList).where(
            m.DisclosureList.scope_office_id == scope_office_id,
            m.DisclosureList.month == month)).one_or_none()

    def get_list(self, list_id: int) -> m.DisclosureList | None:
        return self.s.get(m.DisclosureList, list_id)

    def lists_of(self, scope_office_id: int, first: date, last: date) -> Sequence[m.DisclosureList]:
        return self.s.scalars(select(m.DisclosureList).where(
            m.DisclosureList.scope_office_id == scope_office_id,
            m.DisclosureList.month.between(first, last)).order_by(m.DisclosureList.month)).all()

    def entry(self, entry_id: int) -> m.DisclosureEntry | None:
        return self.s.get(m.DisclosureEntry, entry_id)

    def request(self, request_id: int) -> m.DisclosureRequest | None:
        return self.s.get(m.DisclosureRequest, request_id)

    def requests_of(self, list_id: int) -> Sequence[m.DisclosureRequest]:
        """A list's objections and corrections, in the order they were filed."""
        r = m.DisclosureRequest
        return self.s.scalars(
            select(r).join(m.DisclosureEntry, m.DisclosureEntry.id == r.entry_id)
            .where(m.DisclosureEntry.list_id == list_id).order_by(r.filed_at, r.id)).all()

    def requests_of_entry(self, entry_id: int) -> Sequence[m.DisclosureRequest]:
        r = m.DisclosureRequest
        return self.s.scalars(select(r).where(r.entry_id == entry_id).order_by(r.id)).all()

    def decisions(self, *, list_id: int | None = None,
                  request_ids: Sequence[int] = ()) -> Sequence[m.DisclosureDecision]:
        d = m.DisclosureDecision
        condition = d.list_id == list_id if list_id is not None else d.request_id.in_(request_ids)
        return self.s.scalars(select(d).where(condition).order_by(d.decided_at, d.id)).all()

    def candidates(self, scope: set[int], first: date, last: date) -> list[m.Complaint]:
        """Complaints of the scope closed in [first, last] after acceptance and mediation: what
        seed 002 publishes (受理并办结的投诉). Oldest first."""
        c = m.Complaint
        stmt = select(c).where(
            c.office_id.in_(scope), c.status == "closed", c.closed_on.between(first, last),
            c.accepted_on.is_not(None), c.result.in_(self.MEDIATED), c.kind == "complaint")
        return list(self.s.scalars(stmt.order_by(c.received_at, c.id)).all())

    def candidate_ids(self, scope: set[int], first: date, last: date) -> set[int]:
        """The ids of `candidates`, without loading the complaints."""
        c = m.Complaint
        return set(self.s.scalars(select(c.id).where(
            c.office_id.in_(scope), c.status == "closed", c.closed_on.between(first, last),
            c.accepted_on.is_not(None), c.result.in_(self.MEDIATED),
            c.kind == "complaint")).all())

    def entry_offices(self, list_id: int) -> dict[int, int]:
        """complaint id → handling office, for every row of a list, in one query."""
        e, c = m.DisclosureEntry, m.Complaint
        rows = self.s.execute(select(c.id, c.office_id).join(e, e.complaint_id == c.id)
                              .where(e.list_id == list_id)).all()
        return dict(rows)  # type: ignore[arg-type]

    def shown_counts(self, list_ids: Sequence[int]) -> dict[int, int]:
        """Rows to be published (not excluded) per list."""
        e = m.DisclosureEntry
        rows = self.s.execute(select(e.list_id, func.count()).where(
            e.list_id.in_(list(list_ids)), e.excluded.is_(False)).group_by(e.list_id)).all()
        return dict(rows)  # type: ignore[arg-type]

    def enterprise_counts(self, scope: set[int], first: date, last: date) -> list[dict[str, Any]]:
        """Per respondent (credit code, else name): accepted in the period, closed after
        acceptance in the period, of those mediated and settled. Largest first."""
        c = m.Complaint
        in_period = lambda column: column.between(first, last)  # noqa: E731
        closed = and_(c.status == "closed", in_period(c.closed_on), c.accepted_on.is_not(None))

        def count_if(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        key = func.coalesce(c.respondent_credit_code, c.respondent_name)
        stmt = (
            select(
                func.max(c.respondent_name).label("respondent"),
                func.max(c.respondent_credit_code).label("credit_code"),
                count_if(in_period(c.accepted_on)).label("accepted"),
                count_if(closed).label("closed"),
                count_if(and_(closed, c.result.in_(self.MEDIATED))).label("mediated"),
                count_if(and_(closed, c.result == "settled")).label("settled"),
                key.label("key"),
            )
            .where(c.office_id.in_(scope),
                   or_(in_period(c.accepted_on), in_period(c.closed_on)))
            .group_by(key)
        )
        rows = [dict(r._mapping) for r in self.s.execute(stmt)]
        rows = [r for r in rows if r["accepted"] or r["closed"]]
        rows.sort(key=lambda r: (-r["accepted"] - r["closed"], r["respondent"]))
        return rows


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def history(self, root_uuid: str) -> Sequence[m.AuditEntry]:
        return self.s.scalars(
            select(m.AuditEntry).where(m.AuditEntry.root_uuid == root_uuid).order_by(m.AuditEntry.id)
        ).all()

    def iterate(self, batch: int = 5000) -> Iterator[m.AuditEntry]:
        last = 0
        while True:
            rows = self.s.scalars(
                select(m.AuditEntry).where(m.AuditEntry.id > last).order_by(m.AuditEntry.id).limit(batch)
            ).all()
            if not rows:
                return
            yield from rows
            last = rows[-1].id
            self.s.expunge_all()

    def autoincrement_high_water(self) -> int:
        value = self.s.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
        ).scalar_one_or_none()
        return int(value or 0)

    def count(self) -> int:
        return self.s.scalar(select(func.count()).select_from(m.AuditEntry)) or 0


def integrity_check(session: Session) -> list[str]:
    return [row[0] for row in session.execute(text("PRAGMA integrity_check")).all()]


def tally_differences(session: Session) -> list[tuple[str, int, int]]:
    """Offices whose complaint tally (migration 0019) differs from their real number of
    complaints, as (office code, tallied, real); [] when they agree or the file has no tally
    yet (an older revision, which the migration will count)."""
    exists = session.execute(text(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'complaint_tally'")).first()
    if exists is None:
        return []
    tallied = dict(tuple(r) for r in session.execute(text("SELECT office_id, n FROM complaint_tally")))
    real = dict(tuple(r) for r in session.execute(text(
        "SELECT office_id, count(*) FROM complaints GROUP BY office_id")))
    codes = dict(tuple(r) for r in session.execute(text("SELECT id, code FROM offices")))
    return [(codes.get(office, f"#{office}"), tallied.get(office, 0), real.get(office, 0))
            for office in sorted(tallied.keys() | real.keys())
            if tallied.get(office, 0) != real.get(office, 0)]


def recount_tally(session: Session) -> None:
    """Count every office's complaints into the tally again (in the caller's transaction)."""
    session.execute(text("DELETE FROM complaint_tally"))
    session.execute(text("INSERT INTO complaint_tally (office_id, n) "
                         "SELECT office_id, count(*) FROM complaints GROUP BY office_id"))


class AuditDataRepository:
    """The audit log and the audited tables read with Core, fast, for `audit verify` and the
    hub's anchors (count and hash of the n-th entry)."""

    COLUMNS = ("id", "at", "user_id", "username", "office_code", "action", "entity",
               "entity_uuid", "root_uuid", "operation", "before", "after", "reason",
               "prev_hash", "hash")

    def __init__(self, session: Session) -> None:
        self.s = session

    def chain(self, batch: int = 20_000) -> Iterator[Any]:
        """Every entry as a row (named like AuditEntry's columns), oldest first."""
        table = m.AuditEntry.__table__
        columns = [table.c[name] for name in self.COLUMNS]
        last = 0
        while True:
            rows = self.s.execute(select(*columns).where(table.c.id > last)
                                  .order_by(table.c.id).limit(batch)).all()
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def sequence(self) -> int | None:
        """audit_log's AUTOINCREMENT high-water mark in sqlite_sequence; None without a row."""
        value = self.s.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
        ).scalar_one_or_none()
        return None if value is None else int(value)

    def head(self) -> tuple[int, str]:
        """(number of entries, hash of the last one; "" for an empty log)."""
        count = self.s.scalar(select(func.count()).select_from(m.AuditEntry)) or 0
        last = self.s.scalar(select(m.AuditEntry.hash).order_by(m.AuditEntry.id.desc()).limit(1))
        return count, last or ""

    def hash_at(self, position: int) -> str | None:
        """The hash of the `position`-th entry (1-based) in chain order, None past the end."""
        if position < 1:
            return None
        return self.s.scalar(select(m.AuditEntry.hash).order_by(m.AuditEntry.id)
                             .offset(position - 1).limit(1))

    def rows(self, table: Any, batch: int = 20_000) -> Iterator[Any]:
        """A table's rows as mappings, in id order."""
        last = None
        while True:
            query = select(table).order_by(table.c.id).limit(batch)
            if last is not None:
                query = query.where(table.c.id > last)
            rows = self.s.execute(query).mappings().all()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]


class AuditStateRepository:
    """What `audit verify` holds against the log beside the travelling records: who has which
    role, the settings that make this PC an office and a device of the district, and the
    counters complaint numbers are handed out from."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def user_roles(self) -> set[tuple[int, str]]:
        return {(user_id, role) for user_id, role in
                self.s.execute(select(m.UserRole.user_id, m.UserRole.role))}

    def usernames(self) -> dict[int, str]:
        return {row[0]: row[1] for row in self.s.execute(select(m.User.id, m.User.username))}

    def settings(self, keys: Sequence[str]) -> dict[str, str]:
        return {row[0]: row[1] for row in self.s.execute(
            select(m.AppSetting.key, m.AppSetting.value).where(m.AppSetting.key.in_(list(keys))))}

    def offices(self) -> dict[str, int]:
        return {row[0]: row[1] for row in self.s.execute(select(m.Office.code, m.Office.id))}

    def number_counters(self) -> dict[tuple[int, date], int]:
        """(office id, day) -> the last daily sequence handed out."""
        t = m.NumberSequence
        return {(office_id, day): last for office_id, day, last in
                self.s.execute(select(t.office_id, t.day, t.last))}
