"""设置 → 个人信息: the administrator sets the retention period, sees how many closed complaints
are due, anonymises them after confirming (off the UI thread), and reads the log of prints and
exports of unmasked personal data, by date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate

from desktop.domain.complaint import ComplaintFilter
from desktop.domain.retention import ANONYMISED_NAME
from desktop.domain.workflow import Result
from desktop.services.printing import FormRequest
from desktop.ui.views.settings import SettingsPage
from tests.conftest import NOW, World, draft
from tests.gui.conftest import Messages, wait_idle


def _closed(world: World, name: str) -> int:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft(complainant_name=name)).ids[0]
    version = lambda: s.complaints.get(clerk, cid).version  # noqa: E731
    s.complaints.accept(clerk, cid, expected_version=version())
    s.complaints.settle(clerk, cid, terms="退款", expected_version=version())
    s.complaints.close(clerk, cid, result=Result.SETTLED, expected_version=version())
    return cid


def _tab(make_ctx, world: World, qtbot):  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.tabs is not None and page.privacy is not None
    page.tabs.setCurrentWidget(page.privacy)
    return page.privacy, ctx, page


def test_the_retention_period_is_set_and_due_complaints_anonymised(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, shown: Messages) -> None:
    cid = _closed(world, "欧阳秀英")
    open_one = world.s.complaints.register(world.clerk, draft(complainant_name="李娜")).ids[0]
    tab, ctx, _page = _tab(make_ctx, world, qtbot)
    assert tab.years.text() == "不设置" and "未设置保留期限" in tab.status.text()
    assert not tab.anonymise_button.isEnabled()
    tab.years.setValue(3)
    tab.save_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.personal_data.retention(world.admin).years == 3
    assert "办结后 3 年" in tab.status.text() and "尚未匿名化的投诉：0 件" in tab.status.text()
    assert not tab.anonymise_button.isEnabled()
    # Three years and more later: the closed one is due.
    world.clock.at = datetime.combine(NOW.date() + timedelta(days=3 * 366), time(9))
    tab.load_state()
    wait_idle(qtbot, ctx)
    assert "尚未匿名化的投诉：1 件" in tab.status.text() and tab.anonymise_button.isEnabled()
    # Asked first; "no" changes nothing.
    shown.answer = False
    assert tab.anonymise() is None
    assert "不可撤销" in shown.texts("confirm")[-1]
    assert world.s.complaints.get(world.admin, cid).complainant_name == "欧阳秀英"
    shown.answer = True
    tab.anonymise_button.click()
    wait_idle(qtbot, ctx)
    assert tab.task is None and shown.texts("info")[-1].startswith("已将")
    assert world.s.complaints.get(world.admin, cid).complainant_name == ANONYMISED_NAME
    assert world.s.complaints.get(world.admin, open_one).complainant_name == "李娜"
    assert "尚未匿名化的投诉：0 件" in tab.status.text() and "已匿名化的投诉共 1 件" in tab.status.text()
    assert not tab.anonymise_button.isEnabled()
    assert world.s.complaints.count(world.admin, ComplaintFilter(text="欧阳秀英")) == 0
    # 0 turns it off again.
    tab.years.setValue(0)
    tab.save_button.click()
    wait_idle(qtbot, ctx)
    assert "未设置保留期限" in tab.status.text()


def test_the_outputs_log_lists_prints_and_exports_by_date(  # type: ignore[no-untyped-def]
        make_ctx, world: World, qtbot, tmp_path) -> None:
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    world.s.printing.record(world.clerk, rendered, "print")
    world.s.ledger_export.export(world.desk, ComplaintFilter(), tmp_path / "台账.xlsx")
    tab, ctx, _page = _tab(make_ctx, world, qtbot)
    today = date.today()  # the log keeps the real time of each output
    tab.start.setDate(QDate(today - timedelta(days=1)))
    tab.end.setDate(QDate(today + timedelta(days=1)))
    tab.query_button.click()
    wait_idle(qtbot, ctx)
    rows = [[tab.table.item(r, c).text() for c in range(tab.table.columnCount())]
            for r in range(tab.table.rowCount())]
    assert [(r[1], r[2], r[3], r[5], r[6], r[7]) for r in rows] == [
        ("desk", "导出 Excel", "投诉举报台账（Excel）", "1", "1", "台账.xlsx"),
        ("clerk", "打印", rendered.form.title, "1", "1", "")]
    assert tab.total.text() == "共 2 次输出，涉及 2 人次。"
    tab.start.setDate(QDate(today + timedelta(days=2)))
    tab.end.setDate(QDate(today + timedelta(days=3)))
    tab.query_button.click()
    wait_idle(qtbot, ctx)
    assert tab.table.rowCount() == 0 and tab.total.text() == "共 0 次输出，涉及 0 人次。"
