"""A sync round: push what is waiting, pull what the district has, move attachment files.

The order of a round: operations left `sending` by a killed program go back to `pending`;
attachments are uploaded (resumable); operations are pushed in ordered batches and marked only
as the hub's reply lists them; then pages are pulled and each is applied together with its
cursor in one transaction; finally the attachments of pulled records are downloaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC

from desktop import collector, paths
from desktop.db.models import Office, OutboxOp
from desktop.db.repositories import CodeRepository, ComplaintRepository, OfficeRepository
from desktop.db.sync.apply import Applied
from desktop.db.sync.office_reference import PART_LABELS
from desktop.db.sync.repo import SyncRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import DomainError
from desktop.processes import process_alive
from desktop.security import blobs
from desktop.services.audit import verdict_text
from desktop.services.dto import CurrentUser
from desktop.services.sync.base import (
    RENUMBERED_KEPT,
    SYNC_ACTOR,
    Progress,
    SyncBase,
    push_body,
    store_blob,
)
from desktop.services.sync_info import SyncReport, clock_warning, outdated_message
from desktop.sync.client import HubClient, LocalCode, SyncError
from desktop.sync.protocol import (
    PULL_PAGE,
    PUSH_BATCH,
    ErrorCode,
    OpResult,
    PulledRecord,
    PullResponse,
    PushResponse,
    SessionResponse,
)


def _stopped(report: SyncReport, cancel: Callable[[], bool] | None) -> bool:
    """Whether the user asked to stop; the report then says the round was cut short."""
    if cancel is not None and cancel():
        report.cancelled = True
    return report.cancelled


class SyncRound(SyncBase):
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
        self._remember(report.summary(), ok=True, pulled=not report.cancelled)
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
        values = {"clock_skew": f"{skew:.1f}"}
        # A PC enrolled before number blocks existed learns its block here (an older hub that
        # sends none leaves it as it is).
        if "number_slot" in opened.model_fields_set:
            values["number_slot"] = str(opened.number_slot)
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步时钟", outbox=False) as uow:
            self._write(uow, **values)
            uow.commit()

    def _end_orphaned_session(self, client: HubClient, remembered: str) -> None:
        """A session left open by this program when it was killed is ended, so a restart can
        sync at once instead of waiting for the hub to let it expire. One that belongs to
        another program still running here (the command line beside the window) is left."""
        session, _, pid = remembered.partition("|")
        if not session or not pid.isdigit() or _alive_beside_me(int(pid)):
            return
        client.session = session
        if client.end_session():
            self._remember_session("")

    def _remember_session(self, value: str) -> None:
        with UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步会话", outbox=False) as uow:
            self._write(uow, session=value)
            uow.commit()

    def _push(self, client: HubClient, report: SyncReport, progress: Progress | None,
              cancel: Callable[[], bool] | None) -> None:
        """Push the outbox in batches, in order, each answered before the next is sent.

        While the hub weighs one batch, this PC reads and marks the next and records the
        previous answer (`_next_batch` keeps a record's operations out of a batch while
        another of its operations is still on the wire, so the answer that decides about
        them, a refusal, a renumbering, is recorded before they are picked)."""
        deferred: list[int] = []
        renumbered: set[str] = set()
        self._renumber(report, renumbered)  # refusals a killed round could not act on
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            total = SyncRepository(uow.session).waiting()
        done = 0
        with ThreadPoolExecutor(1, thread_name_prefix="hejie-push") as wire:
            def send(body: bytes) -> Future[PushResponse]:
                return wire.submit(client.push_encoded, body)

            halt = False
            marked: list[OutboxOp] = []  # marked `sending`, their answer not recorded yet
            flight = None
            try:
                batch, body = ([], b"") if _stopped(report, cancel) \
                    else self._next_batch(deferred)
                marked += batch
                flight = (batch, send(body)) if batch else None
                while flight is not None:
                    sent, answered_later = flight
                    following, body = ([], b"") if halt or _stopped(report, cancel) \
                        else self._next_batch(deferred)
                    marked += following
                    answer = answered_later.result()
                    flight = (following, send(body)) if following else None
                    tally = self._record_results(sent, answer.results)
                    recorded = {id(op) for op in sent}
                    marked = [op for op in marked if id(op) not in recorded]
                    report.pushed += tally["acked"]
                    report.conflicts += tally["conflict"]
                    report.rejected += tally["rejected"]
                    report.deferred += tally["deferred"]
                    report.unanswered += tally["unanswered"]
                    if tally["rejected"]:
                        self._renumber(report, renumbered)  # they go in a later batch
                    answered = {r.op_id: r.status for r in answer.results}
                    deferred += [op.id for op in sent
                                 if answered.get(op.op_id, "deferred") == "deferred"]
                    done += len(sent)
                    if progress:
                        progress("发送", done, max(total, done))
                    # The hub answered nothing: do not spin; the next round sends them (a
                    # batch already on its way is answered and recorded first).
                    halt = halt or tally["unanswered"] == len(sent)
                    if flight is None and not halt and not _stopped(report, cancel):
                        # Nothing was free to pick while this batch was on its way (the rest
                        # were its records' later edits, or made meanwhile): look again.
                        batch, body = self._next_batch(deferred)
                        marked += batch
                        flight = (batch, send(body)) if batch else None
            except BaseException:
                # Not killed, only failed (the push, or this PC's side of it): whatever was
                # marked and not recorded goes again next time, once the batch on the wire
                # has come back (the hub recognises what it had applied). A kill leaves them
                # `sending`, which the next start turns back to `pending` just the same.
                if flight is not None:
                    wait([flight[1]])
                if marked:
                    self._record_results(marked, [])
                raise

    def _next_batch(self, deferred: list[int]) -> tuple[list[OutboxOp], bytes]:
        """The next batch of operations, marked as sending in one transaction, and the push's
        body written (off the wire's path: the hub is weighing the batch before)."""
        with collector.held(), \
                UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步发送", outbox=False) as uow:
            repo = SyncRepository(uow.session)
            batch = list(repo.next_batch(PUSH_BATCH, skip=deferred))
            if not batch:
                return [], b""
            body = push_body(batch)  # before they are marked
            repo.mark_sending([op.id for op in batch])
            uow.commit()
            return batch, body

    def _record_results(self, sent: list[OutboxOp], results: list[OpResult]) -> dict[str, int]:
        with collector.held(), \
                UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步确认", outbox=False) as uow:
            tally = SyncRepository(uow.session).record_results(sent, results)
            uow.commit()
            return tally

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
        self._arrived = set()
        try:
            self._pull_pages(client, v, report, progress, cancel)
        finally:
            # Once the pages are in (the other PC's recomputed deadlines with them), this PC
            # recomputes its open complaints' deadlines after an office reference arrived:
            # the same calendar and rule sets give the same dates, so little is sent back.
            arrived, self._arrived = self._arrived or set(), None
            if arrived:
                report.messages.append(f"已按本单位的共享设置更新了本机的"
                                       f"{'、'.join(PART_LABELS[p] for p in sorted(arrived))}")
            self._reference_arrived(arrived)

    def _pull_pages(self, client: HubClient, v: dict[str, str], report: SyncReport,
                    progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        """Pull pages until the hub has no more, each applied with its cursor in one
        transaction; the next page is fetched while one is applied (a page only reads the
        hub: one fetched and not applied, the round cancelled or failed, is simply dropped)."""
        self._retry_set_aside(report)
        cursor = v["cursor"]
        restarted = False
        with ThreadPoolExecutor(1, thread_name_prefix="hejie-pull") as wire:
            def fetch(after: str) -> Future[PullResponse]:
                return wire.submit(client.pull, after, PULL_PAGE)

            coming = None if _stopped(report, cancel) else fetch(cursor)
            while coming is not None:
                try:
                    page = coming.result()
                except SyncError as exc:
                    if exc.code != ErrorCode.CURSOR_INVALID or restarted:
                        raise
                    # The hub no longer knows where this office stopped: take everything
                    # again. Records with changes waiting here are kept; the outbox is untouched.
                    restarted = True
                    report.full_download = True
                    report.messages.append(str(exc))
                    cursor = ""
                    coming = fetch(cursor)
                    continue
                coming = fetch(page.cursor) if page.more and not _stopped(report, cancel) \
                    else None
                applied = self.apply_records(page.records, page.cursor)
                cursor = page.cursor
                self._tally(report, applied)
                if progress:
                    progress("接收", report.pulled,
                             report.pulled + (PULL_PAGE if page.more else 0))
                if coming is not None and _stopped(report, cancel):
                    coming = None  # fetched, not applied: the next round pulls it again

    def apply_records(self, records: list[PulledRecord], cursor: str | None) -> Applied:
        """One page and its cursor in one transaction: a kill between them loses neither."""
        with collector.held(), \
                UnitOfWork(self.ctx.engine, SYNC_ACTOR, "同步接收", outbox=False) as uow:
            local = OfficeRepository(uow.session).local()
            assert local is not None
            applied = SyncRepository(uow.session).apply(records, local.id, self._fill)
            self._complete_arrivals(uow, applied)
            if cursor is not None:
                self._write(uow, cursor=cursor)
            uow.commit()
        if self._arrived is not None:  # within a round's pull: once the pull is done
            self._arrived |= applied.reference_parts
        else:
            self._reference_arrived(applied.reference_parts)
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

    # -- attachments ----------------------------------------------------------------------
    def _upload_blobs(self, client: HubClient, report: SyncReport, progress: Progress | None) -> None:
        with UnitOfWork(self.ctx.engine, write=False) as uow:
            ops = SyncRepository(uow.session).unacknowledged(entity="attachments",
                                                             kind="upsert")
        shas = {json.loads(op.after).get("sha256") for op in ops} - {None}
        for i, sha in enumerate(sorted(shas)):
            path = paths.attachment_path(self.ctx.data_dir, sha)
            if not path.is_file():
                report.messages.append(f"附件文件 {sha[:12]}… 在本机缺失，无法上传")
                continue
            status = client.blob_status(sha)
            if not status.complete:
                client.upload(sha, blobs.read(self.ctx.data_dir, sha, self._data_key()))
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
            store_blob(self.ctx.data_dir, sha, data, self._data_key())
            partial.unlink(missing_ok=True)
            report.downloaded += 1
            if progress:
                progress("下载附件", i + 1, len(missing))


def _alive_beside_me(pid: int) -> bool:
    """Another program still running here; this program's own id is an earlier round of its
    own, which ended without closing its session."""
    return pid != os.getpid() and process_alive(pid)
