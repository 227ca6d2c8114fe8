"""Sync with the district: enrolment, the push/pull round, conflicts, USB bundles and receipts.

The order of a round: operations left `sending` by a killed program go back to `pending`;
attachments are uploaded (resumable); operations are pushed in ordered batches and marked only
as the hub's reply lists them; then pages are pulled and each is applied together with its
cursor in one transaction; finally the attachments of pulled records are downloaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import ssl
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from desktop import paths
from desktop.db.models import Office, OutboxOp, new_uuid
from desktop.db.repositories import CodeRepository, ComplaintRepository, OfficeRepository
from desktop.db.sync_apply import Applied
from desktop.db.sync_repo import SyncRepository
from desktop.db.uow import Actor, UnitOfWork
from desktop.db.wire import BY_WIRE, Codec
from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL
from desktop.domain.deadlines import rule_set_for
from desktop.domain.errors import DomainError, FieldError, NotFound
from desktop.domain.numbering import DISPATCH_SEQUENCE_BASE, parse_number
from desktop.domain.workflow import Role, Status
from desktop.files import write_atomic
from desktop.services.audit import AuditService, verdict_text
from desktop.services.base import Service, ServiceContext, require_role
from desktop.services.complaints import ComplaintService
from desktop.services.dto import CurrentUser
from desktop.services.sync_info import (
    FIELD_LABELS,
    BundleSummary,
    ConflictField,
    ConflictInfo,
    Enrolment,
    ReceiptSummary,
    SetAside,
    SyncReport,
    SyncSettings,
    SyncStatus,
    clock_warning,
    outdated_message,
)
from desktop.sync import bundle
from desktop.sync.client import HubClient, LocalCode, SyncError
from desktop.sync.protocol import (
    ENTITY,
    PULL_PAGE,
    PUSH_BATCH,
    STATUS_FIELD,
    ErrorCode,
    Operation,
    OpResult,
    PulledRecord,
    SessionResponse,
)

SYNC_ACTOR = Actor(None, "sync", "")
_KEYS = ("hub_url", "hub_id", "device_id", "token", "bundle_key", "office", "cursor",
         "interval_minutes", "ca_bundle", "last_run_at", "last_result", "last_ok", "bundles",
         "receipts", "cursor_bundle", "session", "last_success_at", "last_success",
         "last_failure_at", "last_failure", "clock_skew", "renumbered", "outdated")
DEFAULT_INTERVAL = 15
SET_ASIDE_SHOWN = 50  # the held-aside records the status lists (the count is of all)
RENUMBERED_KEPT = 10  # the latest renumberings the status keeps to show

ClientFactory = Callable[[str, str | None, str | None], HubClient]
Progress = Callable[[str, int, int], None]  # (what, done, total)


def _stopped(report: SyncReport, cancel: Callable[[], bool] | None) -> bool:
    """Whether the user asked to stop; the report then says the round was cut short."""
    if cancel is not None and cancel():
        report.cancelled = True
    return report.cancelled


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


class SyncService(Service):
    def __init__(self, ctx: ServiceContext, client_factory: ClientFactory | None = None,
                 audit: AuditService | None = None) -> None:
        super().__init__(ctx)
        # Anchors this office's audit head at the hub at the end of every round.
        self.audit = audit
        self.client_factory: ClientFactory = client_factory or (
            lambda url, token, ca: HubClient(url, token=token, ca_bundle=ca))
        self._running = threading.Lock()  # one round at a time in this program
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
                            ca_bundle=v["ca_bundle"])

    def set_options(self, user: CurrentUser, *, interval_minutes: int, ca_bundle: str = "") -> None:
        require_role(user, Role.ADMIN, doing="修改同步设置")
        if not 0 <= interval_minutes <= 24 * 60:
            raise FieldError("自动同步间隔", "应在 0（不自动同步）到 1440 分钟之间")
        ca_bundle = check_ca_bundle(ca_bundle)
        with self._uow(user, "修改同步设置") as uow:
            self._write(uow, interval_minutes=str(interval_minutes), ca_bundle=ca_bundle)
            uow.commit()

    def status(self) -> SyncStatus:
        v = self._read()
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            counts = repo.counts()
            conflicts = len(repo.open_conflicts())
            held = repo.held_count()
            refusals = tuple(repo.refusal_counts()) if counts.get("rejected") else ()
            aside = repo.set_aside()
            items = self._set_aside_items(repo, aside[:SET_ASIDE_SHOWN])
        return SyncStatus(
            enrolled=bool(v["token"]),
            waiting=counts.get("pending", 0) + counts.get("sending", 0),
            conflicts=conflicts, rejected=counts.get("rejected", 0), held=held,
            last_run_at=v["last_run_at"], last_result=v["last_result"],
            last_ok=None if not v["last_ok"] else v["last_ok"] == "1", refusals=refusals,
            last_success_at=v["last_success_at"], last_success=v["last_success"],
            last_failure_at=v["last_failure_at"], last_failure=v["last_failure"],
            set_aside=len(aside), set_aside_items=items,
            clock_warning=clock_warning(float(v["clock_skew"]) if v["clock_skew"] else None),
            renumbered=tuple(json.loads(v["renumbered"] or "[]")), outdated=v["outdated"] == "1",
            **self._audit_state())

    def _audit_state(self) -> dict[str, Any]:
        """The hub's last word on this office's audit log, when it is not plain agreement."""
        state = self.audit.last_anchor() if self.audit is not None else None
        if state is None or state.status not in ("restored", "diverged"):
            return {}
        return {"audit_warning": f"区局审计核对（{state.at}）：{state.message}",
                "audit_diverged": state.status == "diverged"}

    @staticmethod
    def _set_aside_items(repo: SyncRepository, rows: Any) -> tuple[SetAside, ...]:
        records = [PulledRecord.model_validate_json(row.payload) for row in rows]
        parents = repo.complaint_numbers([c for r in records
                                          if isinstance(c := r.data.get("complaint"), str)])
        out = []
        for row, record in zip(rows, records, strict=True):
            spec = ENTITY.get(record.entity)
            label = spec.label if spec else record.entity
            number, parent = record.data.get("number"), record.data.get("complaint")
            if record.entity == "complaints" and isinstance(number, str):
                what = f"投诉 {number[:40]}"
            elif isinstance(parent, str):
                what = f"{label}（投诉 {parents.get(parent) or parent[:8] + '…'}）"
            else:
                what = f"{label} {record.uuid[:8]}…"
            at = row.held_at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
            out.append(SetAside(record.entity, label, record.uuid, what, record.owner[:12],
                                row.reason, at))
        return tuple(out)

    def retry_rejected(self, user: CurrentUser) -> int:
        """Queue the operations the district refused again (the next round sends them)."""
        require_role(user, Role.ADMIN, Role.CLERK, Role.STATION_HEAD, Role.DESK_STAFF,
                     doing="重新发送被拒绝的记录")
        with self._uow(user, "重新发送被拒绝的同步记录") as uow:
            count = SyncRepository(uow.session).retry_rejected()
            if count:
                uow.log_bulk("sync_outbox", {"retried": count})
            uow.commit()
        return count

    def states(self, complaint_uuids: list[str]) -> dict[str, str]:
        """conflict / rejected / waiting / synced for each complaint (absent: never synced)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            return SyncRepository(uow.session).states(complaint_uuids)

    def states_by_id(self, complaint_ids: list[int]) -> dict[int, str]:
        """The same, keyed by the complaints' local ids (for the ledger's rows)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            uuids = repo.uuids_of(complaint_ids)
            states = repo.states(list(uuids.values()))
        return {cid: states[uuid] for cid, uuid in uuids.items() if uuid in states}

    def refusals(self, complaint_id: int) -> list[str]:
        """Why the district refused changes of this complaint (its state is then rejected)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            repo = SyncRepository(uow.session)
            uuid = repo.uuids_of([complaint_id]).get(complaint_id)
            return repo.refusals(uuid) if uuid else []

    # -- enrolment ------------------------------------------------------------------------
    def enrol(self, user: CurrentUser, url: str, code: str, *, ca_bundle: str = "",
              device_name: str = "") -> Enrolment:
        """Register this office's program with the hub; then everything it holds is queued."""
        require_role(user, Role.ADMIN, doing="登记到区局同步")
        if not code.strip():
            raise FieldError("登记码", "请填写区局管理员给出的一次性登记码")
        ca_bundle = check_ca_bundle(ca_bundle)
        local = self._local_office()
        client = self.client_factory(url, None, ca_bundle or None)
        try:
            answer = client.enrol(code, device_name or socket.gethostname())
        finally:
            client.close()
        if answer.office != local.code:
            raise SyncError(f"这个登记码属于单位 {answer.office}，而本机是「{local.name}」"
                            f"（{local.code}），未登记", ErrorCode.BAD_CODE)
        with self._uow(user, "登记到区局同步") as uow:
            self._adopt_offices(uow, answer.offices)
            self._write(uow, hub_url=client.url, hub_id=answer.hub_id, device_id=answer.device_id,
                        token=answer.token, bundle_key=answer.bundle_key, office=answer.office,
                        cursor="", ca_bundle=ca_bundle, bundles="[]", receipts="[]",
                        cursor_bundle="")
            offices = OfficeRepository(uow.session)
            ours = offices.subtree_ids(offices.local().id)  # type: ignore[union-attr]
            queued = SyncRepository(uow.session).enqueue_unknown(user.username, ours)
            at_hub = {o.code for o in answer.offices}
            missing = tuple(f"{o.name}（{o.code}）" for o in offices.all()
                            if o.id in ours and o.code not in at_hub)
            uow.commit()
        return Enrolment(self.settings(), queued, missing)

    def _local_office(self) -> Office:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            office = OfficeRepository(uow.session).local()
            if office is None:
                raise DomainError("本机尚未设置所属单位")
            return office

    @staticmethod
    def _adopt_offices(uow: UnitOfWork, offices: list[Any]) -> None:
        """Offices the district knows and this program does not (a new station) are added."""
        repo = SyncRepository(uow.session)
        for wire in sorted(offices, key=lambda o: ("district", "sub_bureau", "station").index(o.kind)):
            if repo.office_by_code(wire.code) is not None:
                continue
            parent = repo.office_by_code(wire.parent) if wire.parent else None
            uow.session.add(Office(code=wire.code, name=wire.name, kind=wire.kind, tier=wire.tier,
                                   parent_id=parent.id if parent else None, address=wire.address,
                                   phone=wire.phone))
            uow.session.flush()

    def _client(self, v: dict[str, str]) -> HubClient:
        if not v["token"]:
            raise SyncError("本机尚未登记到区局同步服务器，请先在「设置 → 同步」中登记",
                            LocalCode.NOT_ENROLLED)
        return self.client_factory(v["hub_url"], v["token"], v["ca_bundle"] or None)

    # -- a round --------------------------------------------------------------------------
    def run(self, user: CurrentUser | None = None, progress: Progress | None = None,
            cancel: Callable[[], bool] | None = None) -> SyncReport:
        """Push what is waiting, pull what the district has; the report says what went each way."""
        if not self._running.acquire(blocking=False):
            raise SyncError("同步正在进行中，请等它完成", ErrorCode.SESSION_BUSY)
        report = SyncReport()
        v = self._read()
        try:
            try:
                self._round(v, report, progress, cancel)
            except SyncError as exc:
                if exc.code != ErrorCode.PROTOCOL:
                    raise
                # Not the network: this program (or the hub) is of another protocol version.
                raise SyncError(outdated_message(str(exc)), exc.code) from exc
        except DomainError as exc:
            self._remember_failure(f"同步失败：{exc}",
                                   outdated=getattr(exc, "code", None) == ErrorCode.PROTOCOL)
            raise
        except Exception as exc:
            # A fault of this program: the window shows its crash report; the panel says so.
            self._remember_failure(f"同步失败：程序内部错误（{type(exc).__name__}），"
                                   f"请把错误报告交给技术支持；数据仍保存在本机")
            raise
        finally:
            self._running.release()
        self._remember(report.summary(), ok=True)
        return report

    def _round(self, v: dict[str, str], report: SyncReport, progress: Progress | None,
               cancel: Callable[[], bool] | None) -> None:
        client = self._client(v)
        try:
            with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步恢复", outbox=False) as uow:
                repo = SyncRepository(uow.session)
                repo.recover_sending()
                backlog = repo.waiting()
                uow.commit()
            self._end_orphaned_session(client, v["session"])
            opened = client.start_session(backlog)
            self._remember_session(f"{opened.session}|{os.getpid()}")
            self._check_clock(opened, report)
            self._upload_blobs(client, report, progress)
            self._push(client, report, progress, cancel)
            if not _stopped(report, cancel):
                self._pull(client, v, report, progress, cancel)
                self._download_blobs(client, report, progress)
                self._anchor_audit(client, report)
        finally:
            # Forgotten only once the hub has really ended it: a session left open (the hub
            # crashed, the network dropped) is ended at the start of the next round.
            if client.session is not None and client.end_session():
                self._remember_session("")
            client.close()

    def _anchor_audit(self, client: HubClient, report: SyncReport) -> None:
        """Leave this office's audit head with the hub, after the round's own writes; a log
        that no longer agrees with what the hub anchored is said in the round's report."""
        if self.audit is None:
            return
        verdict = self.audit.anchor(client)
        if verdict is not None and verdict.status in ("restored", "diverged"):
            report.audit_warning = verdict_text(verdict)
            report.messages.append(report.audit_warning)

    def _check_clock(self, opened: SessionResponse, report: SyncReport) -> None:
        """Compare this PC's clock with the hub's: registrations take this PC's time."""
        server = opened.server_time
        if server.tzinfo is not None:
            server = server.astimezone(UTC).replace(tzinfo=None)
        skew = (server - self.utc_now()).total_seconds() / 60
        report.clock_warning = clock_warning(skew)
        if report.clock_warning:
            report.messages.append(report.clock_warning)
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步时钟", outbox=False) as uow:
            self._write(uow, clock_skew=f"{skew:.1f}")
            uow.commit()

    def _end_orphaned_session(self, client: HubClient, remembered: str) -> None:
        """A session left open by this program when it was killed is ended, so a restart can
        sync at once instead of waiting for the hub to let it expire. One that belongs to
        another program still running here (the command line beside the window) is left."""
        session, _, pid = remembered.partition("|")
        if not session or not pid.isdigit() or _alive(int(pid)):
            return
        client.session = session
        if client.end_session():
            self._remember_session("")

    def _remember_session(self, value: str) -> None:
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步会话", outbox=False) as uow:
            self._write(uow, session=value)
            uow.commit()

    def _remember(self, text: str, *, ok: bool, outdated: bool = False) -> None:
        now = self.ctx.clock.now()
        values = {"last_run_at": now.strftime("%Y-%m-%d %H:%M"), "last_result": text,
                  "last_ok": "1" if ok else "0", "outdated": "1" if outdated else ""}
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

    def _push(self, client: HubClient, report: SyncReport, progress: Progress | None,
              cancel: Callable[[], bool] | None) -> None:
        deferred: list[int] = []
        renumbered: set[str] = set()
        self._renumber(report, renumbered)  # refusals a killed round could not act on
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            total = SyncRepository(uow.session).waiting()
        done = 0
        while not _stopped(report, cancel):
            with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步发送", outbox=False) as uow:
                repo = SyncRepository(uow.session)
                batch = list(repo.next_batch(PUSH_BATCH, skip=deferred))
                if not batch:
                    break
                repo.mark_sending([op.id for op in batch])
                uow.commit()
            try:
                answer = client.push([to_operation(op) for op in batch])
            except BaseException:
                # Not killed, only failed: the operations go again next time (the hub
                # recognises any it had already applied). A kill leaves them `sending`,
                # which the next start turns back to `pending` just the same.
                with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步发送", outbox=False) as uow:
                    SyncRepository(uow.session).record_results(batch, [])
                    uow.commit()
                raise
            with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步确认", outbox=False) as uow:
                tally = SyncRepository(uow.session).record_results(batch, answer.results)
                uow.commit()
            report.pushed += tally["acked"]
            report.conflicts += tally["conflict"]
            report.rejected += tally["rejected"]
            report.deferred += tally["deferred"]
            report.unanswered += tally["unanswered"]
            if tally["rejected"]:
                self._renumber(report, renumbered)  # they go in this round's next batch
            answered = {r.op_id: r.status for r in answer.results}
            deferred += [op.id for op in batch if answered.get(op.op_id, "deferred") == "deferred"]
            done += len(batch)
            if progress:
                progress("发送", done, max(total, done))
            if tally["unanswered"] == len(batch):
                break  # the hub answered nothing: do not spin; the next round sends them

    def _renumber(self, report: SyncReport, done: set[str]) -> None:
        """Complaints whose number the district refused as another's get the next free number
        of their office and receipt day, in one audited transaction (重新编号, the old number
        in the reason); the outbox then sends each as a whole new record. Once per round each:
        if the new number is taken too, the next round (after the pull brought the district's
        numbers back) gives another."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            todo = [u for u in SyncRepository(uow.session).number_taken() if u not in done]
        for uuid in todo:
            done.add(uuid)
            with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "重新编号") as uow:
                text = self._give_new_number(uow, uuid)
                uow.commit()
            if text:
                report.renumbered.append(text)
                report.messages.append(text)

    def _give_new_number(self, uow: UnitOfWork, uuid: str) -> str:
        repo = ComplaintRepository(uow.session)
        complaint = repo.by_uuid(uuid)
        office = uow.session.get(Office, complaint.office_id) if complaint else None
        if complaint is None or office is None:
            SyncRepository(uow.session).forget_refusal_code(uuid)
            return ""
        number = repo.next_free_number(office.id, office.code, complaint.received_at.date())
        if number is None:
            SyncRepository(uow.session).forget_refusal_code(uuid)
            return ""  # the day's numbers are used up: it stays refused, with the reason
        old = complaint.number
        text = f"投诉单号 {old} 与区局已有单号重复，已改为 {number}"
        uow.reason = text  # the history shows the change 旧号 → 新号 with this reason
        complaint.number = number
        uow.flush()
        kept = json.loads(CodeRepository(uow.session).settings_under("sync.").get(
            "renumbered") or "[]")
        self._write(uow, renumbered=json.dumps(([text] + kept)[:RENUMBERED_KEPT],
                                               ensure_ascii=False))
        return text

    def _pull(self, client: HubClient, v: dict[str, str], report: SyncReport,
              progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self._retry_set_aside(report)
        cursor = v["cursor"]
        restarted = False
        while not _stopped(report, cancel):
            try:
                page = client.pull(cursor, PULL_PAGE)
            except SyncError as exc:
                if exc.code != ErrorCode.CURSOR_INVALID or restarted:
                    raise
                # The hub no longer knows where this office stopped: take everything again.
                # Records with changes waiting here are kept; the outbox is untouched.
                restarted = True
                report.full_download = True
                report.messages.append(str(exc))
                cursor = ""
                continue
            applied = self.apply_records(page.records, page.cursor)
            cursor = page.cursor
            self._tally(report, applied)
            if progress:
                progress("接收", report.pulled, report.pulled + (PULL_PAGE if page.more else 0))
            if not page.more:
                break

    def apply_records(self, records: list[PulledRecord], cursor: str | None) -> Applied:
        """One page and its cursor in one transaction: a kill between them loses neither."""
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步接收", outbox=False) as uow:
            local = OfficeRepository(uow.session).local()
            assert local is not None
            applied = SyncRepository(uow.session).apply(records, local.id, self._fill)
            self._complete_arrivals(uow, applied)
            if cursor is not None:
                self._write(uow, cursor=cursor)
            uow.commit()
        return applied

    def _retry_set_aside(self, report: SyncReport) -> None:
        """Records held aside are tried again each round: what kept one out may be gone (the
        complaint that had its number was renumbered, this program was updated)."""
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            records = SyncRepository(uow.session).set_aside_records()
        if records:
            applied = self.apply_records(records, None)
            applied.set_aside = 0  # still held aside: not new
            self._tally(report, applied)

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

    def _complete_arrivals(self, uow: UnitOfWork, applied: Applied) -> None:
        """A complaint the district dispatched arrives without this office's rule set and
        deadline: they are worked out here, from its received date, as at registration.
        A complaint numbered by an office of this database (this program, restored from a
        backup, getting back what it had registered since) moves that day's numbering past
        it, so the next registration does not hand its number out again."""
        if not applied.new_complaints:
            return
        complaints = ComplaintService(self.ctx)
        repo = ComplaintRepository(uow.session)
        offices = {o.code: o.id for o in OfficeRepository(uow.session).all()}
        for c in repo.by_uuids(applied.new_complaints):
            if c.due_on is None and Status(c.status).is_open:
                complaints.refresh_due(c)
            if c.channel_code == DISTRICT_DISPATCH_CHANNEL:
                applied.dispatched.append(c.number)
            number = parse_number(c.number)
            if number is not None and number.office_code in offices \
                    and number.sequence <= DISPATCH_SEQUENCE_BASE:
                repo.reserve_sequence(offices[number.office_code], number.day, number.sequence)
        uow.session.flush()

    # -- attachments ----------------------------------------------------------------------
    def _upload_blobs(self, client: HubClient, report: SyncReport, progress: Progress | None) -> None:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            ops = [op for op in SyncRepository(uow.session).unacknowledged()
                   if op.entity == "attachments" and op.kind == "upsert"]
        shas = {json.loads(op.after).get("sha256") for op in ops} - {None}
        for i, sha in enumerate(sorted(shas)):
            path = paths.attachment_path(self.ctx.data_dir, sha)
            if not path.is_file():
                report.messages.append(f"附件文件 {sha[:12]}… 在本机缺失，无法上传")
                continue
            status = client.blob_status(sha)
            if not status.complete:
                client.upload(sha, path.read_bytes())
                report.uploaded += 1
            if progress:
                progress("上传附件", i + 1, len(shas))

    def _download_blobs(self, client: HubClient, report: SyncReport,
                        progress: Progress | None) -> None:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            missing = SyncRepository(uow.session).missing_blobs(
                lambda sha: paths.attachment_path(self.ctx.data_dir, sha).is_file())
        for i, (sha, _size) in enumerate(missing):
            partial = self.ctx.data_dir / "attachments" / f".partial-{sha}"
            try:
                data = client.download(sha, partial)
            except SyncError as exc:
                if exc.code != LocalCode.NETWORK:  # what arrived is wrong: start over next time
                    partial.unlink(missing_ok=True)
                report.messages.append(str(exc))
                continue
            store_blob(self.ctx.data_dir, sha, data)
            partial.unlink(missing_ok=True)
            report.downloaded += 1
            if progress:
                progress("下载附件", i + 1, len(missing))

    # -- conflicts ------------------------------------------------------------------------
    def conflicts(self, user: CurrentUser) -> list[ConflictInfo]:
        with self._uow(user, "", write=False) as uow:
            repo = SyncRepository(uow.session)
            by_op: dict[str, list[Any]] = {}
            for c in repo.open_conflicts():
                by_op.setdefault(c.op_id, []).append(c)
            out = []
            for op_id, rows in by_op.items():
                op = repo.op(op_id)
                if op is None:
                    continue
                complaint = (ComplaintRepository(uow.session).by_uuid(op.root_uuid)
                             if op.root_uuid else None)
                if complaint is not None and user.scope is not None \
                        and complaint.office_id not in user.scope:
                    continue
                out.append(ConflictInfo(
                    op_id=op_id, entity=op.entity, entity_label=ENTITY[op.entity].label,
                    record_uuid=op.record_uuid,
                    complaint_id=complaint.id if complaint else None,
                    complaint_number=complaint.number if complaint else "",
                    made_by=op.made_by, made_at=op.made_at, hub_version=rows[0].hub_version,
                    fields=tuple(self._field(uow, op.entity, r) for r in rows)))
            return out

    def _field(self, uow: UnitOfWork, entity: str, row: Any) -> ConflictField:
        office, hub = json.loads(row.office_value), json.loads(row.hub_value)
        return ConflictField(row.field, FIELD_LABELS.get(row.field, row.field), office, hub,
                             self._text(uow, entity, row.field, office),
                             self._text(uow, entity, row.field, hub))

    def _text(self, uow: UnitOfWork, entity: str, name: str, value: Any) -> str:
        if value is None or value == "":
            return "（空）"
        if entity == "complaints" and name == STATUS_FIELD:
            try:
                return Status(value).label
            except ValueError:
                return str(value)
        spec = BY_WIRE.get(entity, {}).get(name)
        if spec is not None and spec.target == "users":
            user_id = Codec(uow.session).id_of("users", value)
            return self.user_name(uow, user_id) or str(value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    def resolve(self, user: CurrentUser, op_id: str, choices: dict[str, str]) -> None:
        """Keep, per field, this office's value or the district's. The district's values are
        written here; the office's go out as a new operation based on the district's version."""
        with self._uow(user, "处理同步冲突", write=False) as uow:
            repo = SyncRepository(uow.session)
            op = repo.op(op_id)
            rows = [r for r in repo.conflicts_of(op_id) if r.choice is None]
        if op is None or op.status != "conflict" or not rows:
            raise NotFound("该冲突已处理或不存在")
        if user.scope is not None and op.root_uuid:
            with self._uow(user, "", write=False) as uow:
                complaint = ComplaintRepository(uow.session).by_uuid(op.root_uuid)
            if complaint is not None and complaint.office_id not in user.scope:
                raise NotFound("该冲突已处理或不存在")
        missing = [FIELD_LABELS.get(r.field, r.field) for r in rows
                   if choices.get(r.field) not in ("office", "hub")]
        if missing:
            raise FieldError("冲突处理", f"请为每一项选择保留哪一方的值：{'、'.join(missing)}")
        hub_record = json.loads(op.hub_record or "{}")
        conflicting = {r.field for r in rows}
        version = rows[0].hub_version
        before_op, after_op = json.loads(op.before), json.loads(op.after)
        # The new operation: the office's chosen values against the district's current ones.
        after = {k: v for k, v in after_op.items() if k not in conflicting}
        after.update({r.field: json.loads(r.office_value) for r in rows
                      if choices[r.field] == "office"})
        before = {k: hub_record.get(k) for k in after}
        hub_wins = {r.field: json.loads(r.hub_value) for r in rows if choices[r.field] == "hub"}
        if op.entity == "complaints" and STATUS_FIELD not in after:
            before[STATUS_FIELD] = hub_record.get(STATUS_FIELD, before_op.get(STATUS_FIELD))
        with UnitOfWork(self.ctx.engine, Actor(user.id, user.username, user.office_code),
                        "处理同步冲突", outbox=False) as uow:
            repo = SyncRepository(uow.session)
            obj = repo.record(op.entity, op.record_uuid)
            # The district's record as the conflict found it, but for what this office sends
            # and what its later, unsent edits change: the new operation goes onto that
            # version, so afterwards this office holds exactly what the district does.
            mine = set(after) | repo.unsettled_fields(op.record_uuid, exclude=op_id)
            theirs = {k: v for k, v in hub_record.items() if k not in mine} | hub_wins
            if obj is not None and theirs:
                local = OfficeRepository(uow.session).local()
                codec = Codec(uow.session)
                attrs = codec.attrs(op.entity, theirs,
                                    lambda u: repo.user_for(codec, u, "", local.id))
                for key, value in attrs.items():
                    setattr(obj, key, value)
            now = self.ctx.clock.now()
            for r in repo.conflicts_of(op_id):
                r.choice, r.resolved_by, r.resolved_at = choices.get(r.field), user.username, now
            stored = repo.op(op_id)
            assert stored is not None
            stored.status = "resolved"
            if after:
                uow.session.add(OutboxOp(
                    op_id=new_uuid(), entity=op.entity, record_uuid=op.record_uuid,
                    root_uuid=op.root_uuid, kind="upsert", base_version=version,
                    before=json.dumps(before, ensure_ascii=False, sort_keys=True),
                    after=json.dumps(after, ensure_ascii=False, sort_keys=True),
                    people=op.people, made_by=user.username))
            else:
                repo.set_known(op.entity, op.record_uuid, version)
            uow.commit()

    # -- USB bundles ----------------------------------------------------------------------
    def _bundle_settings(self, user: CurrentUser, doing: str) -> dict[str, str]:
        require_role(user, Role.ADMIN, Role.CLERK, Role.STATION_HEAD, Role.DESK_STAFF,
                     doing=doing)
        v = self._read()
        if not v["token"]:
            raise SyncError(f"本机尚未登记到区局同步，不能{doing}", LocalCode.NOT_ENROLLED)
        return v

    def export_bundle(self, user: CurrentUser, path: Path) -> BundleSummary:
        """Everything not yet acknowledged, with its attachment files, signed for the district."""
        v = self._bundle_settings(user, "导出同步包")
        with self._uow(user, "", write=False) as uow:
            ops = list(SyncRepository(uow.session).unacknowledged())
        blobs: dict[str, bytes] = {}
        for op in ops:
            sha = json.loads(op.after).get("sha256") if op.entity == "attachments" else None
            if sha and sha not in blobs:
                file = paths.attachment_path(self.ctx.data_dir, sha)
                if file.is_file():
                    blobs[sha] = file.read_bytes()
        bundle_id = new_uuid()
        content = {"ops": [to_operation(op).model_dump(mode="json") for op in ops],
                   "cursor": v["cursor"] or None, "backlog": len(ops)}
        sync_file = bundle.SyncFile(kind=bundle.BUNDLE, bundle_id=bundle_id,
                                    device_id=v["device_id"], office=v["office"],
                                    hub_id=v["hub_id"], content=content, blobs=blobs)
        size = bundle.write_file(Path(path), sync_file, v["bundle_key"])
        with self._uow(user, "导出同步包") as uow:
            # Sent, as far as this office can know: a later edit must make a new operation,
            # or the district would meet the same operation id with other content.
            SyncRepository(uow.session).mark_attempted([op.id for op in ops])
            exported = json.loads(v["bundles"] or "[]") + [bundle_id]
            self._write(uow, bundles=json.dumps(exported))
            uow.commit()
        return BundleSummary(Path(path), bundle_id, len(ops), len(blobs), size)

    def import_receipt(self, user: CurrentUser, path: Path) -> ReceiptSummary:
        """The district's answer to a bundle: acknowledgements and what it sent this office."""
        v = self._bundle_settings(user, "导入同步回执")
        try:
            # A zip never needs more room than what it holds: anything larger is refused
            # before it is read into memory.
            if Path(path).stat().st_size > bundle.MAX_TOTAL_BYTES:
                raise bundle.BundleError(
                    f"回执文件过大（超过 {bundle.MAX_TOTAL_BYTES // 1024 ** 2} MB），"
                    "不是和解台生成的回执，未导入任何内容")
            data = Path(path).read_bytes()
        except OSError as exc:
            raise bundle.BundleError(f"无法读取回执文件：{exc}") from exc
        receipt = bundle.read(data, v["bundle_key"], expect=bundle.RECEIPT)
        if receipt.device_id != v["device_id"] or receipt.hub_id != v["hub_id"]:
            raise bundle.BundleError("这个回执不是给本机的（设备或区局服务器不符），未导入任何内容")
        exported = json.loads(v["bundles"] or "[]")
        if receipt.bundle_id not in exported:
            raise bundle.BundleError("本机没有导出过这个回执对应的同步包，未导入任何内容")
        imported = json.loads(v["receipts"] or "[]")
        report = SyncReport()
        if receipt.bundle_id in imported:
            return ReceiptSummary(receipt.bundle_id, True, report)
        results = [OpResult.model_validate(r) for r in receipt.content.get("results", [])]
        records = [PulledRecord.model_validate(r) for r in receipt.content.get("records", [])]
        for sha, blob in receipt.blobs.items():
            store_blob(self.ctx.data_dir, sha, blob)
        # A receipt of an older bundle than the one the cursor came from must not move it back.
        order = exported.index(receipt.bundle_id)
        cursor_from = exported.index(v["cursor_bundle"]) if v["cursor_bundle"] in exported else -1
        newer = order > cursor_from
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "导入同步回执", outbox=False) as uow:
            repo = SyncRepository(uow.session)
            wanted = {r.op_id for r in results}
            sent = [op for op in repo.unacknowledged() if op.op_id in wanted]
            tally = repo.record_results(sent, results)
            local = OfficeRepository(uow.session).local()
            assert local is not None
            applied = repo.apply(records, local.id, self._fill)
            self._complete_arrivals(uow, applied)
            values = {"receipts": json.dumps(imported + [receipt.bundle_id])}
            if newer and receipt.content.get("cursor"):
                values |= {"cursor": receipt.content["cursor"], "cursor_bundle": receipt.bundle_id}
            self._write(uow, **values)
            uow.commit()
        report.pushed, report.conflicts = tally["acked"], tally["conflict"]
        report.rejected, report.deferred = tally["rejected"], tally["deferred"]
        self._tally(report, applied)
        report.downloaded = len(receipt.blobs)
        self._remember(f"导入回执：{report.summary()}", ok=True)
        return ReceiptSummary(receipt.bundle_id, False, report)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this program's own earlier round, which ended without closing
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def to_operation(op: OutboxOp) -> Operation:
    return Operation(op_id=op.op_id, entity=op.entity, uuid=op.record_uuid, kind=op.kind,  # type: ignore[arg-type]
                     base_version=op.base_version, before=json.loads(op.before),
                     after=json.loads(op.after), people=json.loads(op.people),
                     made_at=op.made_at, made_by=op.made_by)


def store_blob(data_dir: Path, sha256: str, data: bytes) -> Path:
    """Write an attachment's bytes under their hash: checked, temp name, then renamed."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise bundle.BundleError(f"附件 {sha256[:12]}… 与校验值不符，未保存")
    target = paths.attachment_path(data_dir, sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, data, mode=0o600)


