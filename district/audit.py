"""Audit anchors: the hub keeps each device's audit head (entries, hash of the last) at every
sync, so that history a PC already anchored cannot be rewritten unnoticed.

Anchors, lines and verdicts are per device: each office database (each PC of an office) has its
own hash chain, so two PCs of one office never compare against each other's log. A replaced PC
(a new device) starts its own line. The office reports its head and its own hashes at the counts
the hub anchored; the hub compares (protocol.AuditVerdict): the first report is anchored; a log
that continues the anchored one moves the anchor; a log agreeing with an earlier anchor is a
restore from a backup (sync first); anything else is history rewritten. The last verdict of each
device is kept, and the office list shows the worst current one among an office's devices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.sync.protocol import AuditAnchors, AuditHead, AuditReport, AuditStatus, AuditVerdict
from district.errors import AuditMsg, not_found
from district.models import AuditAnchor, AuditCheck, Device

# For the administrator's office list.
LABELS: dict[str, str] = {"anchored": "已登记", "ok": "一致", "restored": "从备份恢复",
                          "diverged": "历史被改写"}
# Which verdict speaks for an office with several devices: the worst.
SEVERITY: dict[str, int] = {"anchored": 0, "ok": 0, "restored": 1, "diverged": 2}


def _line_start(session: Session, device: str) -> int:
    """The id of the device's current line of anchors (0: the first line)."""
    return session.execute(select(func.max(AuditAnchor.id)).where(
        AuditAnchor.device == device, AuditAnchor.rebase)).scalar() or 0


def _anchor(session: Session, device: str, upto: int | None = None) -> AuditHead | None:
    """The device's newest anchor of its current line (at or below `upto` entries)."""
    query = select(AuditAnchor.count, AuditAnchor.hash).where(
        AuditAnchor.device == device, AuditAnchor.id >= _line_start(session, device))
    if upto is not None:
        query = query.where(AuditAnchor.count <= upto)
    row = session.execute(query.order_by(AuditAnchor.id.desc()).limit(1)).first()
    return AuditHead(count=row.count, hash=row.hash) if row else None


def anchors(session: Session, device: str, upto: int) -> AuditAnchors:
    """The device's latest anchor, and the latest one at or below `upto`."""
    return AuditAnchors(latest=_anchor(session, device), upto=_anchor(session, device, upto))


def judge(latest: AuditHead | None, agreed: AuditHead | None, any_below: bool,
          report: AuditReport) -> AuditStatus:
    """`agreed`: an anchor of the current line that the office's log agrees with (the office
    program asks about the anchor its database last stored, or its own length if shorter);
    `any_below`: whether the line has an anchor at or below the office's length.

    A log continuing the latest anchor is ok. One that agrees with an earlier anchor but not
    with the latest is a database older than its last sync: restored from a backup, whether or
    not work went on since. One that agrees with none it could was rewritten."""
    head = report.head
    if latest is None:
        return "anchored"
    if head.count >= latest.count and report.at_latest == latest.hash \
            and (head.count > latest.count or head.hash == latest.hash):
        return "ok"
    # A log emptied altogether is no backup: the office's program writes entries from setup on.
    if head.count == 0:
        return "diverged"
    if agreed is not None and agreed != latest:
        return "restored"
    if not any_below and head.count < latest.count:  # a backup from before the line began
        return "restored"
    return "diverged"


def report(session: Session, office: str, device: str, sent: AuditReport,
           now: datetime) -> AuditVerdict:
    # One device's reports one after another; FOR NO KEY UPDATE on its own row holds up
    # nothing of other devices (pushes only refer to the office row).
    session.execute(select(Device.device_id).where(Device.device_id == device)
                    .with_for_update(key_share=True))
    latest = _anchor(session, device)
    # A SHA-256 chain's hash names its whole prefix: equal hashes are the same history.
    agreed = _agreed(session, device, sent.head.count, sent.at_upto)
    any_below = _anchor(session, device, sent.head.count) is not None
    check = session.get(AuditCheck, device)
    if check is None:
        check = AuditCheck(device=device, office=office)
        session.add(check)
    accepted = bool(check.accept_next)
    status = "anchored" if accepted else judge(latest, agreed, any_below, sent)
    anchor = latest
    if status in ("anchored", "ok", "restored"):
        # A restore starts a new line at the device's head: what its database holds now is
        # what later syncs continue (the district sees the restore in its office list).
        anchor = sent.head
        rebase = status == "restored" or (accepted and latest is not None)
        if latest != sent.head or rebase:
            session.add(AuditAnchor(office=office, count=sent.head.count, hash=sent.head.hash,
                                    device=device, at=now, rebase=rebase))
    check.office, check.status, check.count, check.at = office, status, sent.head.count, now
    check.accept_next = False
    if status in ("restored", "diverged"):
        check.problem, check.problem_at = status, now
    assert anchor is not None
    message = {
        "anchored": AuditMsg.ANCHORED,
        "ok": AuditMsg.OK,
        "restored": AuditMsg.RESTORED,
        "diverged": AuditMsg.DIVERGED,
    }[status].format(count=sent.head.count, anchored=(latest or sent.head).count)
    return AuditVerdict(status=status, anchor=anchor, message=message)


def _agreed(session: Session, device: str, upto: int, hash_: str | None) -> AuditHead | None:
    """The current line's anchor at or below `upto` entries whose hash is `hash_`."""
    if not hash_:
        return None
    row = session.execute(select(AuditAnchor.count, AuditAnchor.hash).where(
        AuditAnchor.device == device, AuditAnchor.id >= _line_start(session, device),
        AuditAnchor.count <= upto, AuditAnchor.hash == hash_).limit(1)).first()
    return AuditHead(count=row.count, hash=row.hash) if row else None


def accept(session: Session, office: str, device: str | None = None) -> list[str]:
    """The administrator has looked into a rewritten log and accepts it as it is: the next
    report of that device (or of each of the office's devices) starts a new line of anchors.
    The devices accepted, in the order they first reported."""
    query = select(AuditCheck).where(AuditCheck.office == office)
    if device is not None:
        query = query.where(AuditCheck.device == device)
    checks = list(session.execute(query.order_by(AuditCheck.device)).scalars())
    if not checks:
        if device is not None:
            raise not_found(f"单位「{office}」的设备「{device}」还没有向区局平台报告过审计日志")
        raise not_found(f"单位「{office}」还没有向区局平台报告过审计日志")
    for check in checks:
        check.accept_next = True
    return [check.device for check in checks]


@dataclass(frozen=True)
class OfficeAudit:
    """What the office list shows of an office's audit: the worst current verdict among its
    devices (diverged > restored > ok, anchored; of equals the latest) and when it was given,
    the device it concerns, and the last restore or rewrite found on any of its devices (kept
    when later checks agree again)."""

    status: AuditStatus
    at: datetime
    device: str
    problem: AuditStatus | None
    problem_at: datetime | None


def verdicts(session: Session) -> dict[str, OfficeAudit]:
    """Each office's audit for its list. A revoked device (a replaced PC) no longer speaks for
    the office's current state; a problem it had is still shown as the last one."""
    revoked = {d for (d,) in session.execute(
        select(Device.device_id).where(Device.revoked_at.is_not(None)))}
    rows = list(session.execute(
        select(AuditCheck.office, AuditCheck.device, AuditCheck.status, AuditCheck.at,
               AuditCheck.problem, AuditCheck.problem_at)))
    out: dict[str, OfficeAudit] = {}
    for office in {r.office for r in rows}:
        own = [r for r in rows if r.office == office]
        current = [r for r in own if r.device not in revoked] or own
        worst = max(current, key=lambda r: (SEVERITY.get(r.status, 0), r.at))
        problems = [r for r in own if r.problem is not None and r.problem_at is not None]
        last = max(problems, key=lambda r: r.problem_at, default=None)
        out[office] = OfficeAudit(worst.status, worst.at, worst.device,
                                  last.problem if last else None,
                                  last.problem_at if last else None)
    return out
