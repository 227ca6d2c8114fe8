"""The 设置 page driven through its real widgets; effects checked through the services."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from desktop.domain.calendar import YearSource
from desktop.domain.errors import AuthenticationError
from desktop.domain.workflow import Role
from desktop.ui.context import AppContext
from desktop.ui.views.settings import SettingsPage
from desktop.ui.views.settings.common import FormDialog, select_key
from tests.conftest import PASSWORD, World, draft
from tests.gui.conftest import Messages, type_text, wait_idle


@pytest.fixture
def admin_page(make_ctx, world: World, qtbot) -> tuple[SettingsPage, AppContext]:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    return page, ctx


def _save(qtbot, ctx: AppContext, dialog: FormDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)


def _saved(qtbot, ctx: AppContext, dialog: FormDialog) -> None:  # type: ignore[no-untyped-def]
    _save(qtbot, ctx, dialog)
    assert dialog.error_text() == ""
    assert not dialog.isVisible()


EXACT_ANYWHERE = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive


def _user_id(world: World, username: str) -> int:
    return next(u.id for u in world.s.users.list(world.admin) if u.username == username)


# -- who sees the page -----------------------------------------------------------------------
@pytest.mark.parametrize("who", ["desk", "dept_head", "clerk"])
def test_a_non_administrator_sees_an_explanation_not_the_tabs(make_ctx, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                              who: str) -> None:
    ctx = make_ctx(getattr(world, who))
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert page.tabs is None and page.findChildren(QTabWidget) == []
    assert "系统管理员" in page.refusal.text()
    assert ctx.ops.busy == 0  # nothing was even read


def test_an_administrator_sees_seven_tabs(admin_page) -> None:  # type: ignore[no-untyped-def]
    page, _ = admin_page
    assert page.tabs is not None
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "用户与角色", "单位", "代码表", "工作日", "办理时限", "回访", "同步", "备份", "个人信息"]


# -- users -----------------------------------------------------------------------------------
def test_users_are_listed_with_chinese_roles_and_offices(admin_page, world: World) -> None:  # type: ignore[no-untyped-def]
    table = admin_page[0].users.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(6)]
            for r in range(table.rowCount())}
    assert set(rows) == {"admin", "desk", "clerk", "head", "other", "dept", "section", "deputy"}
    assert rows["clerk"][2:5] == ["万达广场投诉站", "投诉站登记员", "启用"]
    assert rows["admin"][3] == "系统管理员"


def test_adding_a_user_who_then_logs_in(admin_page, world: World, qtbot, shown: Messages) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    dialog = page.users.open_add_user()
    assert dialog.isVisible()
    type_text(qtbot, dialog.username, "wangfang")
    type_text(qtbot, dialog.display_name, "王芳")
    dialog.office.setCurrentIndex(dialog.office.findData(world.office_ids["WZMD01"]))
    dialog.roles.boxes[Role.CLERK].click()
    dialog.roles.boxes[Role.STATION_HEAD].click()
    type_text(qtbot, dialog.password, "Wangfang2026")
    type_text(qtbot, dialog.password_again, "Wangfang2026")
    _saved(qtbot, ctx, dialog)

    user = world.s.users.login("wangfang", "Wangfang2026")
    assert user.display_name == "王芳" and user.office_code == "WZMD01"
    assert user.roles == {Role.CLERK, Role.STATION_HEAD}
    table = page.users.table
    assert "wangfang" in [table.item(r, 0).text() for r in range(table.rowCount())]
    assert page.users.status.text() == "已新增用户。"
    assert shown.shown == []


@pytest.mark.parametrize(
    ("username", "password", "again", "field", "message"),
    [
        ("clerk", "Abcdefg123", "Abcdefg123", "用户名", "「clerk」已被使用"),
        ("zhaolei", "short1", "short1", "密码", "至少 8 位"),
        ("zhaolei", "Abcdefg123", "Abcdefg124", "确认密码", "两次输入的密码不一致"),
        ("1zhao", "Abcdefg123", "Abcdefg123", "用户名", "以字母开头"),
    ],
)
def test_a_refused_new_user_keeps_the_dialog_open_with_the_typed_text(  # type: ignore[no-untyped-def]
        admin_page, world: World, qtbot, shown: Messages, username: str, password: str,
        again: str, field: str, message: str) -> None:
    page, ctx = admin_page
    count = len(world.s.users.list(world.admin))
    dialog = page.users.open_add_user()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.display_name, "赵磊")
    dialog.roles.boxes[Role.CLERK].click()
    type_text(qtbot, dialog.password, password)
    type_text(qtbot, dialog.password_again, again)
    _save(qtbot, ctx, dialog)

    assert dialog.isVisible()
    assert message in dialog.error_text(field)
    assert dialog.username.text() == username and dialog.display_name.text() == "赵磊"
    assert dialog.ok_button.isEnabled()
    assert shown.shown == []  # told in the dialog, not in a message box
    assert len(world.s.users.list(world.admin)) == count

    # Corrected in place, the same dialog saves.
    dialog.username.setText("zhaolei")
    dialog.password.setText("Abcdefg123")
    dialog.password_again.setText("Abcdefg123")
    _saved(qtbot, ctx, dialog)
    assert world.s.users.login("zhaolei", "Abcdefg123").roles == {Role.CLERK}


def test_changing_roles(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    assert select_key(page.users.table, _user_id(world, "clerk"))
    dialog = page.users.open_roles()
    assert dialog is not None and dialog.roles.roles() == {Role.CLERK}
    dialog.roles.boxes[Role.STATION_HEAD].click()
    _saved(qtbot, ctx, dialog)
    assert world.s.users.login("clerk", PASSWORD).roles == {Role.CLERK, Role.STATION_HEAD}
    assert "站长" in page.users.table.item(page.users.table.currentRow(), 3).text()

    # No roles at all is refused next to the roles.
    dialog = page.users.open_roles()
    for box in dialog.roles.boxes.values():
        box.setChecked(False)
    _save(qtbot, ctx, dialog)
    assert dialog.isVisible() and "至少选择一个角色" in dialog.error_text("角色")


def test_disabling_and_enabling_a_user(admin_page, world: World, qtbot, shown: Messages) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    tab = page.users
    select_key(tab.table, _user_id(world, "desk"))
    assert tab.active_button.text() == "停用"
    shown.answer = False
    tab.active_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.users.login("desk", PASSWORD)  # the administrator said no

    shown.answer = True
    tab.active_button.click()
    wait_idle(qtbot, ctx)
    assert "停用" in shown.texts("confirm")[-1]
    with pytest.raises(AuthenticationError, match="停用"):
        world.s.users.login("desk", PASSWORD)
    assert tab.table.item(tab.table.currentRow(), 4).text() == "已停用"
    assert tab.active_button.text() == "启用"

    tab.active_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.users.login("desk", PASSWORD).username == "desk"


def test_the_administrator_cannot_disable_themselves(admin_page, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                     shown: Messages) -> None:
    page, ctx = admin_page
    select_key(page.users.table, world.admin.id)
    page.users.active_button.click()
    wait_idle(qtbot, ctx)
    assert any("不能停用当前登录的管理员自己" in t for t in shown.texts("warn"))


def test_resetting_a_password(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    select_key(page.users.table, _user_id(world, "clerk"))
    dialog = page.users.open_reset_password()
    assert dialog is not None
    type_text(qtbot, dialog.password, "weak")
    type_text(qtbot, dialog.password_again, "weak")
    _save(qtbot, ctx, dialog)
    assert dialog.isVisible() and "至少 8 位" in dialog.error_text("密码")
    dialog.password.setText("NewPass2027")
    dialog.password_again.setText("NewPass2027")
    _saved(qtbot, ctx, dialog)
    assert world.s.users.login("clerk", "NewPass2027").username == "clerk"
    with pytest.raises(AuthenticationError):
        world.s.users.login("clerk", PASSWORD)


# -- offices ---------------------------------------------------------------------------------
def test_the_office_tree(admin_page) -> None:  # type: ignore[no-untyped-def]
    tree = admin_page[0].offices.tree
    assert tree.topLevelItemCount() == 1
    district = tree.topLevelItem(0)
    assert (district.text(0), district.text(1), district.text(2)) == ("吴中区市场监督管理局", "WZ", "区局")
    assert sorted(district.child(i).text(1) for i in range(district.childCount())) == ["WZCQ", "WZMD"]
    station = next(district.child(i) for i in range(2) if district.child(i).text(1) == "WZCQ").child(0)
    assert (station.text(1), station.text(2), station.text(3)) == ("WZCQ01", "企业投诉监督站", "大中型商贸企业")


def test_adding_a_station_under_the_selected_sub_bureau(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    page.offices.select_office(world.office_ids["WZCQ"])
    dialog = page.offices.open_add_office()
    assert dialog.parent_office.currentData() == world.office_ids["WZCQ"]
    assert dialog.kind.currentData() == "station" and dialog.tier.isEnabled()
    type_text(qtbot, dialog.code, "WZCQ02")
    type_text(qtbot, dialog.name, "石湖天地投诉站")
    dialog.tier.setCurrentIndex(dialog.tier.findData("hotspot"))
    type_text(qtbot, dialog.phone, "0512-66001234")
    _saved(qtbot, ctx, dialog)

    office = next(o for o in world.s.offices.all() if o.code == "WZCQ02")
    assert (office.parent_id, office.kind, office.tier) == (world.office_ids["WZCQ"], "station", "hotspot")
    assert office.seal_text == "石湖天地投诉站"
    codes = [item.text(1) for item in page.offices.tree.findItems("WZCQ02", EXACT_ANYWHERE, 1)]
    assert codes == ["WZCQ02"]


def test_editing_an_office_keeps_its_code(admin_page, world: World, qtbot, shown: Messages) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    dialog = page.offices.open_edit_office(world.office_ids["WZCQ01"])
    assert dialog is not None
    assert dialog.code.isReadOnly() and not dialog.kind.isEnabled()
    type_text(qtbot, dialog.phone, "12315")
    _save(qtbot, ctx, dialog)
    assert dialog.isVisible() and "固定电话" in dialog.error_text("电话")
    assert shown.shown == []

    dialog.phone.clear()
    type_text(qtbot, dialog.phone, "0512-68881234")
    dialog.seal_text.clear()
    type_text(qtbot, dialog.seal_text, "苏州市吴中区万达广场消费者投诉监督站")
    type_text(qtbot, dialog.address, "宝带西路 1 号")
    _saved(qtbot, ctx, dialog)
    office = next(o for o in world.s.offices.all() if o.id == world.office_ids["WZCQ01"])
    assert (office.code, office.phone, office.seal_text, office.address) == (
        "WZCQ01", "0512-68881234", "苏州市吴中区万达广场消费者投诉监督站", "宝带西路 1 号")
    item = page.offices.tree.findItems("WZCQ01", EXACT_ANYWHERE, 1)[0]
    assert item.text(6) == "苏州市吴中区万达广场消费者投诉监督站"


# -- code tables -----------------------------------------------------------------------------
def test_adding_relabelling_and_deactivating_a_code(admin_page, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                    shown: Messages) -> None:
    page, ctx = admin_page
    tab = page.codes
    tab.set_kind("channel")
    wait_idle(qtbot, ctx)
    dialog = tab.open_add_code()
    type_text(qtbot, dialog.code, "walkin")  # already there: refused before any write
    type_text(qtbot, dialog.label, "直播平台")
    _save(qtbot, ctx, dialog)
    assert "已存在" in dialog.error_text("代码") and dialog.isVisible()
    dialog.code.setText("livestream")
    _saved(qtbot, ctx, dialog)
    assert ("livestream", "直播平台", True) in [
        (c.code, c.label, c.active) for c in world.s.reference.codes("channel", include_inactive=True)]

    assert select_key(tab.table, "livestream")
    dialog = tab.open_edit_code()
    assert dialog is not None and dialog.code.isReadOnly()
    dialog.label.clear()
    type_text(qtbot, dialog.label, "网络直播平台")
    _saved(qtbot, ctx, dialog)
    assert world.s.reference.labels("channel")["livestream"] == "网络直播平台"

    assert tab.active_button.text() == "停用"
    tab.active_button.click()
    wait_idle(qtbot, ctx)
    assert "livestream" not in {c.code for c in world.s.reference.codes("channel")}
    assert tab.table.item(tab.table.currentRow(), 2).text() == "已停用"
    assert shown.texts("confirm")


def test_code_tables_switch_by_kind(admin_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    page.codes.set_kind("id_type")
    wait_idle(qtbot, ctx)
    codes = [page.codes.table.item(r, 0).text() for r in range(page.codes.table.rowCount())]
    assert "passport" in codes and "walkin" not in codes


# -- working days ----------------------------------------------------------------------------
def test_an_override_moves_due_dates_and_can_be_removed(admin_page, world: World, qtbot,  # type: ignore[no-untyped-def]
                                                        shown: Messages) -> None:
    page, ctx = admin_page
    tab = page.calendar
    tab.year.setValue(2027)
    wait_idle(qtbot, ctx)
    assert "推测" in tab.source.text()
    assert tab.confirm_button.isEnabled() and not tab.unconfirm_button.isEnabled()
    before = world.s.reference.due_date(date(2026, 12, 31), 1).day

    dialog = tab.open_add_override(before)
    dialog.working.setCurrentIndex(dialog.working.findData(False))
    type_text(qtbot, dialog.note, "临时放假")
    _saved(qtbot, ctx, dialog)
    assert world.s.reference.due_date(date(2026, 12, 31), 1).day > before
    assert select_key(tab.table, before)
    row = tab.table.currentRow()
    assert tab.table.item(row, 2).text() == "放假" and "管理员设定" in tab.table.item(row, 3).text()
    assert "重新计算" in tab.status.text()

    assert tab.remove_button.isEnabled()
    tab.remove_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.reference.due_date(date(2026, 12, 31), 1).day == before
    assert not select_key(tab.table, before)


def test_confirming_a_year_and_taking_it_back(admin_page, world: World, qtbot,  # type: ignore[no-untyped-def]
                                              shown: Messages) -> None:
    page, ctx = admin_page
    tab = page.calendar
    tab.year.setValue(2027)
    wait_idle(qtbot, ctx)
    tab.confirm_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.reference.year_exceptions(2027)[0] is YearSource.CONFIRMED
    assert "管理员录入" in tab.source.text() and tab.unconfirm_button.isEnabled()
    assert not world.s.reference.due_date(date(2026, 12, 31), 1).is_guess

    tab.unconfirm_button.click()
    wait_idle(qtbot, ctx)
    assert world.s.reference.year_exceptions(2027)[0] is YearSource.GUESSED
    assert len(shown.texts("confirm")) == 2


def test_an_official_year_needs_no_confirmation(admin_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    page.calendar.year.setValue(2026)
    wait_idle(qtbot, ctx)
    assert "国务院公布" in page.calendar.source.text()
    assert not page.calendar.confirm_button.isEnabled()
    names = [page.calendar.table.item(r, 3).text() for r in range(page.calendar.table.rowCount())]
    assert "春节" in names and "调休上班" in names


# -- time limits -----------------------------------------------------------------------------
def test_editing_the_mediation_limit_recomputes_open_complaints(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    before = s.complaints.get(clerk, cid)
    assert before.deadlines.rule_set.code == "samr-2026" and before.due_on is not None

    tab = page.rules
    assert select_key(tab.table, "samr-2026")
    row = tab.table.currentRow()
    assert tab.table.item(row, 4).text() == "60 日（自然日）"
    assert tab.table.item(row, 5).text() == "顺延"
    dialog = tab.open_edit_rules()
    assert dialog is not None and dialog.code.isReadOnly()
    assert dialog.mediation_days.value() == 60 and dialog.mediation_unit.currentData() == "calendar"
    assert dialog.period_end.currentData() == "next_working_day"
    dialog.mediation_days.clear()
    type_text(qtbot, dialog.mediation_days, "30")
    dialog.mediation_unit.setCurrentIndex(dialog.mediation_unit.findData("working"))
    dialog.tentative.setChecked(True)
    _saved(qtbot, ctx, dialog)

    after = s.complaints.get(clerk, cid)
    assert after.deadlines.rule_set.mediation_days == 30 and after.deadlines.rule_set.tentative
    assert after.due_on is not None and after.due_on < before.due_on
    assert after.due_on == s.reference.due_date(after.accepted_on, 30).day
    row = tab.table.currentRow()
    assert tab.table.item(row, 4).text() == "30 个工作日" and tab.table.item(row, 10).text() == "是"
    assert "重新计算" in tab.status.text()


def test_how_a_period_ending_on_a_holiday_ends_is_set_on_the_rule_set(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    s, clerk = world.s, world.clerk
    # Accepted Mon 3 Aug 2026: the 60th day is Fri 2 Oct, in the National Day holiday.
    world.clock.at = datetime(2026, 8, 3, 10, 0)
    cid = s.complaints.register(clerk, draft(received_at=datetime(2026, 8, 1, 9, 0))).ids[0]
    s.complaints.accept(clerk, cid, expected_version=1)
    world.clock.at = datetime(2026, 9, 1, 10, 0)
    assert s.complaints.get(clerk, cid).due_on == date(2026, 10, 8)

    tab = page.rules
    assert select_key(tab.table, "samr-2026")
    dialog = tab.open_edit_rules()
    assert dialog is not None
    dialog.period_end.setCurrentIndex(dialog.period_end.findData("as_counted"))
    _saved(qtbot, ctx, dialog)
    assert s.complaints.get(clerk, cid).due_on == date(2026, 10, 2)
    assert tab.table.item(tab.table.currentRow(), 5).text() == "不顺延"
    rules = next(r for r in s.reference.rule_sets() if r.code == "samr-2026")
    assert rules.period_end == "as_counted" and rules.mediation_days == 60


def test_a_new_rule_set_may_not_reuse_a_code(admin_page, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    page, ctx = admin_page
    dialog = page.rules.open_add_rules()
    type_text(qtbot, dialog.code, "samr-2020")
    type_text(qtbot, dialog.name, "重复")
    _save(qtbot, ctx, dialog)
    assert dialog.isVisible() and "已存在" in dialog.error_text("代码")
    assert {r.name for r in world.s.reference.rule_sets()} >= {"《市场监督管理投诉举报处理暂行办法》（2020）"}

    dialog.code.setText("js-2027")
    dialog.effective_from.setDate(dialog.effective_from.date().fromString("2027-01-01", "yyyy-MM-dd"))
    dialog.odr_days.setValue(0)  # 不适用
    _saved(qtbot, ctx, dialog)
    added = next(r for r in world.s.reference.rule_sets() if r.code == "js-2027")
    assert added.effective_from == date(2027, 1, 1) and added.odr_days is None
    assert added.accept_days == 7 and added.mediation_days == 45
