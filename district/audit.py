"""Audit anchors: the hub keeps each office's audit head (entries, hash of the last) at every
sync, so that history an office already anchored cannot be rewritten unnoticed.

The office reports its head and its own hashes at the counts the hub anchored; the hub
compares (protocol.AuditVerdict): the first report is anchored; a log that continues the
anchored one moves the anchor; a shorter log that agrees with it is a restore from a backup
(sync first); anything else is history rewritten. The last verdict of each office is kept for
the administrator's office list.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.sync.protocol import AuditAnchors, AuditHead, AuditReport, AuditStatus, AuditVerdict
from district.errors import AuditMsg, not_found
from district.models import AuditAnchor, AuditCheck, Office

# For the administrator's office list.
LABELS: dict[str, str] = {"anchored": "已登记", "ok": "一致", "restored": "从备份恢复",
                          "diverged": "历史被改写"}


def _line_start(session: Session, office: str) -> int:
    """The id of the office's current line of anchors (0: the first line)."""
    return session.execute(select(func.max(AuditAnchor.id)).where(
        AuditAnchor.office == office, AuditAnchor.rebase)).scalar() or 0


def _anchor(session: Session, office: str, upto: int | None = None) -> AuditHead | None:
    """The office's newest anchor of its current line (at or below `upto` entries)."""
    query = select(AuditAnchor.count, AuditAnchor.hash).where(
        AuditAnchor.office == office, AuditAnchor.id >= _line_start(session, office))
    if upto is not None:
        query = query.where(AuditAnchor.count <= upto)
    row = session.execute(query.order_by(AuditAnchor.id.desc()).limit(1)).first()
    return AuditHead(count=row.count, hash=row.hash) if row else None


def anchors(session: Session, office: str, upto: int) -> AuditAnchors:
    """The office's latest anchor, and the latest one at or below `upto`."""
    return AuditAnchors(latest=_anchor(session, office), upto=_anchor(session, office, upto))


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
    # One office's reports one after another (its devices may sync at once); FOR NO KEY UPDATE
    # does not hold up pushes, whose records only refer to the office row.
    session.execute(select(Office.code).where(Office.code == office)
                    .with_for_update(key_share=True))
    latest = _anchor(session, office)
    # A SHA-256 chain's hash names its whole prefix: equal hashes are the same history.
    agreed = _agreed(session, office, sent.head.count, sent.at_upto)
    any_below = _anchor(session, office, sent.head.count) is not None
    check = session.get(AuditCheck, office)
    if check is None:
        check = AuditCheck(office=office)
        session.add(check)
    accepted = bool(check.accept_next)
    status = "anchored" if accepted else judge(latest, agreed, any_below, sent)
    anchor = latest
    if status in ("anchored", "ok", "restored"):
        # A restore starts a new line at the office's head: what its database holds now is
        # what later syncs continue (the district sees the restore in its office list).
        anchor = sent.head
        rebase = status == "restored" or (accepted and latest is not None)
        if latest != sent.head or rebase:
            session.add(AuditAnchor(office=office, count=sent.head.count, hash=sent.head.hash,
                                    device=device, at=now, rebase=rebase))
    check.status, check.count, check.device, check.at = status, sent.head.count, device, now
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


def _agreed(session: Session, office: str, upto: int, hash_: str | None) -> AuditHead | None:
    """The current line's anchor at or below `upto` entries whose hash is `hash_`."""
    if not hash_:
        return None
    row = session.execute(select(AuditAnchor.count, AuditAnchor.hash).where(
        AuditAnchor.office == office, AuditAnchor.id >= _line_start(session, office),
        AuditAnchor.count <= upto, AuditAnchor.hash == hash_).limit(1)).first()
    return AuditHead(count=row.count, hash=row.hash) if row else None


def accept(session: Session, office: str) -> None:
    """The administrator has looked into an office's rewritten log and accepts it as it is:
    its next report starts a new line of anchors."""
    check = session.get(AuditCheck, office)
    if check is None:
        raise not_found(f"单位「{office}」还没有向区局平台报告过审计日志")
    check.accept_next = True


def verdicts(session: Session) -> dict[str, tuple[str, datetime, str | None, datetime | None]]:
    """Each office's last audit verdict and when it was given, and the last restore or
    rewrite found (kept when later checks agree again)."""
    return {r.office: (r.status, r.at, r.problem, r.problem_at) for r in session.execute(
        select(AuditCheck.office, AuditCheck.status, AuditCheck.at, AuditCheck.problem,
               AuditCheck.problem_at))}
