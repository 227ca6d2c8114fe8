"""Time to render each printed form, and a 300-row disclosure approval sheet.

    .venv/bin/python bench/bench_forms.py [--repeat 20]

Renders through PrintService on a demo database (built once in bench/out/forms-demo), so the
figures include reading the record and labels, not only ReportLab. "first" is the first
render in a fresh process (it loads the two fonts' character maps); "median"/"max" are the
following renders. Targets (issue 4): one-page form < 100 ms, 300-row sheet < 2 s.

The last rows (issue 14) render the 登记表 and the 调解书 straight from their papers: once
with every text field at the wire contract's maximum, and once with stored fields far over it
(1 MB of facts, 200,000 characters of request and terms), which the papers print up to the
limit with a note. Target: no form takes more than a few seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _db import unlock_demo  # noqa: E402  (bench/_db.py)

from desktop.bootstrap import open_services  # noqa: E402
from desktop.demo.generate import build_demo  # noqa: E402
from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.domain.contract import text_limit  # noqa: E402
from desktop.forms import complaint_forms, disclosure_forms  # noqa: E402
from desktop.forms.data import ComplaintPaper, DisclosureLine, Letterhead  # noqa: E402
from desktop.services.printing import FormRequest  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    pages = fn()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), max(times), pages


SENTENCE = "消费者反映购买的冰箱制冷效果差，经两次上门维修仍未解决，商家以已过七日为由拒绝退货。"


def filled(limit: int) -> str:
    """Realistic text (Chinese with punctuation) of exactly `limit` characters."""
    return (SENTENCE * (limit // len(SENTENCE) + 1))[:limit]


def longest_paper(oversized: int | None) -> ComplaintPaper:
    """A settled complaint's paper with every text field at the contract's maximum, or (with
    `oversized`) the long texts as a stored record over the limit might hold them."""
    def text(name: str) -> str:
        limit = text_limit("complaints", name) or 200
        return filled(oversized if oversized and limit >= 1000 else limit)

    return ComplaintPaper(
        number="WZCQ01-20261120-0001", code="HEJIE:WZCQ01-20261120-0001:C0FD0FAF",
        received_at=datetime(2026, 11, 20, 9), channel="来访", district_number=text("district_number"),
        office="万达广场投诉站", registered_by="王芳", handler="王芳",
        complainant_name=text("complainant_name"), complainant_phone="13812345678",
        complainant_address=text("complainant_address"), complainant_id_number="11010519491231002X",
        respondent_name=text("respondent_name"), respondent_credit_code="914403001922038216",
        respondent_address=text("respondent_address"), subject=text("subject"), category="家用电器",
        brand_model=text("brand_model"), purchase_date=date(2026, 10, 1), amount=None,
        request_type="退货", request=text("request"), facts=text("facts"), status="调解成功",
        rule_set_name="市场监督管理部门处理投诉举报办法", mediation_limit="45 个工作日",
        settled_on=date(2026, 11, 20), settlement_terms=text("settlement_terms"),
        status_note=text("status_note"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "out" / "forms-demo")
    args = parser.parse_args()

    fresh = not (args.data_dir / "hejie.db").exists()
    unlock_demo(args.data_dir)  # an encrypted demo: its key opened with the demo password
    s = open_services(args.data_dir)
    if fresh:
        print("building the demo database (300 complaints)…", file=sys.stderr)
        build_demo(s)
    admin = s.users.login("admin", "demo1234")

    # One complaint for each complaint form, the first in the ledger that has it.
    wanted: dict[str, FormRequest] = {}
    for row in s.complaints.page(admin, ComplaintFilter(), None, 300).rows:
        for choice in s.printing.choices(admin, row.id):
            wanted.setdefault(choice.form.key, FormRequest(
                choice.form.key, complaint_id=row.id, session_id=choice.session_id))
    today = s.ctx.clock.today()
    # The approval sheet prints the month's list from the disclosure workflow: the section
    # (钱晓宝, district 消保科) builds it if the demo has none yet.
    section = s.users.login("xiaobao", "demo1234")
    month = today.replace(day=1)
    if s.disclosure.overview(section, month).list is None:
        s.disclosure.build(section, month)
    wanted["disclosure"] = FormRequest("disclosure", month=month)
    wanted["ledger"] = FormRequest("ledger", start=today.replace(day=1), end=today)
    wanted["quarterly-check"] = FormRequest("quarterly-check")

    print(f"{'form':26} {'pages':>5} {'first ms':>9} {'median ms':>10} {'max ms':>8}")
    for key, request in wanted.items():
        first, median, worst, pages = timed(
            lambda request=request: s.printing.render(
                section if request.form == "disclosure" else admin, request).pages, args.repeat)
        print(f"{key:26} {pages:5d} {first * 1000:9.0f} {median * 1000:10.1f} {worst * 1000:8.1f}")

    letterhead = Letterhead("吴中区市场监督管理局长桥分局", "吴中区市场监督管理局", "长桥分局投诉专用章")
    lines = [DisclosureLine(f"WZCQ-20261001-{i:04d}", datetime(2026, 10, 1, 9), f"苏州第{i}商贸有限公司",
                            "商品质量问题：消费者购买的电冰箱制冷效果差，经两次维修仍未解决，要求退货退款。",
                            i % 3 != 0) for i in range(1, 301)]
    first, median, worst, pages = timed(
        lambda: disclosure_forms.disclosure_approval(lines, date(2026, 10, 1), letterhead,
                                               datetime(2026, 11, 20)).pages, max(3, args.repeat // 4))
    print(f"{'disclosure, 300 rows':26} {pages:5d} {first * 1000:9.0f} {median * 1000:10.1f} {worst * 1000:8.1f}")

    printed = datetime(2026, 11, 20, 10)
    for case, size in (("at maximum", None), ("oversized", 1_000_000)):
        paper = longest_paper(size)
        for key, form in (("registration", complaint_forms.registration),
                          ("agreement", complaint_forms.agreement)):
            first, median, worst, pages = timed(
                lambda form=form, paper=paper: form(paper, letterhead, printed).pages,
                max(3, args.repeat // 4))
            label = f"{key}, {case}"
            print(f"{label:26} {pages:5d} {first * 1000:9.0f} {median * 1000:10.1f} {worst * 1000:8.1f}")
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
