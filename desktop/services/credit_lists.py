"""Enterprise credit lists (seeds 000, 003, 004): 零投诉企业, 红黑榜 candidates confirmed by
the section (消保科) before they leave the program, and 消费警示 hints.

Definitions (one place; notes/ledgerxlsx.md and the guides repeat them):

- Counted: 投诉 (not 举报 or 咨询) linked to an enterprise of the register (企业库),
  received in the year, within the user's office scope.
- A complaint *reached the bureau* when its handling office is a sub-bureau or the district. A
  complaint handled at a 投诉监督站 is the enterprise's own 源头和解 (seed 000: the station is the
  enterprise's 和解组织) and never counts against it — the register keeps no link from a station
  to its enterprise, and a mall's station settles its tenants' complaints in the same spirit.
  A station complaint transferred upward has the bureau as its office and so does count.
- 零投诉企业: every enterprise of the register with no 有责任投诉 (at_fault) that reached the
  bureau in the year.
- 红榜 candidates: 零投诉 enterprises that are alliance members (诚信承诺联盟, when the rule says
  so) with at most `red_max_at_fault` at-fault complaints at the bureau (0 by default).
- 黑榜 candidates: at-fault complaints at the bureau ≥ `black_min_at_fault`, or mediations ended
  because a party refused (终止调解, ground refused_attend) ≥ `black_min_refused`.
- The rules are settings an administrator sets (app_settings `credit.rule.*`); a candidate goes
  on a list only when the section confirms it with a reason (app_settings `credit.confirm.*`,
  each confirmation and withdrawal written into the audit log). Exports and printing carry the
  confirmed entries only, and refuse an empty list.
- 消费警示 hints: categories and respondents whose complaints rose most against the previous
  period of the same length, with a draft text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop.db.credit import CreditQueries, EnterpriseCounts
from desktop.db.repositories import CodeRepository, EnterpriseRepository, OfficeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError, NotFound, TransitionError
from desktop.domain.workflow import HANDLERS, Role
from desktop.files import write_atomic
from desktop.services.base import Service, require_role
from desktop.services.dto import CurrentUser

SECTION = frozenset({Role.CONSUMER_PROTECTION})
READERS = SECTION | HANDLERS | {Role.ADMIN, Role.DEPARTMENT_HEAD, Role.DEPUTY_DIRECTOR}
RULE_PREFIX = "credit.rule."
CONFIRM_PREFIX = "credit.confirm."
KINDS = {"zero": "零投诉企业名单", "red": "诚信红榜", "black": "失信黑榜"}
REASON_LEN = 200


@dataclass(frozen=True)
class CreditRules:
    red_alliance_only: bool = True
    red_max_at_fault: int = 0
    black_min_at_fault: int = 3
    black_min_refused: int = 2


@dataclass(frozen=True)
class Confirmation:
    reason: str
    by: str
    at: str


@dataclass(frozen=True)
class CreditLine:
    enterprise_id: int
    name: str
    credit_code: str
    industry: str
    alliance_member: bool
    complaints: int  # received in the year (any office in scope)
    at_fault_bureau: int
    at_fault_station: int
    refused_bureau: int
    why: str  # which rule put it here
    confirmed: Confirmation | None = None


@dataclass(frozen=True)
class Rise:
    name: str
    previous: int
    current: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class WarningHints:
    start: date
    end: date
    previous_start: date
    previous_end: date
    categories: tuple[Rise, ...]
    respondents: tuple[Rise, ...]
    draft: str


def _year(year: int) -> tuple[date, date]:
    if not 2000 <= year <= 2100:
        raise FieldError("年度", "请输入 2000—2100 之间的年份")
    return date(year, 1, 1), date(year, 12, 31)


class CreditListService(Service):
    # -- rules --------------------------------------------------------------------------
    def rules(self) -> CreditRules:
        with self._uow(None, "", write=False) as uow:
            return self._rules(uow)

    @staticmethod
    def _rules(uow: UnitOfWork) -> CreditRules:
        saved = CodeRepository(uow.session).settings_under(RULE_PREFIX)
        changes: dict[str, Any] = {}
        for key, default in vars(CreditRules()).items():
            if key in saved:
                changes[key] = saved[key] == "1" if isinstance(default, bool) else int(saved[key])
        return replace(CreditRules(), **changes)

    def set_rules(self, user: CurrentUser, rules: CreditRules) -> CreditRules:
        require_role(user, Role.ADMIN, doing="设置红黑榜规则")
        for key in ("red_max_at_fault", "black_min_at_fault", "black_min_refused"):
            if not 0 <= getattr(rules, key) <= 999:
                raise FieldError("红黑榜规则", "件数应在 0—999 之间")
        if rules.black_min_at_fault < 1 or rules.black_min_refused < 1:
            raise FieldError("红黑榜规则", "黑榜门槛至少为 1 件")
        with self._uow(user, "设置红黑榜规则") as uow:
            codes = CodeRepository(uow.session)
            for key, value in vars(rules).items():
                codes.set_setting(RULE_PREFIX + key,
                                  ("1" if value else "0") if isinstance(value, bool) else str(value))
            uow.log_bulk("credit_rules", vars(rules))
            uow.commit()
        return rules

    # -- lists ---------------------------------------------------------------------------
    def entries(self, user: CurrentUser, year: int, kind: str) -> list[CreditLine]:
        """零投诉企业 (`zero`), or the 红榜 / 黑榜 candidates (`red`, `black`), each with its
        confirmation if the section gave one."""
        require_role(user, *READERS, doing="查看诚信企业名单")
        if kind not in KINDS:
            raise ValueError(kind)
        start, end = _year(year)
        with self._uow(user, "", write=False) as uow:
            rules = self._rules(uow)
            q = CreditQueries(uow.session)
            counts = q.counts(start, end, user.scope)
            confirmed = self._confirmations(uow, year, kind)
            out = []
            for e in q.enterprises():
                n = counts.get(e.id, EnterpriseCounts(0, 0, 0, 0, 0))
                why = self._why(kind, rules, e.alliance_member, n)
                if why is None:
                    continue
                out.append(CreditLine(e.id, e.name, e.credit_code or "", e.industry,
                                      e.alliance_member, n.complaints, n.at_fault_bureau,
                                      n.at_fault_station, n.refused_bureau, why,
                                      confirmed.get(e.uuid)))
            if kind == "black":
                out.sort(key=lambda x: (-x.at_fault_bureau, -x.refused_bureau, x.name))
            return out

    @staticmethod
    def _why(kind: str, rules: CreditRules, alliance: bool, n: EnterpriseCounts) -> str | None:
        zero = n.at_fault_bureau == 0
        if kind == "zero":
            settled = f"，站内和解有责 {n.at_fault_station} 件" if n.at_fault_station else ""
            return f"全年无到分局/区局的有责任投诉{settled}" if zero else None
        if kind == "red":
            if rules.red_alliance_only and not alliance:
                return None
            if n.at_fault_bureau > rules.red_max_at_fault:
                return None
            member = "诚信承诺联盟成员，" if alliance else ""
            return f"{member}到分局/区局的有责任投诉 {n.at_fault_bureau} 件"
        reasons = []
        if n.at_fault_bureau >= rules.black_min_at_fault:
            reasons.append(f"有责任投诉 {n.at_fault_bureau} 件（≥{rules.black_min_at_fault}）")
        if n.refused_bureau >= rules.black_min_refused:
            reasons.append(f"拒绝调解 {n.refused_bureau} 件（≥{rules.black_min_refused}）")
        return "；".join(reasons) or None

    @staticmethod
    def _key(year: int, kind: str, uuid: str) -> str:
        return f"{CONFIRM_PREFIX}{year}.{kind}.{uuid}"

    def _confirmations(self, uow: UnitOfWork, year: int, kind: str) -> dict[str, Confirmation]:
        saved = CodeRepository(uow.session).settings_under(f"{CONFIRM_PREFIX}{year}.{kind}.")
        return {uuid: Confirmation(**json.loads(v)) for uuid, v in saved.items()}

    def confirm(self, user: CurrentUser, year: int, kind: str, enterprise_id: int,
                reason: str) -> Confirmation:
        """The section puts a candidate on the list, saying why."""
        require_role(user, *SECTION, doing="确认诚信企业名单")
        reason = (reason or "").strip()
        if not reason:
            raise FieldError("确认理由", "请写明列入名单的理由")
        if len(reason) > REASON_LEN:
            raise FieldError("确认理由", f"不能超过 {REASON_LEN} 个字")
        if not any(x.enterprise_id == enterprise_id for x in self.entries(user, year, kind)):
            raise TransitionError(f"该企业不是{year}年{KINDS[kind]}的候选企业（按当前规则）")
        with self._uow(user, f"确认{KINDS[kind]}", reason=reason) as uow:
            e = EnterpriseRepository(uow.session).get(enterprise_id)
            if e is None:
                raise NotFound(f"企业 {enterprise_id} 不存在")
            c = Confirmation(reason, user.display_name, f"{self.ctx.clock.now():%Y-%m-%d %H:%M}")
            CodeRepository(uow.session).set_setting(self._key(year, kind, e.uuid),
                                                    json.dumps(vars(c), ensure_ascii=False))
            uow.log_bulk("credit_lists", {"year": year, "list": kind, "enterprise": e.name,
                                          "credit_code": e.credit_code, "confirmed": True})
            uow.commit()
            return c

    def withdraw(self, user: CurrentUser, year: int, kind: str, enterprise_id: int,
                 reason: str = "") -> None:
        require_role(user, *SECTION, doing="撤销诚信企业名单确认")
        with self._uow(user, f"撤销{KINDS[kind]}确认", reason=reason or None) as uow:
            e = EnterpriseRepository(uow.session).get(enterprise_id)
            if e is None:
                raise NotFound(f"企业 {enterprise_id} 不存在")
            from desktop.db.models import AppSetting

            row = uow.session.get(AppSetting, self._key(year, kind, e.uuid))
            if row is not None:
                uow.session.delete(row)
            uow.log_bulk("credit_lists", {"year": year, "list": kind, "enterprise": e.name,
                                          "confirmed": False})
            uow.commit()

    def _confirmed_lines(self, user: CurrentUser, year: int, kind: str) -> list[CreditLine]:
        lines = [x for x in self.entries(user, year, kind) if x.confirmed is not None]
        if not lines:
            raise TransitionError(f"{year}年{KINDS[kind]}还没有经消保科确认的企业，不能导出或打印")
        return lines

    _HEADER = ("序号", "企业名称", "统一社会信用代码", "行业", "诚信承诺联盟", "全年投诉",
               "到分局/区局有责", "站内和解有责", "拒绝调解", "列入依据", "确认理由", "确认人", "确认时间")

    @staticmethod
    def _row(i: int, x: CreditLine) -> list[object]:
        c = x.confirmed
        assert c is not None
        return [i, x.name, x.credit_code, x.industry, "是" if x.alliance_member else "否",
                x.complaints, x.at_fault_bureau, x.at_fault_station, x.refused_bureau, x.why,
                c.reason, c.by, c.at]

    def export(self, user: CurrentUser, year: int, kind: str, target: Path) -> Path:
        """The confirmed list as .xlsx (refused while nothing is confirmed)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        require_role(user, *READERS, doing="导出诚信企业名单")
        lines = self._confirmed_lines(user, year, kind)
        wb = Workbook()
        ws = wb.active
        ws.title = KINDS[kind]
        ws.append([f"{user.office_name} {year}年{KINDS[kind]}"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"共 {len(lines)} 家，均经消保科确认　导出：{user.display_name} "
                   f"{self.ctx.clock.now():%Y-%m-%d %H:%M}"])
        ws.append(list(self._HEADER))
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for i, x in enumerate(lines, start=1):
            ws.append(self._row(i, x))
        for letter, width in zip("ABCDEFGHIJKLM", (6, 34, 22, 12, 12, 9, 14, 12, 9, 36, 30, 10, 17),
                                 strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A4"
        out = io.BytesIO()
        wb.save(out)
        write_atomic(Path(target), out.getvalue())
        self._log_export(user, year, kind, len(lines), Path(target).name)
        return Path(target)

    def pdf(self, user: CurrentUser, year: int, kind: str) -> bytes:
        """The confirmed list on paper (A4 landscape, the office's letterhead, embedded fonts)."""
        from desktop.forms.credit_forms import credit_list
        from desktop.forms.data import Letterhead

        require_role(user, *READERS, doing="打印诚信企业名单")
        lines = self._confirmed_lines(user, year, kind)
        with self._uow(user, "", write=False) as uow:
            offices = OfficeRepository(uow.session)
            office = offices.get(user.office_id)
            assert office is not None
            district = offices.district_of(office)
            lh = Letterhead(office=office.name, district=district.name,
                            seal_text=office.seal_text or office.name, address=office.address,
                            phone=office.phone)
        header = ("序号", "企业名称", "统一社会信用代码", "行业", "全年投诉", "到分局/区局有责",
                  "列入依据", "确认理由")
        rows = [[str(i), x.name, x.credit_code, x.industry, str(x.complaints),
                 str(x.at_fault_bureau), x.why, x.confirmed.reason if x.confirmed else ""]
                for i, x in enumerate(lines, start=1)]
        pdf = credit_list(f"{year}年{KINDS[kind]}", f"共 {len(lines)} 家，均经消保科确认", header,
                          rows, (0.05, 0.2, 0.14, 0.08, 0.06, 0.09, 0.19, 0.19), lh,
                          self.ctx.clock.now(),
                          note="有责任投诉只计到分局、区局的投诉；投诉站内和解的不计（源头和解）。")
        self._log_export(user, year, kind, len(lines), "PDF")
        return pdf.data

    def _log_export(self, user: CurrentUser, year: int, kind: str, n: int, what: str) -> None:
        with self._uow(user, f"导出{KINDS[kind]}") as uow:
            uow.log_bulk("credit_lists", {"year": year, "list": kind, "rows": n, "file": what})
            uow.commit()

    # -- 消费警示 -------------------------------------------------------------------------
    def warning_hints(self, user: CurrentUser, start: date, end: date, top: int = 5) -> WarningHints:
        require_role(user, *READERS, doing="查看消费警示提示")
        if end < start:
            raise FieldError("截止日期", "不能早于起始日期")
        days = (end - start).days + 1
        prev_end = start - timedelta(days=1)
        prev_start = prev_end - timedelta(days=days - 1)
        with self._uow(user, "", write=False) as uow:
            q = CreditQueries(uow.session)
            labels = {i.code: i.label for i in CodeRepository(uow.session).items("category", True)}
            cats = self._rises(q.by_category(prev_start, prev_end, user.scope),
                               q.by_category(start, end, user.scope), top,
                               lambda code: labels.get(code, code))
            resp = self._rises(q.by_respondent(prev_start, prev_end, user.scope),
                               q.by_respondent(start, end, user.scope), top, lambda n: n)
        return WarningHints(start, end, prev_start, prev_end, cats, resp,
                            self._draft(start, end, cats, resp))

    @staticmethod
    def _rises(before: dict, now: dict, top: int, name) -> tuple[Rise, ...]:
        rises = [Rise(name(k), before.get(k, 0), v) for k, v in now.items() if v > before.get(k, 0)]
        rises.sort(key=lambda r: (-r.change, -r.current, r.name))
        return tuple(rises[:top])

    @staticmethod
    def _draft(start: date, end: date, cats: Sequence[Rise], resp: Sequence[Rise]) -> str:
        period = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
        if not cats and not resp:
            return f"{period}，投诉量未见明显上升的类别或经营者，暂无须发布消费警示。"
        lines = ["消费警示（草稿）", "",
                 f"{period}，我局受理的消费投诉中，以下方面较上一期明显上升，提醒广大消费者注意："]
        for i, r in enumerate(cats, start=1):
            lines.append(f"{i}. {r.name}：{r.current} 件（上期 {r.previous} 件，增加 {r.change} 件）。")
        if resp:
            names = "、".join(f"{r.name}（{r.current} 件，增加 {r.change} 件）" for r in resp)
            lines.append(f"投诉增加较多的经营者：{names}。")
        lines += ["", "消费者在购买上述商品或服务时，应选择正规经营者，索要并保存好发票、合同等凭证；"
                  "合法权益受到侵害时，可拨打 12315 或到当地市场监督管理部门投诉。",
                  "（本草稿由系统根据投诉数据生成，发布前请核实并修改。）"]
        return "\n".join(lines)
