"""The 公示 page driven through its widgets: the section builds, edits and submits the month's
list; a handling office objects; the department head approves; the deputy director refuses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain.disclosure import ListStatus
from desktop.domain.workflow import Result
from desktop.ui.views.disclosure import DisclosurePage
from tests.conftest import World
from tests.gui.conftest import type_text, wait_idle
from tests.integration.test_disclosure import NOVEMBER, closed


def _page(qtbot, ctx) -> DisclosurePage:  # type: ignore[no-untyped-def]
    page = DisclosurePage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 760)
    page.show()
    wait_idle(qtbot, ctx)
    page.select_month(11)
    wait_idle(qtbot, ctx)
    return page


def _ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _select(page: DisclosurePage, number: str) -> None:
    for row in range(page.entries.rowCount()):
        if page.entries.item(row, 1).text() == number:
            page.entries.selectRow(row)
            return
    raise AssertionError(f"{number} is not listed")


def test_section_builds_and_submits_then_the_department_head_approves(
        world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    car = closed(world, facts="本人张伟，电话13812345678，新车发动机故障。")
    closed(world, result=Result.NOT_SETTLED, subject="健身预付卡", respondent_credit_code=None,
           respondent_name="苏州力美健身有限公司", facts="健身房闭店，余额 3000 元无法退还。")
    number = world.s.complaints.get(world.clerk, car).number

    ctx = make_ctx(world.cp)
    page = _page(qtbot, ctx)
    assert "尚未生成清单" in page.title.text()
    assert page.btn_build.isVisible() and not page.btn_submit.isVisible()
    qtbot.mouseClick(page.btn_build, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert page.entries.rowCount() == 2 and "草稿" in page.title.text()
    assert page.month_buttons[10].text().startswith("11月 · 草稿")
    contents = [page.entries.item(r, 5).text() for r in range(2)]
    assert not any("张伟" in c or "13812345678" in c for c in contents)
    assert page.enterprises.rowCount() == 2

    # Edit one row's text: a phone number typed by mistake is hidden, and the user is told.
    _select(page, number)
    dialog = page.edit_content()
    dialog.text_box.clear()
    type_text(qtbot, dialog.text_box, "家用轿车：发动机故障，两次维修未解决，经办人 13912345678")
    _ok(qtbot, dialog)
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible() and "已自动隐去" in shown.texts("info")[-1]
    row = next(r for r in range(2) if page.entries.item(r, 1).text() == number)
    assert "两次维修未解决" in page.entries.item(row, 5).text()
    assert "13912345678" not in page.entries.item(row, 5).text()
    assert "已修改" in page.entries.item(row, 7).text()

    qtbot.mouseClick(page.btn_submit, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert "共 2 件" in shown.texts("confirm")[-1]
    assert "待部门负责人审批" in page.title.text()
    assert not page.btn_edit.isVisible() and not page.btn_build.isVisible()
    assert page.btn_withdraw.isVisible() and not page.btn_approve.isVisible()

    # The department head sees the same month waiting for them.
    boss_ctx = make_ctx(world.dept_head)
    boss = _page(qtbot, boss_ctx)
    assert boss.btn_approve.isVisible() and boss.btn_refuse.isVisible()
    assert not boss.btn_build.isVisible() and not boss.btn_submit.isVisible()
    approval = boss.approve()
    type_text(qtbot, approval.text_box, "同意公示")
    _ok(qtbot, approval)
    wait_idle(qtbot, boss_ctx)
    assert not approval.isVisible()
    assert "待分管局长审批" in boss.title.text() and not boss.btn_approve.isVisible()
    assert "dept" in boss.steps.text() and "✔ 部门负责人" in boss.steps.text()
    assert world.s.disclosure.overview(world.cp, NOVEMBER).list.status is ListStatus.DEPT_APPROVED

    # The deputy director sends it back; a reason is required and typed into the same dialog.
    deputy_ctx = make_ctx(world.deputy)
    deputy = _page(qtbot, deputy_ctx)
    back = deputy.refuse()
    _ok(qtbot, back)
    assert back.isVisible() and "退回理由" in back.error.text()
    type_text(qtbot, back.text_box, "内容过长，请精简")
    _ok(qtbot, back)
    wait_idle(qtbot, deputy_ctx)
    assert not back.isVisible() and "草稿（第 2 轮）" in deputy.title.text()
    # The section's page follows the change, with the reason in view.
    wait_idle(qtbot, ctx)
    page.reload()
    wait_idle(qtbot, ctx)
    assert "内容过长，请精简" in page.notice.text() and page.btn_submit.isVisible()


def test_a_station_objects_to_its_own_complaint(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    mine = closed(world)
    closed(world, user=world.other_clerk, subject="布艺沙发")
    world.s.disclosure.build(world.cp, NOVEMBER)
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    # A station sees the district's list, only its own rows, and cannot build or approve.
    assert page.entries.rowCount() == 1
    assert not page.btn_build.isVisible() and not page.btn_approve.isVisible()
    page.entries.selectRow(0)
    assert page.btn_object.isVisible() and page.btn_object.isEnabled()
    dialog = page.object()
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "不予公示理由" in dialog.error.text()
    type_text(qtbot, dialog.text_box, "投诉内容与事实明显不符")
    _ok(qtbot, dialog)
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    assert "申请审批中" in page.entries.item(0, 7).text()
    assert page.requests.rowCount() == 1 and page.requests.item(0, 5).text() == "待部门负责人审批"
    # A second objection to the same row is refused inside the dialog, nothing lost.
    page.entries.selectRow(0)
    assert not page.btn_object.isEnabled()
    assert world.s.disclosure.overview(world.cp, NOVEMBER).requests[0].reason == "投诉内容与事实明显不符"
    assert mine


def test_the_content_column_is_not_squeezed_by_long_names(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Long respondent and office names give way before 投诉内容 (it was left a few characters
    wide, each row a screen tall)."""
    from PySide6.QtWidgets import QTableWidgetItem

    from desktop.ui.views.disclosure import ENTRY_COLUMNS, _table

    table = _table(ENTRY_COLUMNS, 5, giving=(3, 4))
    qtbot.addWidget(table)
    table.setRowCount(1)
    texts = ("1", "WZCQ02-20261023-0001", "2026-10-23", "相城区金辰凯迪拉克汽车销售服务有限公司",
             "苏州东吴汽车销售服务有限公司投诉监督站", "新车上牌服务费：" + "本人订购新车一辆，" * 12, "成功", "公示")
    for column, text in enumerate(texts):
        table.setItem(0, column, QTableWidgetItem(text))
    table.resize(900, 400)
    table.show()
    qtbot.waitUntil(lambda: table.columnWidth(5) >= 2 * max(table.columnWidth(3), table.columnWidth(4)))
