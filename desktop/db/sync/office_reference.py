"""The office reference 单位参考资料 (issue 22): what the PCs of one office share besides records.

Two PCs of one office with different calendars or rule sets would compute different deadlines
for the same complaint. So the reference data an administrator maintains travels as one
document per office (model OfficeReference, entity `office_references`), in four parts:

- `calendar`: the working-day overrides (调休, holidays) and the confirmed years;
- `rule_sets`: every rule set with all its values (wording of the grounds included);
- `codes`: the code tables (kind, code, label, order, offered or not);
- `enterprises`: the 企业库.

Each part is a canonical JSON text (sorted keys, sorted rows), so two PCs holding the same
data hold the same text, and the hub's field rules apply to it as to any record's field: two
PCs that changed different parts between rounds merge, the same part is a 冲突 a user settles.

`publish(session, part…)` is called by the services in the transaction of the administrator's
change: the part is taken from the local tables into this office's document, and the unit of
work's outbox sends the changed part. `install(session, row)` does the reverse on the other
PCs: the pulled document is written into the local tables by their natural keys (day, year,
rule-set code, kind + code, the enterprise's UUID, credit code or name). It adds and changes;
it never deletes a rule set, a code or an enterprise (complaints refer to them); the calendar
is the document's exactly (a removed override is removed).

User accounts do not travel: passwords stay on the PC they were typed on.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.db.models import (
    AppSetting,
    CalendarYear,
    CodeItem,
    Enterprise,
    HolidayOverride,
    Office,
    OfficeReference,
    RuleSetRow,
    new_uuid,
)
from desktop.db.rows import BOOKKEEPING, IDENTITY, plain

PARTS = ("calendar", "rule_sets", "codes", "enterprises")
PART_LABELS = {"calendar": "工作日日历", "rule_sets": "时限规则", "codes": "代码表",
               "enterprises": "企业库"}
# Parts whose change moves deadlines: open complaints' due dates are recomputed after them.
DEADLINE_PARTS = frozenset({"calendar", "rule_sets"})
_NAMESPACE = uuidlib.UUID("6f1c1f5e-2a55-4a53-9d0e-0f5c2b3a7d21")
_LOCAL_OFFICE_KEY = "local_office_code"  # services/offices.py LOCAL_OFFICE_KEY
_GENERATION_KEY = "reference_generation"  # services/base.py GENERATION_KEY
_RULE_SET_COLUMNS = tuple(c.key for c in RuleSetRow.__table__.columns
                          if c.key not in BOOKKEEPING | IDENTITY)
_ENTERPRISE_COLUMNS = ("name", "credit_code", "address", "industry", "phone", "station_tier",
                       "alliance_member", "demo_street")


def reference_uuid(office_code: str) -> str:
    """The document's UUID: the same on every PC of the office, from the office's code."""
    return str(uuidlib.uuid5(_NAMESPACE, f"office-reference:{office_code}"))


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text or "")
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


# ---------------------------------------------------------------------------- local -> document
def snapshot(session: Session, part: str) -> str:
    """One part of the document as the local tables hold it now."""
    if part == "calendar":
        overrides = session.scalars(select(HolidayOverride).order_by(HolidayOverride.day))
        years = session.scalars(select(CalendarYear).order_by(CalendarYear.year))
        return dump({"overrides": [[o.day.isoformat(), bool(o.is_working), o.note or ""]
                                   for o in overrides],
                     "years": [[y.year, y.note or ""] for y in years]})
    if part == "rule_sets":
        rows = session.scalars(select(RuleSetRow).order_by(RuleSetRow.code))
        return dump([{k: plain(getattr(r, k)) for k in _RULE_SET_COLUMNS} for r in rows])
    if part == "codes":
        items = session.scalars(select(CodeItem).order_by(CodeItem.kind, CodeItem.code))
        return dump([[i.kind, i.code, i.label, i.sort_order, bool(i.active)] for i in items])
    if part == "enterprises":
        rows = session.scalars(select(Enterprise).order_by(Enterprise.uuid))
        return dump([{"uuid": e.uuid, **{k: getattr(e, k) for k in _ENTERPRISE_COLUMNS}}
                     for e in rows])
    raise ValueError(part)


_EMPTY = {"calendar": dump({"overrides": [], "years": []}), "enterprises": dump([])}


def local_office(session: Session) -> Office | None:
    setting = session.get(AppSetting, _LOCAL_OFFICE_KEY)
    if setting is None:
        return None
    return session.scalars(select(Office).where(Office.code == setting.value)).first()


def document(session: Session, office_id: int) -> OfficeReference | None:
    return session.scalars(select(OfficeReference)
                           .where(OfficeReference.office_id == office_id)).first()


def publish(session: Session, *parts: str) -> OfficeReference | None:
    """Take `parts` from the local tables into this office's document, in the caller's
    transaction (its outbox sends the change). The first publication makes the document with
    every part. None before the office is set up."""
    office = local_office(session)
    if office is None:
        return None
    session.flush()
    row = document(session, office.id)
    if row is None:
        # The parts changed now, and the calendar and 企业库 an administrator had filled in
        # before the document existed (an earlier program): a fresh PC holds neither, so it
        # publishes nothing of them. A part the office has not published stays None.
        own = {p for p in ("calendar", "enterprises") if snapshot(session, p) != _EMPTY[p]}
        row = OfficeReference(uuid=reference_uuid(office.code), office_id=office.id,
                              **{p: snapshot(session, p) for p in PARTS if p in set(parts) | own})
        session.add(row)
    else:
        for part in parts:
            text = snapshot(session, part)
            if getattr(row, part) != text:
                setattr(row, part, text)
    session.flush()
    return row


# ---------------------------------------------------------------------------- document -> local
# `keep_rule_set(code, values)`: True when a rule set of the document must not replace the local
# one (it is as an older program shipped it, and this program ships newer values).
KeepRuleSet = Callable[[str, dict[str, Any]], bool]


def install(session: Session, row: OfficeReference,
            keep_rule_set: KeepRuleSet = lambda _c, _v: False) -> set[str]:
    """Write the document into the local tables; the parts that changed anything here."""
    changed = set()
    for part, apply in (("calendar", _install_calendar), ("rule_sets", _install_rule_sets),
                        ("codes", _install_codes), ("enterprises", _install_enterprises)):
        text = getattr(row, part)
        if not text or snapshot(session, part) == text:
            continue
        try:
            with session.begin_nested():  # a part this program cannot read changes nothing
                if apply(session, text, keep_rule_set):
                    changed.add(part)
        except (ValueError, TypeError, KeyError, IntegrityError):
            continue
    if changed:
        setting = session.get(AppSetting, _GENERATION_KEY)
        if setting is None:
            session.add(AppSetting(key=_GENERATION_KEY, value=new_uuid()))
        else:
            setting.value = new_uuid()  # other programs on this PC re-read the calendar
        session.flush()
    return changed


def _install_calendar(session: Session, text: str, _keep: KeepRuleSet) -> bool:
    from datetime import date

    doc = load(text, {})
    if not isinstance(doc.get("overrides"), list) or not isinstance(doc.get("years"), list):
        return False
    changed = False
    wanted = {date.fromisoformat(d): (bool(w), str(n)) for d, w, n in doc["overrides"]}
    for o in session.scalars(select(HolidayOverride)).all():
        if o.day not in wanted:
            session.delete(o)
            changed = True
            continue
        working, note = wanted.pop(o.day)
        if (o.is_working, o.note) != (working, note):
            o.is_working, o.note = working, note
            changed = True
    session.flush()  # a day removed and added again in one document
    for day, (working, note) in sorted(wanted.items()):
        session.add(HolidayOverride(day=day, is_working=working, note=note))
        changed = True
    years = {int(y): str(n) for y, n in doc["years"]}
    for y in session.scalars(select(CalendarYear)).all():
        if y.year not in years:
            session.delete(y)
            changed = True
        else:
            note = years.pop(y.year)
            if y.note != note:
                y.note = note
                changed = True
    session.flush()
    for year, note in sorted(years.items()):
        session.add(CalendarYear(year=year, note=note))
        changed = True
    return changed


def _install_rule_sets(session: Session, text: str, keep: KeepRuleSet) -> bool:
    from datetime import date

    rows = {r.code: r for r in session.scalars(select(RuleSetRow))}
    changed = False
    for values in load(text, []):
        if not isinstance(values, dict) or not values.get("code"):
            continue
        code = values["code"]
        if keep(code, values):
            continue
        row = rows.get(code)
        if row is None:
            row = RuleSetRow(code=code)
            session.add(row)
        for key in _RULE_SET_COLUMNS:
            if key not in values:
                continue
            value = values[key]
            if key == "effective_from" and isinstance(value, str):
                value = date.fromisoformat(value)
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
    return changed


def _install_codes(session: Session, text: str, _keep: KeepRuleSet) -> bool:
    items = {(i.kind, i.code): i for i in session.scalars(select(CodeItem))}
    changed = False
    for entry in load(text, []):
        if not isinstance(entry, list) or len(entry) != 5:
            continue
        kind, code, label, order, active = entry
        item = items.get((kind, code))
        if item is None:
            session.add(CodeItem(kind=kind, code=code, label=label, sort_order=order,
                                 active=bool(active)))
            changed = True
        elif (item.label, item.sort_order, item.active) != (label, order, bool(active)):
            item.label, item.sort_order, item.active = label, order, bool(active)
            changed = True
    return changed


def _install_enterprises(session: Session, text: str, _keep: KeepRuleSet) -> bool:
    """By the enterprise's UUID (one the document brought before), else its credit code, else
    (without one) its name; a new one keeps the document's UUID, so complaints naming it find
    it here too."""
    rows = list(session.scalars(select(Enterprise)))
    by_uuid = {e.uuid: e for e in rows}
    by_code = {e.credit_code: e for e in rows if e.credit_code}
    by_name = {e.name: e for e in rows if not e.credit_code}
    changed = False
    for values in load(text, []):
        if not isinstance(values, dict) or not values.get("name"):
            continue
        code = values.get("credit_code") or None
        e = by_uuid.get(values.get("uuid", "")) or (by_code.get(code) if code
                                                     else by_name.get(values["name"]))
        if e is None:
            e = Enterprise(uuid=values.get("uuid") or new_uuid())
            session.add(e)
            changed = True
        for key in _ENTERPRISE_COLUMNS:
            if key not in values:
                continue
            value = values[key]
            if key == "credit_code":
                value = value or None
                holder = by_code.get(value) if value else None
                if holder is not None and holder is not e:
                    continue  # another enterprise here has that code: left as it is
            if getattr(e, key) != value:
                if key == "credit_code":
                    if e.credit_code:
                        by_code.pop(e.credit_code, None)
                    if value:
                        by_code[value] = e
                setattr(e, key, value)
                changed = True
        session.flush()
    return changed


def summary(part: str, text: Any) -> str:
    """One line for a conflict's values: what the part holds, not its JSON."""
    if not isinstance(text, str):
        return "（空）" if text is None else str(text)
    if part == "calendar":
        doc = load(text, {})
        overrides = doc.get("overrides") or []
        shown = "、".join(f"{d}{'上班' if w else '休息'}" for d, w, _n in overrides[-6:])
        years = "、".join(str(y) for y, _n in doc.get("years") or [])
        return (f"{len(overrides)} 个调整日" + (f"（最近：{shown}）" if shown else "")
                + (f"；已确认年度：{years}" if years else ""))
    if part == "rule_sets":
        sets = load(text, [])
        return "；".join(f"{s.get('name', s.get('code'))}：受理 {s.get('accept_days')} 日、"
                        f"调解 {s.get('mediation_days')} 日" for s in sets if isinstance(s, dict))
    if part == "codes":
        return f"{len(load(text, []))} 个代码"
    if part == "enterprises":
        rows = load(text, [])
        names = "、".join(str(e.get("name")) for e in rows[-3:] if isinstance(e, dict))
        return f"{len(rows)} 家企业" + (f"（含 {names}）" if names else "")
    return str(text)[:200]
