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
        requests["disclosure"] = FormRequest("disclosure", month=last_month)
        requests["disclosure-refusal"] = FormRequest(
            "disclosure-refusal", month=last_month, complaint_ids=tuple(r.id for r in rows[:3]),
            reasons={rows[0].id: "投诉内容与事实明显不符，经营者已提供证据"})
        requests["ledger"] = FormRequest("ledger", start=last_month, end=today)
        requests["quarterly-check"] = FormRequest("quarterly-check")
        for key, request in requests.items():
            rendered = s.printing.render(desk, request)
            pdf = Path(tmp) / f"{key}.pdf"
            pdf.write_bytes(rendered.pdf)
            subprocess.run(["pdftoppm", "-r", "90", "-png", "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(HERE / key)], check=True)
            print(f"{key}.png  {rendered.form.title}  {rendered.pages} 页")
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
