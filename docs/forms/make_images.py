"""Render every form from the demo database and keep page 1 of each as a PNG for the guides.

    .venv/bin/python docs/forms/make_images.py   (needs pdftoppm from poppler-utils)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.bootstrap import open_services  # noqa: E402
from desktop.demo.generate import build_demo  # noqa: E402
from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.services.printing import FormRequest  # noqa: E402

HERE = Path(__file__).parent


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        s = open_services(Path(tmp) / "demo")
        build_demo(s)
        desk = s.users.login("wangfang", "demo1234")  # sub-bureau desk staff: sees full details
        requests: dict[str, FormRequest] = {}
        rows = s.complaints.page(desk, ComplaintFilter(), None, 300).rows
        for row in rows:
            for choice in s.printing.choices(desk, row.id):
                requests.setdefault(choice.form.key, FormRequest(
                    choice.form.key, complaint_id=row.id, session_id=choice.session_id))
        today = s.ctx.clock.today()
        last_month = (today.replace(day=1) - date.resolution).replace(day=1)
        # The disclosure sheets as the section prints them: a published month with its
        # approvals, last month's objection, and the reply to a correction of a published row.
        section = s.users.login("xiaobao", "demo1234")
        published = (last_month - date.resolution).replace(day=1)
        entry = s.disclosure.overview(section, published).entries[0]
        s.disclosure.correct(section, entry.id, "经营者提供了退款凭证，原公示内容未反映处理结果",
                             entry.content[:60] + "经调解，经营者已全额退款。",
                             requester="苏州某某商贸有限公司", requester_address="吴中区宝带西路 8 号")
        request_id = s.disclosure.overview(section, published).requests[-1].id
        s.disclosure.decide(s.users.login("bumen", "demo1234"), request_id, approve=True)
        s.disclosure.decide(s.users.login("juzhang", "demo1234"), request_id, approve=True)
        sheets = {"disclosure": FormRequest("disclosure", month=published),
                  "disclosure-refusal": FormRequest("disclosure-refusal", month=last_month),
                  "correction-reply": FormRequest("correction-reply", request_id=request_id)}
        requests["ledger"] = FormRequest("ledger", start=last_month, end=today)
        requests["quarterly-check"] = FormRequest("quarterly-check")
        for key, request in [*requests.items(), *sheets.items()]:
            rendered = s.printing.render(section if key in sheets else desk, request)
            pdf = Path(tmp) / f"{key}.pdf"
            pdf.write_bytes(rendered.pdf)
            subprocess.run(["pdftoppm", "-r", "90", "-png", "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(HERE / key)], check=True)
            print(f"{key}.png  {rendered.form.title}  {rendered.pages} 页")
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
