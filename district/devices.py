"""Device identity: enrolment by one-time code, bearer credentials, one sync session at a time."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from desktop.domain.numbering import MAX_NUMBER_SLOT
from desktop.sync.protocol import (
    OLDEST_PROTOCOL,
    PROTOCOL_SUNSET,
    PROTOCOL_VERSION,
    EnrolResponse,
    ErrorCode,
)
from district.errors import HubError, Msg
from district.models import Device, EnrolCode, Office, SyncSession
from district.offices import load_tree

# No 0/O, 1/I/L: read aloud over the phone or copied from paper without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
SESSION_TTL = 120


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def check_protocol(version: int, now: datetime) -> None:
    """Programs from OLDEST_PROTOCOL on are served, an older one until its sunset day."""
    if version > PROTOCOL_VERSION:
        raise HubError(400, ErrorCode.PROTOCOL,
                       Msg.PROTOCOL_NEW.format(got=version, want=PROTOCOL_VERSION))
    why = None
    if version < OLDEST_PROTOCOL:
        why = Msg.PROTOCOL_OLD_WHY.format(oldest=OLDEST_PROTOCOL, want=PROTOCOL_VERSION)
    elif (until := PROTOCOL_SUNSET.get(version)) is not None \
            and (now + timedelta(hours=8)).date() > until:
        why = Msg.PROTOCOL_SUNSET_WHY.format(until=until.isoformat())
    if why is not None:
        raise HubError(400, ErrorCode.PROTOCOL, Msg.PROTOCOL_OLD.format(got=version, why=why))


def issue_code(session: Session, office: str, now: datetime, days: int = 7) -> tuple[str, datetime]:
    code = new_code()
    expires = now + timedelta(days=days)
    session.add(EnrolCode(code_hash=digest(normalise_code(code)), office=office, created_at=now,
                          expires_at=expires))
    return code, expires


def enrol(session: Session, code: str, device_name: str, hub_id: str, now: datetime) -> EnrolResponse:
    device_id = str(uuid.uuid4())
    # One UPDATE claims the code: of two devices racing with the same code, one gets the row.
    claimed = session.execute(
        update(EnrolCode)
        .where(EnrolCode.code_hash == digest(normalise_code(code)), EnrolCode.used_at.is_(None),
               EnrolCode.expires_at > now)
        .values(used_at=now, device_id=device_id)
        .returning(EnrolCode.office)
    ).scalar_one_or_none()
    if claimed is None:
        raise HubError(400, ErrorCode.BAD_CODE, Msg.BAD_CODE)
    token = secrets.token_urlsafe(32)
    bundle_key = secrets.token_hex(32)
    slot = next_slot(session, claimed)
    session.add(Device(device_id=device_id, office=claimed, name=device_name.strip(),
                       token_hash=digest(token), bundle_key=bundle_key, enrolled_at=now,
                       pulled_seq=0, office_backlog=0, number_slot=slot))
    tree = load_tree(session)
    return EnrolResponse(hub_id=hub_id, device_id=device_id, token=token, bundle_key=bundle_key,
                         office=claimed, offices=tree.related(claimed), number_slot=slot)


def next_slot(session: Session, office: str) -> int:
    """The office's next block of daily numbers: one past the highest any of its devices ever
    had (a revoked PC's block is not handed out again: its offline numbers may still exist).
    The office's row is locked first, so two PCs of one office enrolling at once queue."""
    session.execute(select(Office.code).where(Office.code == office).with_for_update())
    taken = session.execute(select(func.max(Device.number_slot), func.count())
                            .where(Device.office == office)).one()
    slot = 0 if not taken[1] else (taken[0] or 0) + 1
    if slot > MAX_NUMBER_SLOT:
        raise HubError(409, ErrorCode.INVALID, Msg.SLOTS_USED_UP.format(office=office,
                                                                      count=taken[1]))
    return slot


def authenticate(session: Session, token: str | None) -> Device:
    """The device holding this credential; 401 for none or unknown, 403 once revoked."""
    device = (session.execute(select(Device).where(Device.token_hash == digest(token)))
              .scalar_one_or_none() if token else None)
    if device is None:
        raise HubError(401, ErrorCode.UNAUTHORISED, Msg.UNAUTHORISED)
    if device.revoked_at is not None:
        raise HubError(403, ErrorCode.REVOKED, Msg.REVOKED)
    return device


def _open_session(session: Session, device_id: str, now: datetime,
                  ttl: int) -> SyncSession | None:
    return session.execute(
        select(SyncSession).where(SyncSession.device_id == device_id,
                                  SyncSession.closed_at.is_(None),
                                  SyncSession.last_seen_at > now - timedelta(seconds=ttl))
    ).scalars().first()


def start_session(session: Session, device_id: str, backlog: int, now: datetime,
                  ttl: int = SESSION_TTL) -> SyncSession:
    # Lock the device row: two simultaneous starts of one device queue here (on SQLite the
    # write transaction's lock does it) and the second sees the first one's session.
    session.execute(select(Device.device_id).where(Device.device_id == device_id)
                    .with_for_update())
    if _open_session(session, device_id, now, ttl) is not None:
        raise HubError(409, ErrorCode.SESSION_BUSY, Msg.SESSION_BUSY)
    session.execute(update(SyncSession)
                    .where(SyncSession.device_id == device_id, SyncSession.closed_at.is_(None))
                    .values(closed_at=now))
    opened = SyncSession(id=str(uuid.uuid4()), device_id=device_id, opened_at=now,
                         last_seen_at=now)
    session.add(opened)
    session.execute(update(Device).where(Device.device_id == device_id)
                    .values(office_backlog=backlog, last_seen_at=now))
    return opened


def touch_session(session: Session, device_id: str, session_id: str | None, now: datetime,
                  ttl: int = SESSION_TTL) -> None:
    """Require the device's open session and keep it alive; 409 SESSION_INVALID otherwise."""
    current = _open_session(session, device_id, now, ttl)
    if current is None or session_id is None or current.id != session_id:
        raise HubError(409, ErrorCode.SESSION_INVALID, Msg.SESSION_INVALID)
    # Row locks in one order everywhere (counter, device, session): no deadlocks on PostgreSQL.
    session.execute(update(Device).where(Device.device_id == device_id)
                    .values(last_seen_at=now))
    current.last_seen_at = now


def settled(session: Session, device_id: str, answered: int) -> None:
    """A push answered this many of the operations the device reported waiting at its session's
    start: the office's list of PCs shows what still waits on each."""
    if answered:
        session.execute(update(Device).where(Device.device_id == device_id).values(
            office_backlog=case((Device.office_backlog > answered,
                                 Device.office_backlog - answered), else_=0)))


def end_session(session: Session, device_id: str, session_id: str, now: datetime) -> None:
    ended = session.execute(
        update(SyncSession)
        .where(SyncSession.id == session_id, SyncSession.device_id == device_id,
               SyncSession.closed_at.is_(None))
        .values(closed_at=now)
    ).rowcount
    if not ended:
        raise HubError(409, ErrorCode.SESSION_INVALID, Msg.SESSION_INVALID)
