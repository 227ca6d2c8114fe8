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

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.sync.protocol import AuditAnchors, AuditHead, AuditReport, AuditStatus, AuditVerdict
from district.errors import AuditMsg
from district.models import AuditAnchor, AuditCheck, Office

# For the administrator's office list.
LABELS: dict[str, str] = {"anchored": "已登记", "ok": "一致", "restored": "从备份恢复",
                          "diverged": "历史被改写"}


def _anchor(session: Session, office: str, upto: int | None = None) -> AuditHead | None:
    query = select(AuditAnchor.count, AuditAnchor.hash).where(AuditAnchor.office == office)
    if upto is not None:
        query = query.where(AuditAnchor.count <= upto)
    row = session.execute(query.order_by(AuditAnchor.count.desc(), AuditAnchor.id.desc())
                          .limit(1)).first()
    return AuditHead(count=row.count, hash=row.hash) if row else None


def anchors(session: Session, office: str, upto: int) -> AuditAnchors:
    """The office's latest anchor, and the latest one at or below `upto`."""
    return AuditAnchors(latest=_anchor(session, office), upto=_anchor(session, office, upto))


def judge(latest: AuditHead | None, upto: AuditHead | None,
          report: AuditReport) -> AuditStatus:
    head = report.head
    if latest is None:
        return "anchored"
    if head.count >= latest.count and report.at_latest == latest.hash \
            and (head.count > latest.count or head.hash == latest.hash):
        return "ok"
    # A log emptied altogether is no backup: the office's program writes entries from setup on.
    if 0 < head.count < latest.count and (upto is None or report.at_upto == upto.hash):
        return "restored"
    return "diverged"


def report(session: Session, office: str, device: str, sent: AuditReport,
           now: datetime) -> AuditVerdict:
    # One office's reports one after another (its devices may sync at once); FOR NO KEY UPDATE
    # does not hold up pushes, whose records only refer to the office row.
    session.execute(select(Office.code).where(Office.code == office)
                    .with_for_update(key_share=True))
    latest = _anchor(session, office)
    upto = _anchor(session, office, sent.head.count)
    status = judge(latest, upto, sent)
    anchor = latest
    if status in ("anchored", "ok"):
        anchor = sent.head
        if latest != sent.head:
            session.add(AuditAnchor(office=office, count=sent.head.count, hash=sent.head.hash,
                                    device=device, at=now))
    verdict = session.get(AuditCheck, office)
    if verdict is None:
        verdict = AuditCheck(office=office)
        session.add(verdict)
    verdict.status, verdict.count, verdict.device, verdict.at = (
        status, sent.head.count, device, now)
    assert anchor is not None
    message = {
        "anchored": AuditMsg.ANCHORED,
        "ok": AuditMsg.OK,
        "restored": AuditMsg.RESTORED,
        "diverged": AuditMsg.DIVERGED,
    }[status].format(count=sent.head.count, anchored=anchor.count)
    return AuditVerdict(status=status, anchor=anchor, message=message)


def verdicts(session: Session) -> dict[str, tuple[str, datetime]]:
    """Each office's last audit verdict and when it was given."""
    return {r.office: (r.status, r.at) for r in session.execute(
        select(AuditCheck.office, AuditCheck.status, AuditCheck.at))}
