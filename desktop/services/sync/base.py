"""What every part of the sync service shares: its stored settings, the hub client, what a
round remembers, and completing the records that arrive (by a pull or a receipt)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ssl
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy.exc import SQLAlchemyError

from desktop.db.models import OutboxOp, RuleSetRow
from desktop.db.repositories import CodeRepository, ComplaintRepository, OfficeRepository
from desktop.db.sync.apply import Applied
from desktop.db.sync.office_reference import DEADLINE_PARTS, install
from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import Actor, UnitOfWork
from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL
from desktop.domain.deadlines import rule_set_for
from desktop.domain.errors import DomainError, FieldError
from desktop.domain.numbering import DISPATCH_SEQUENCE_BASE, parse_number
from desktop.domain.workflow import Status
from desktop.security import blobs
from desktop.security.keys import DataKey
from desktop.services.audit import AuditService
from desktop.services.base import Service, ServiceContext, rule_set_of_row
from desktop.services.dto import CurrentUser
from desktop.services.sync_info import SyncReport, SyncSettings
from desktop.sync import bundle
from desktop.sync.client import HubClient, LocalCode, SyncError, encode_push
from desktop.sync.json_read import loads
from desktop.sync.protocol import Operation

if TYPE_CHECKING:
    from desktop.services.complaints import ComplaintService

SYNC_ACTOR = Actor(None, "sync", "")
_KEYS = ("hub_url", "hub_id", "device_id", "token", "bundle_key", "office", "cursor",
         "interval_minutes", "ca_bundle", "last_run_at", "last_result", "last_ok", "bundles",
         "receipts", "cursor_bundle", "session", "last_success_at", "last_success",
         "last_failure_at", "last_failure", "clock_skew", "renumbered", "outdated",
         "after_restore", "number_slot")
DEFAULT_INTERVAL = 15
SET_ASIDE_SHOWN = 50  # the held-aside records the status lists (the count is of all)
RENUMBERED_KEPT = 10  # the latest renumberings the status keeps to show

ClientFactory = Callable[[str, str | None, str | None], HubClient]
Progress = Callable[[str, int, int], None]  # (what, done, total)


def check_ca_bundle(path: str) -> str:
    """A certificate file the connection can load (PEM); '' for the system's authorities.
    Checked before connecting: the HTTP client would fail on it with no useful message."""
    path = path.strip()
    if not path:
        return ""
    if not Path(path).is_file():
        raise FieldError("证书文件", f"找不到文件 {path}")
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        raise FieldError("证书文件", "这不是可用的证书文件（应为 PEM 格式的 CA 证书）") from None
    return path


class SyncBase(Service):

    def _data_key(self) -> DataKey | None:
        """The data key attachments are sealed with (None: a plain database)."""
        return self.ctx.keyring.key if self.ctx.keyring is not None else None
    def __init__(self, ctx: ServiceContext, client_factory: ClientFactory | None = None,
                 audit: AuditService | None = None, *,
                 complaints: ComplaintService) -> None:
        super().__init__(ctx)
        # Anchors this office's audit head at the hub at the end of every round.
        self.audit = audit
        # Works out the deadline of a complaint the district dispatched, as at registration.
        self.complaints = complaints
        self.client_factory: ClientFactory = client_factory or (
            lambda url, token, ca: HubClient(url, token=token, ca_bundle=ca))
        self._running = threading.Lock()  # one round at a time in this program
        # The office-reference parts installed during a round's pull (round.py), or None.
        self._arrived: set[str] | None = None
        # This PC's clock in UTC, compared with the hub's at each session (tests shift the hub's).
        self.utc_now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None)
        with UnitOfWork(ctx.engine, SYNC_ACTOR, "同步恢复", outbox=False) as uow:
            if SyncRepository(uow.session).recover_sending():
                uow.commit()

    # -- settings -------------------------------------------------------------------------
    def _read(self) -> dict[str, str]:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            stored = CodeRepository(uow.session).settings_under("sync.")
        return {k: stored.get(k, "") for k in _KEYS}

    @staticmethod
    def _write(uow: UnitOfWork, **values: str) -> None:
        codes = CodeRepository(uow.session)
        for key, value in values.items():
            codes.set_setting(f"sync.{key}", value)

    def settings(self) -> SyncSettings:
        v = self._read()
        return SyncSettings(enrolled=bool(v["token"]), hub_url=v["hub_url"], office=v["office"],
                            device_id=v["device_id"],
                            interval_minutes=int(v["interval_minutes"] or DEFAULT_INTERVAL),
                            ca_bundle=v["ca_bundle"],
                            number_slot=int(v["number_slot"]) if v["number_slot"].isdigit() else 0)

    def _client(self, v: dict[str, str]) -> HubClient:
        if not v["token"]:
            raise SyncError("本机尚未登记到区局同步服务器，请先在「设置 → 同步」中登记",
                            LocalCode.NOT_ENROLLED)
        return self.client_factory(v["hub_url"], v["token"], v["ca_bundle"] or None)


    def _remember(self, text: str, *, ok: bool, outdated: bool = False,
                  pulled: bool = False) -> None:
        """`pulled`: the district's records for this office were all taken in (a whole round,
        a receipt), which ends the wait after a restore (services/backup.py)."""
        now = self.ctx.clock.now()
        values = {"last_run_at": now.strftime("%Y-%m-%d %H:%M"), "last_result": text,
                  "last_ok": "1" if ok else "0", "outdated": "1" if outdated else ""}
        if ok and pulled and self._read()["after_restore"]:
            values["after_restore"] = ""
        at = now.strftime("%Y-%m-%d %H:%M:%S")
        if ok:
            values |= {"last_success_at": at, "last_success": text}
        else:
            values |= {"last_failure_at": at, "last_failure": text}
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步记录", outbox=False) as uow:
            self._write(uow, **values)
            uow.commit()

    def _remember_failure(self, text: str, *, outdated: bool = False) -> None:
        """Every failed round is noted; a database that cannot take even that (full, locked)
        must not hide the round's own error."""
        with contextlib.suppress(DomainError, SQLAlchemyError):
            self._remember(text, ok=False, outdated=outdated)

    @staticmethod
    def _tally(report: SyncReport, applied: Applied) -> None:
        report.pulled += applied.applied + applied.released + applied.deleted
        report.kept_local += applied.kept_local
        report.held += applied.held
        report.released += applied.released
        report.set_aside += applied.set_aside
        report.dispatched += applied.dispatched

    def _fill(self, entity: str, attrs: dict[str, Any]) -> None:
        if entity == "complaints" and not attrs.get("rule_set_code") and attrs.get("received_at"):
            attrs["rule_set_code"] = rule_set_for(self.ctx.reference.rule_sets(),
                                                  attrs["received_at"].date()).code

    def _install_references(self, uow: UnitOfWork, applied: Applied) -> None:
        """An office reference that arrived is written into this PC's tables when it is this
        office's own (a sub-bureau also receives its stations' documents: kept, not installed:
        the sub-bureau's calendar and rule sets are its own administrator's)."""
        if not applied.references:
            return
        local = OfficeRepository(uow.session).local()
        repo = SyncRepository(uow.session)
        for uuid in dict.fromkeys(applied.references):
            row = repo.record("office_references", uuid)
            if row is not None and local is not None and row.office_id == local.id:
                applied.reference_parts |= install(uow.session, row, keep_shipped_rule_set)

    def _reference_arrived(self, parts: set[str], user: CurrentUser | None = None) -> None:
        """After the transaction that installed an office reference: the cached calendar and
        rule sets are read again, and the open complaints' due dates follow them."""
        if not parts:
            return
        self.ctx.reference.invalidate()
        if parts & DEADLINE_PARTS:
            self.complaints.refresh_due_dates(user)

    def _complete_arrivals(self, uow: UnitOfWork, applied: Applied) -> None:
        """A complaint the district dispatched arrives without this office's rule set and
        deadline: they are worked out here, from its received date, as at registration.
        A complaint numbered by an office of this database (this program, restored from a
        backup, getting back what it had registered since) moves that day's numbering past
        it, so the next registration does not hand its number out again."""
        self._install_references(uow, applied)
        if not applied.new_complaints:
            return
        repo = ComplaintRepository(uow.session)
        offices = {o.code: o.id for o in OfficeRepository(uow.session).all()}
        highest: dict[tuple[int, date], int] = {}  # each office's day once, not per complaint
        due: list[str] = []
        # What deciding needs, as plain rows; whole objects only for those given a deadline.
        for c in repo.arrival_facts(applied.new_complaints):
            if c.due_on is None and Status(c.status).is_open:
                due.append(c.uuid)
            if c.channel_code == DISTRICT_DISPATCH_CHANNEL:
                applied.dispatched.append(c.number)
            number = parse_number(c.number)
            if number is not None and number.office_code in offices \
                    and number.sequence <= DISPATCH_SEQUENCE_BASE:
                key = (offices[number.office_code], number.day)
                highest[key] = max(highest.get(key, 0), number.sequence)
        repo.reserve_sequences(highest)
        for complaint in repo.by_uuids(due):
            self.complaints.refresh_due(complaint)
        uow.session.flush()


@functools.cache
def _shipped() -> dict[str, Any]:
    from desktop.services.reference import shipped_rule_sets

    return {item.rules.code: item for item in shipped_rule_sets()}


def keep_shipped_rule_set(code: str, values: dict[str, Any]) -> bool:
    """A rule set of a pulled office reference that is exactly as an earlier revision of this
    program shipped it does not replace this PC's: the PC that sent it runs an older program,
    and this program's start-up update (apply_shipped_rule_sets) has brought it further."""
    item = _shipped().get(code)
    if item is None or not item.earlier:
        return False
    try:
        attrs = dict(values)
        attrs["effective_from"] = date.fromisoformat(attrs["effective_from"])
        return rule_set_of_row(RuleSetRow(**attrs)) in item.earlier
    except (KeyError, TypeError, ValueError):
        return False


def to_operation(op: OutboxOp) -> Operation:
    # Built without validation: every value is this program's own, already of its type (the
    # outbox row's columns, its JSON written by the outbox); the hub validates what it gets.
    return Operation.model_construct(
        op_id=op.op_id, entity=op.entity, uuid=op.record_uuid, kind=op.kind,
        base_version=op.base_version, before=loads(op.before), after=loads(op.after),
        people=loads(op.people), made_at=op.made_at, made_by=op.made_by)


def push_body(ops: Sequence[OutboxOp]) -> bytes:
    """A push's body written around the outbox rows' own JSON texts: the same values as
    `encode_push([to_operation(op) for op in ops])` gives (tests/sync/test_push_body.py), without
    parsing each record's fields and writing them again (a fifth of this PC's time in a push).
    A text that is not plain JSON of an object — empty, or with NaN or Infinity, which the
    standard library writes and JSON has not, or with a lone surrogate, which UTF-8 has not —
    sends the batch the way it always went."""
    parts = []
    for op in ops:
        texts = (op.before, op.after, op.people)
        if not all(t.startswith("{") and t.endswith("}") and "NaN" not in t
                   and "Infinity" not in t for t in texts):
            return encode_push([to_operation(o) for o in ops])
        try:
            before, after, people = (t.encode("utf-8") for t in texts)
        except UnicodeEncodeError:
            return encode_push([to_operation(o) for o in ops])
        head = orjson.dumps({"op_id": op.op_id, "entity": op.entity, "uuid": op.record_uuid,
                             "kind": op.kind, "base_version": op.base_version,
                             "made_at": op.made_at, "made_by": op.made_by})
        parts.append(b"".join((head[:-1], b',"before":', before, b',"after":', after,
                               b',"people":', people, b"}")))
    return b'{"ops":[' + b",".join(parts) + b"]}"


def store_blob(data_dir: Path, sha256: str, data: bytes, key: DataKey | None = None) -> Path:
    """Write an attachment's plain bytes under their hash, sealed with the data key
    (security/blobs.py): checked, temp name, then renamed."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise bundle.BundleError(f"附件 {sha256[:12]}… 与校验值不符，未保存")
    return blobs.write(data_dir, sha256, data, key)


