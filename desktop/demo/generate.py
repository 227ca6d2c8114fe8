"""The demo database: a district, two sub-bureaus, five stations, 200 enterprises, two years of complaints.

Small sizes go through the real services with a clock that walks through each complaint's
life, so every record has the history, deadlines and audit trail the program would have made.
Large sizes (`--complaints` beyond SERVICE_LIMIT, for benchmarks) insert final-state rows in
bulk through the repository, one audit line per batch.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache, partial
from itertools import accumulate
from operator import itemgetter
from typing import Any

from desktop.bootstrap import Services
from desktop.db.models import new_uuid
from desktop.demo import corpus
from desktop.domain.complaint import ComplaintDraft
from desktop.domain.deadlines import compute_deadlines, rule_set_for
from desktop.domain.numbering import format_number
from desktop.domain.workflow import Result, Role, Status
from desktop.services.base import FixedClock, ServiceContext
from desktop.services.complaints import ComplaintService
from desktop.services.disclosure import DisclosureService
from desktop.services.dto import CurrentUser
from desktop.services.offices import OfficeSpec
from desktop.services.records import RecordService

DEMO_PASSWORD = "demo1234"
SERVICE_LIMIT = 3000
Progress = Callable[[int, int], None]
Steps = Callable[[str, int, int], None]  # (what is being built, done, total); total 0: no count
# The steps of a first start's demo build, in order (bootstrap.open_demo adds the first).
STEPS = ("建立数据库", "建立单位和演示账号", "建立企业库", "生成演示投诉及其办理经过", "生成消费投诉公示",
         "整理数据库")

OFFICES = [
    OfficeSpec("WZ", "苏州市吴中区市场监督管理局", "district", address="苏州市吴中区东吴北路 98 号"),
    OfficeSpec("WZCQ", "吴中区市场监督管理局长桥分局", "sub_bureau", "WZ",
               address="苏州市吴中区长桥街道龙西路 160 号", phone="0512-65251234"),
    OfficeSpec("WZMD", "吴中区市场监督管理局木渎分局", "sub_bureau", "WZ",
               address="苏州市吴中区木渎镇中山东路 70 号", phone="0512-66561234"),
    OfficeSpec("WZCQ01", "吴中万达广场消费投诉监督站", "station", "WZCQ", "large"),
    OfficeSpec("WZCQ02", "苏州东吴汽车销售服务有限公司投诉监督站", "station", "WZCQ", "hotspot"),
    OfficeSpec("WZCQ03", "长桥便民超市投诉监督站", "station", "WZCQ", "general"),
    OfficeSpec("WZMD01", "木渎家居装饰城消费投诉监督站", "station", "WZMD", "hotspot"),
    OfficeSpec("WZMD02", "木渎古镇商业街消费投诉监督站", "station", "WZMD", "general"),
]
# The enterprise each station sits in decides what its complaints are about.
STATION_INDUSTRY = {"WZCQ01": "商场百货", "WZCQ02": "汽车销售(4S)", "WZCQ03": "超市",
                    "WZMD01": "家居建材", "WZMD02": "餐饮"}

USERS = [  # username, name, office, roles
    ("admin", "周建国", "WZCQ", {Role.ADMIN}),
    ("wangfang", "王芳", "WZCQ", {Role.DESK_STAFF}),
    ("lijun", "李军", "WZMD", {Role.DESK_STAFF}),
    ("chenjing", "陈静", "WZCQ01", {Role.CLERK}),
    ("zhaolei", "赵磊", "WZCQ01", {Role.STATION_HEAD}),
    ("sunli", "孙丽", "WZCQ02", {Role.CLERK}),
    ("zhouhong", "周红", "WZCQ03", {Role.CLERK, Role.STATION_HEAD}),
    ("wuqiang", "吴强", "WZMD01", {Role.CLERK}),
    ("xuming", "徐明", "WZMD02", {Role.CLERK}),
    ("xiaobao", "钱晓宝", "WZ", {Role.CONSUMER_PROTECTION}),
    ("bumen", "郑国华", "WZ", {Role.DEPARTMENT_HEAD}),
    ("juzhang", "冯志远", "WZ", {Role.DEPUTY_DIRECTOR}),
]
HANDLER_OF = {"WZCQ": "wangfang", "WZMD": "lijun", "WZCQ01": "chenjing", "WZCQ02": "sunli",
              "WZCQ03": "zhouhong", "WZMD01": "wuqiang", "WZMD02": "xuming"}
REQUEST_CODES = {"退款": "refund", "退货": "return", "换货": "exchange", "维修": "repair",
                 "赔偿": "compensation", "道歉": "apology", "履行合同": "perform", "其他": "other"}
SUB_BUREAU_CHANNELS = ["hotline12315"] * 4 + ["web12315"] * 4 + ["district"] * 3 + [
    "walkin", "walkin", "letter", "hotline12345", "app"]


@dataclass(frozen=True)
class DemoSummary:
    offices: int
    users: int
    enterprises: int
    complaints: int


def build_demo(s: Services, complaints: int = 300, seed: int = 2026,
               progress: Progress | None = None, steps: Steps | None = None) -> DemoSummary:
    """`progress(done, total)` follows the complaints; `steps(what, done, total)` every step
    (the window's progress dialog shows it; raising from it, e.g. Cancelled, stops the build)."""
    def step(what: str, done: int = 0, total: int = 0) -> None:
        if steps is not None:
            steps(what, done, total)

    if steps is not None and progress is None:
        progress = partial(step, "生成演示投诉及其办理经过")

    rng = random.Random(seed)
    step("建立单位和演示账号")
    s.setup.initialize(offices=OFFICES, local_office_code="WZCQ", admin_username="admin",
                       admin_name="周建国", admin_password=DEMO_PASSWORD)
    admin = s.users.login("admin", DEMO_PASSWORD)
    offices = {o.code: o for o in s.offices.all()}
    for username, name, office, roles in USERS[1:]:
        s.users.create(admin, username=username, display_name=name, password=DEMO_PASSWORD,
                       office_id=offices[office].id, roles=roles)
    # Each station sits inside an enterprise of its industry; the rest are the sub-bureaus' register.
    seeds = [corpus.enterprise(rng, industry) for industry in STATION_INDUSTRY.values()]
    taken = {e.credit_code for e in seeds} | {e.name for e in seeds}
    seeds += [e for e in corpus.enterprises(rng, 200 + len(seeds))
              if e.credit_code not in taken and e.name not in taken][: 200 - len(seeds)]
    enterprise_ids = []
    for n, e in enumerate(seeds):
        step("建立企业库", n, len(seeds))
        changed = s.enterprises.save(admin, name=e.name, credit_code=e.credit_code,
                                     address=e.address, industry=e.industry, phone=e.phone,
                                     alliance_member=rng.random() < 0.3,
                                     demo_street=rng.random() < 0.1)
        enterprise_ids.append(changed.ids[0])
    handlers = {code: s.users.login(name, DEMO_PASSWORD) for code, name in HANDLER_OF.items()}
    today = s.ctx.clock.today()
    if complaints <= SERVICE_LIMIT:
        _through_services(s, rng, complaints, handlers, seeds, enterprise_ids, today, progress)
        step("生成消费投诉公示")
        _disclosures(s, today)
    else:
        _bulk(s, rng, complaints, handlers, seeds, enterprise_ids, today, progress)
    step("整理数据库")
    with s.ctx.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")  # statistics for the planner, as after any bulk load
        connection.commit()  # the engine opens a transaction on every connection
    return DemoSummary(len(OFFICES), len(USERS), len(seeds), complaints)


def _disclosures(s: Services, today: date) -> None:
    """The district's monthly disclosure: published for the months before last, and last
    month's list in draft with one station's objection waiting, as the office finds it."""
    clock = FixedClock(datetime.combine(today, time(9)))
    disclosure = DisclosureService(ServiceContext(s.ctx.engine, clock, s.ctx.reference,
                                                  s.ctx.data_dir))
    login = lambda name: s.users.login(name, DEMO_PASSWORD)  # noqa: E731
    section, head, deputy = login("xiaobao"), login("bumen"), login("juzhang")
    first_of_this = today.replace(day=1)
    months = []
    for _ in range(3):
        first_of_this = (first_of_this - timedelta(days=1)).replace(day=1)
        months.append(first_of_this)
    for n, month in enumerate(reversed(months)):
        # The work happens in the first days of the following month.
        after = (month + timedelta(days=32)).replace(day=1)
        clock.at = min(datetime.combine(after + timedelta(days=2), time(9, 30)), s.ctx.clock.now())
        disclosure.build(section, month)
        list_id = disclosure.overview(section, month).list.id  # type: ignore[union-attr]
        if n == 2:
            # The first station with a complaint on the list objects to one of them.
            for code, username in HANDLER_OF.items():
                station = login(username)
                mine = disclosure.overview(station, month).entries
                if len(code) > 4 and mine:
                    disclosure.object(station, mine[0].id,
                                      "经营者提供的证据表明投诉内容与事实明显不符")
                    break
            return
        disclosure.submit(section, list_id)
        clock.at += timedelta(hours=3)
        disclosure.approve(head, list_id, "同意")
        clock.at += timedelta(days=1)
        disclosure.approve(deputy, list_id)
        clock.at += timedelta(hours=2)
        disclosure.publish(section, list_id, ["website", "wechat"])


def _received_times(rng: random.Random, n: int, today: date) -> list[datetime]:
    """n receipt times over the last two years, office hours, oldest first; some from today."""
    start = today - timedelta(days=730)
    out = []
    for i in range(n):
        # A quarter in the last six weeks, so every state of the workflow is on screen.
        if rng.random() < 0.25:
            day = today - timedelta(days=rng.randint(0, 45))
        else:
            day = start + timedelta(days=int(730 * (i + rng.random()) / n))
        if i >= n - max(2, n // 150):
            day = today
        out.append(datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59))))
    return sorted(out)


def _draft(rng: random.Random, office_code: str, at: datetime, seeds, enterprise_ids) -> ComplaintDraft:  # type: ignore[no-untyped-def]
    person = corpus.person(rng)
    if office_code in STATION_INDUSTRY:
        index = list(STATION_INDUSTRY).index(office_code)
        industry = STATION_INDUSTRY[office_code]
        channel = "station"
    else:
        index = rng.randrange(len(seeds))
        industry = seeds[index].industry
        channel = rng.choice(SUB_BUREAU_CHANNELS)
    seed = seeds[index]
    sc = corpus.scenario(rng, industry, complainant=person, before=at.date())
    return ComplaintDraft(
        channel_code=channel, received_at=at, complainant_name=person.name,
        complainant_phone=person.mobile, complainant_address=person.address,
        complainant_id_number=person.id_number, respondent_name=seed.name,
        respondent_credit_code=seed.credit_code, respondent_address=seed.address,
        enterprise_id=enterprise_ids[index], subject=sc.subject, category_code=sc.category_code,
        brand_model=sc.brand_model, amount=sc.amount,
        request_type=REQUEST_CODES.get(sc.request_type, "other"), request=sc.request,
        facts=sc.facts,
        district_number=f"12315-{at:%Y%m%d}-{rng.randint(100000, 999999)}" if channel == "district" else None,
    )


_QUESTIONS = (
    ("预付卡商家关门了，卡里的钱怎么办？", "可凭购卡凭证向商家所在地市场监管部门投诉，涉嫌诈骗的可向公安机关报案。"),
    ("网购的衣服不合适，七天无理由退货运费谁出？", "七日无理由退货的运费一般由消费者承担，商家承诺包邮的除外。"),
    ("买的空调还在三包期内坏了，商家让我找厂家，对吗？", "三包期内销售者应负责修理、更换或退货，不能推给生产者。"),
    ("健身房会员卡能转让吗？", "以合同约定为准；合同未约定的可与经营者协商，协商不成可投诉。"),
    ("餐馆收取包间费合法吗？", "经营者应事先明示收费项目和标准，未明示的消费者有权拒绝支付。"),
)
_REPORTS = (
    "举报该店销售过期食品，货架上有超过保质期的{subject}。",
    "举报该经营者虚假宣传，{subject}广告中宣称的功效与实际不符。",
    "举报该店未明码标价，{subject}结账价格高于货架标示价格。",
    "举报该经营者销售的{subject}无中文标签，来源不明。",
)


def _question(rng: random.Random, draft: ComplaintDraft) -> ComplaintDraft:
    question, answer = rng.choice(_QUESTIONS)
    return replace(draft, kind="consultation", facts=question, answer=answer, request="",
                   complainant_address="", complainant_id_number=None, district_number=None,
                   amount=None, purchase_date=None)


def _as_report(rng: random.Random, draft: ComplaintDraft) -> ComplaintDraft:
    named = rng.random() < 0.6
    return replace(draft, kind="report", facts=rng.choice(_REPORTS).format(subject=draft.subject),
                   reporter_real_name=named, request="",
                   complainant_name=draft.complainant_name if named else "",
                   complainant_phone=draft.complainant_phone if named else "",
                   complainant_address=draft.complainant_address if named else "",
                   complainant_id_number=None, amount=None)


def _report(complaints: ComplaintService, user: CurrentUser, draft: ComplaintDraft,  # type: ignore[no-untyped-def]
            received: date, today: date, rng: random.Random, at) -> None:
    cid = complaints.register(user, draft).ids[0]
    age = (today - received).days
    if age < 10 and rng.random() < 0.7:
        return  # still being checked
    at(min(today, received + timedelta(days=rng.randint(3, 14))), 15)
    if rng.random() < 0.4:
        complaints.file_case(user, cid, note="经核查存在违法行为，立案调查", expected_version=1)
        result = Result.CASE_FILED
    else:
        complaints.decline_case(user, cid, note="经现场核查未发现违法行为", expected_version=1)
        result = Result.CASE_NOT_FILED
    if age > 20:
        at(min(today, received + timedelta(days=rng.randint(15, 20))), 16)
        complaints.close(user, cid, result=result, expected_version=2)


_OFFICE_WEIGHTS = [30, 20, 12, 10, 8, 12, 8]


def _pick_offices(rng: random.Random) -> str:
    return rng.choices(list(HANDLER_OF), weights=_OFFICE_WEIGHTS)[0]


def _through_services(s: Services, rng, n, handlers, seeds, enterprise_ids, today, progress) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime.combine(today, time(9)))
    ctx = ServiceContext(s.ctx.engine, clock, s.ctx.reference, s.ctx.data_dir)
    complaints, records = ComplaintService(ctx), RecordService(ctx)
    calendar = s.ctx.reference.calendar()
    now = s.ctx.clock.now()

    def at(day: date, hour: int = 10) -> None:
        clock.at = min(datetime.combine(day, time(hour, rng.randint(0, 59))), now)

    for i, received in enumerate(_received_times(rng, n, today)):
        office = _pick_offices(rng)
        user: CurrentUser = handlers[office]
        draft = _draft(rng, office, received, seeds, enterprise_ids)
        clock.at = received + timedelta(minutes=rng.randint(5, 40))
        cid = complaints.register(user, draft).ids[0]
        age = (today - received.date()).days
        _advance(complaints, records, calendar, user, cid, draft, received.date(), age, rng, at, today)
        if progress:
            progress(i + 1, n)
    # The ledger holds 举报 and 咨询 too, a few of each beside the complaints (a station takes
    # no 举报). Their own random stream: the complaints above stay as they always were.
    other = random.Random(n * 7919 + 17)
    for received in _received_times(other, max(2, n // 12), today):
        office = _pick_offices(other)
        user = handlers[office]
        draft = _draft(other, office, received, seeds, enterprise_ids)
        clock.at = received + timedelta(minutes=other.randint(5, 40))
        if office in ("WZCQ", "WZMD") and other.random() < 0.6:
            _report(complaints, user, _as_report(other, draft), received.date(), today, other, at)
        else:
            complaints.register(user, _question(other, draft))


def _advance(complaints: ComplaintService, records: RecordService, calendar, user, cid, draft,  # type: ignore[no-untyped-def]
             received: date, age: int, rng: random.Random, at, today: date) -> None:
    """Walk one complaint forward as a clerk would have, as far as its age allows."""
    def version() -> int:
        return complaints.get(user, cid).version

    # The youngest stay registered; a few old ones are forgotten to show overdue in red.
    if age <= 1 or (age < 30 and rng.random() < 0.15) or rng.random() < 0.01:
        return
    decide = calendar.add_working_days(received, rng.randint(1, 5)).day
    if decide > today:
        return
    at(decide)
    if rng.random() < 0.08:
        ground = rng.choice(["not_competent", "not_consumer", "material_missing", "handled_elsewhere"])
        complaints.reject(user, cid, ground=ground, note="已电话告知投诉人", expected_version=version())
        if age > 30:
            at(min(today, decide + timedelta(days=2)))
            complaints.close(user, cid, result=Result.REJECTED, expected_version=version())
        return
    if rng.random() < 0.04:
        complaints.transfer(user, cid, target="苏州市吴江区市场监督管理局",
                            note="被投诉方经营地在吴江区，不属本单位管辖", expected_version=version())
        if age > 30:
            at(min(today, decide + timedelta(days=1)))
            complaints.close(user, cid, result=Result.TRANSFERRED, expected_version=version())
        return
    complaints.accept(user, cid, expected_version=version())
    sc = corpus.Scenario(draft.subject, draft.category_code, draft.brand_model, draft.amount,  # type: ignore[arg-type]
                         draft.request, draft.facts,
                         next(k for k, v in REQUEST_CODES.items() if v == draft.request_type))
    first = decide + timedelta(days=rng.randint(0, 4))
    if first > today or (age < 60 and rng.random() < 0.1):
        return  # accepted, waiting for the first contact
    means = rng.choice(["phone", "phone", "on_site", "online", "video"])
    content, outcome = corpus.mediation_note(rng, sc)
    at(first, 14)
    records.add_mediation_record(user, cid, held_at=complaints.ctx.clock.now(), means=means,
                                 place="调解室" if means == "on_site" else "",
                                 participants=f"{draft.complainant_name}（投诉人）、{draft.respondent_name}代表、{user.display_name}（调解员）",
                                 content=content, result=outcome)
    if rng.random() < 0.05:
        complaints.pause_clock(user, cid, reason="商品送第三方检测机构检测", expected_version=version())
        if age < 40:
            return
        at(min(today, first + timedelta(days=rng.randint(7, 20))))
        complaints.resume_clock(user, cid, note="检测报告已出具", expected_version=version())
    end = first + timedelta(days=rng.randint(1, 25))
    if end > today or (age < 90 and rng.random() < 0.25):
        return  # still mediating
    at(end, 15)
    if outcome.startswith("调解成功"):
        complaints.settle(user, cid, terms=corpus.settlement_terms(rng, sc),
                          recovered=draft.amount if rng.random() < 0.7 else None,
                          expected_version=version())
        result = Result.SETTLED
    elif user.has(Role.DESK_STAFF) and rng.random() < 0.15:
        complaints.open_case(user, cid, note="调解中发现经营者涉嫌虚假宣传，移送执法机构核查",
                             expected_version=version())
        result = Result.TRANSFERRED
    else:
        ground = "withdrawn" if "撤回" in outcome else rng.choice(["no_agreement", "refused_attend"])
        complaints.terminate(user, cid, ground=ground, note="已书面告知双方", expected_version=version())
        result = Result.NOT_SETTLED if ground != "withdrawn" else Result.TERMINATED
    if age < 45 and rng.random() < 0.5:
        return  # outcome recorded, not yet closed
    at(min(today, end + timedelta(days=rng.randint(0, 3))), 16)
    complaints.close(user, cid, result=result, at_fault=rng.random() < 0.6,
                     expected_version=version())


# The columns of a generated row, in the order `_bulk` makes its value tuples.
_BULK_COLUMNS = (
    "uuid", "version", "updated_at", "number", "district_number", "channel_code", "received_at",
    "registered_by_id", "office_id", "handler_id", "complainant_name", "complainant_phone",
    "complainant_address", "complainant_id_number", "respondent_name", "respondent_credit_code",
    "respondent_address", "enterprise_id", "subject", "category_code", "brand_model",
    "purchase_date", "amount_cents", "request_type", "request", "facts", "rule_set_code",
    "status", "accepted_on", "due_on", "closed_on", "result", "at_fault",
)


_BORN_FROM = date(1950, 1, 1)
_BORN_DAYS = (date(2005, 12, 31) - _BORN_FROM).days + 1
# The first day of 1975 and of 1995 as day numbers from _BORN_FROM: the eras of given names.
_ERA_STARTS = ((date(1975, 1, 1) - _BORN_FROM).days, (date(1995, 1, 1) - _BORN_FROM).days)
_GIVEN_COUNTS = {key: len(names.split()) for key, names in corpus._GIVEN.items()}
_SURNAME_CUM = list(accumulate(corpus._SURNAME_W))


def _person_mobile(rng: random.Random) -> str:
    """`corpus.person(rng).mobile`, drawing exactly the same random numbers in the same order
    (the rest of the person is thrown away in a bulk row, so not made): `choice(seq)` is
    `seq[_randbelow(len(seq))]`, `randint(a, b)` is `a + _randbelow(b - a + 1)`, `choices`
    is one random() per pick."""
    below, random_ = rng._randbelow, rng.random  # type: ignore[attr-defined]
    gender = "mf"[below(2)]
    born = below(_BORN_DAYS)
    era = 0 if born < _ERA_STARTS[0] else 1 if born < _ERA_STARTS[1] else 2
    roads = corpus._DISTRICTS[below(len(corpus._DISTRICTS))][2]
    below(18), below(4)  # the room
    if random_() < 0.5:
        below(len(roads)), below(999), below(40)
    else:
        below(len(roads)), below(999), below(len(corpus._ESTATES)), below(40)
    if random_() < 0.3:  # an ID number
        below(100), below(5), below(len(corpus._ID_AREAS))
    if random_() < 0.03:  # the name: a compound surname, or one by weight; a given name
        below(len(corpus._COMPOUND))
    else:
        random_()
    below(_GIVEN_COUNTS[(gender, era)])
    prefixes = corpus._MOBILE_PREFIXES
    return prefixes[below(len(prefixes))] + "".join([_DIGITS[int(random_() * 10)] for _ in range(8)])


_DIGITS = "0123456789"


def _bulk(s: Services, rng, n, handlers, seeds, enterprise_ids, today, progress) -> None:  # type: ignore[no-untyped-def]
    """Final-state rows straight into the table, for benchmark sizes.

    The random stream is drawn exactly as it always was (the same rows for the same seed;
    since issue 21 each day's rows are inserted, and numbered, in the order of their received
    times, as an office registers them); what is cheaper is everything around it: the parts
    of a row that come from its text drawn once per text, the office drawn by bisecting the
    weights (the one random() `choices` makes), tuples instead of dicts, the rule set looked
    up once per day."""
    calendar = s.ctx.reference.calendar()
    rule_sets = s.ctx.reference.rule_sets()
    add_wd = lru_cache(maxsize=None)(calendar.add_working_days)
    texts = [_draft(rng, code, datetime.combine(today, time(9)), seeds, enterprise_ids)
             for code in HANDLER_OF for _ in range(60)]
    # What each text puts in a row: (district_number, channel) and (name .. rule-free fields).
    text_parts = [(
        (t.district_number, t.channel_code),
        (t.complainant_name,),
        (t.complainant_address, None, t.respondent_name, t.respondent_credit_code, t.respondent_address,
         t.enterprise_id, t.subject, t.category_code, t.brand_model, None,
         int(t.amount * 100) if t.amount is not None else None, t.request_type, t.request, t.facts),
    ) for t in texts]
    codes = list(HANDLER_OF)
    cum_weights = list(accumulate(_OFFICE_WEIGHTS))
    total_weight, last = cum_weights[-1], len(cum_weights) - 1
    who = {code: (handlers[code].office_code, handlers[code].id, handlers[code].office_id) for code in codes}
    rules_of = lru_cache(maxsize=None)(lambda day: rule_set_for(rule_sets, day))
    sequences: dict[tuple[str, date], int] = {}
    start = today - timedelta(days=730)
    days = [start + timedelta(days=d) for d in range(731)]
    below, random_ = rng._randbelow, rng.random

    def numbered(day: date, pending: list[tuple[datetime, str, list[Any]]]):  # type: ignore[no-untyped-def]
        """A day's rows in the order they were received, each office's numbers following
        that order, as an office registers them: the newest rows of the ledger then sit
        together in the table, not scattered over the day's pages (a page of the ledger reads
        a few table pages instead of one per row)."""
        pending.sort(key=itemgetter(0))  # stable: rows received in the same second keep their order
        for _, office, row in pending:
            key = (office, day)
            sequence = sequences[key] = sequences.get(key, 0) + 1
            row[3] = format_number(who[office][0], day, sequence)
            yield tuple(row)

    def rows():  # type: ignore[no-untyped-def]
        pending: list[tuple[datetime, str, list[Any]]] = []  # the current day's rows
        for i in range(n):
            # rng.choices(codes, weights) draws exactly this one random().
            office = codes[bisect(cum_weights, random_() * total_weight, 0, last)]
            _, user_id, office_id = who[office]
            dispatch, name, rest = text_parts[below(len(texts))]
            day = days[730 * i // n]
            if pending and pending[0][0].date() != day:
                yield from numbered(pending[0][0].date(), pending)
                pending = []
            # randint(8, 16), randint(0, 59), randint(0, 59): the same draws.
            received = datetime(day.year, day.month, day.day, 8 + below(9), below(60), below(60))
            rules = rules_of(day)
            pending.append((received, office, [
                new_uuid(), 1, received, None, *dispatch, received, user_id, office_id, user_id,
                *name, _person_mobile(rng), *rest, rules.code,
                *_bulk_state(rng, (today - day).days, day, today, add_wd, rules, calendar)]))
        if pending:
            yield from numbered(pending[0][0].date(), pending)

    s.complaints.load_generated(_BULK_COLUMNS, rows(), f"批量生成演示投诉 {n} 条",
                                progress=(lambda done: progress(done, n)) if progress else None)


def _bulk_state(rng, age, received, today, add_wd, rules, calendar) -> tuple:  # type: ignore[no-untyped-def]
    """(status, accepted_on, due_on, closed_on, result, at_fault) of a generated row. The
    draws are randint(1, 5), randint(3, 40), choice(results), random(), random() and perhaps
    choice(statuses), made as `_randbelow` calls, the same numbers (see `_person_mobile`)."""
    below = rng._randbelow
    accepted = add_wd(received, 1 + below(5)).day
    closed_on = min(today, accepted + timedelta(days=3 + below(38)))
    result = _CLOSED_RESULTS[below(len(_CLOSED_RESULTS))]
    at_fault = rng.random() < 0.6
    if age < 60 and rng.random() < 0.5:
        status = _OPEN_STATUSES[below(len(_OPEN_STATUSES))]
        accepted_on = None if status is Status.REGISTERED else accepted
        deadlines = compute_deadlines(calendar, rules, received_on=received, today=today,
                                      accepted_on=accepted_on)
        due = deadlines.current_due(status)
        return status.value, accepted_on, due.day if due else None, None, None, None
    return _CLOSED, accepted, None, closed_on, result, at_fault


_CLOSED = Status.CLOSED.value
_CLOSED_RESULTS = [Result.SETTLED.value] * 6 + [Result.NOT_SETTLED.value, Result.TERMINATED.value]
_OPEN_STATUSES = [Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.MEDIATING]
