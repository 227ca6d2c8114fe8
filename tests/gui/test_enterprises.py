"""The 企业库 page and the enterprise dialog, driven through real widgets over a real database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain.workflow import Result
from desktop.services.dto import CurrentUser
from desktop.ui.dialogs.enterprise_dialog import EnterpriseDialog
from desktop.ui.views.enterprises import EnterprisesPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle

CODE = "914403001922038216"  # a valid code (the one draft() uses)
NEW_CODE = "91320000134762345X"


def _enterprises(world: World) -> dict[str, int]:
    out = {}
    for name, code, industry in (
        ("苏州东吴汽车销售服务有限公司", CODE, "汽车销售"),
        ("吴中家居城有限公司", None, "家居"),
        ("长桥美容美发店", None, "美容美发"),
    ):
        out[name] = world.s.enterprises.save(world.clerk, name=name, credit_code=code,
                                             industry=industry, phone="0512-65551234").ids[0]
    return out


def _page(qtbot, ctx) -> EnterprisesPage:  # type: ignore[no-untyped-def]
    page = EnterprisesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    wait_idle(qtbot, ctx)
    return page


def _names(page: EnterprisesPage) -> list[str]:
    return [page.model.row_at(i).name for i in range(page.model.rowCount())]


def _version(world: World, user: CurrentUser, cid: int) -> int:
    return world.s.complaints.get(user, cid).version


def _save(dialog: EnterpriseDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_typing_in_the_search_box_narrows_the_table(world, make_ctx, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _enterprises(world)
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    assert sorted(_names(page)) == _names(page) and len(_names(page)) == 3
    qtmodeltester.check(page.model, force_py=True)
    assert page.model.index(0, 4).data() in ("", "是")

    type_text(qtbot, page.search, "家居")
    qtbot.waitUntil(lambda: _names(page) == ["吴中家居城有限公司"])
    page.search.clear()
    qtbot.keyClicks(page.search, "91440300")  # by credit-code prefix
    qtbot.waitUntil(lambda: _names(page) == ["苏州东吴汽车销售服务有限公司"])
    assert page.model.index(0, 1).data() == CODE
    page.search.clear()
    type_text(qtbot, page.search, "不存在的企业")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert "没有找到" in page.list_note.text()
    assert page.shown_enterprise is None and not page.edit_button.isEnabled()


def test_an_enterprise_is_added_through_the_dialog(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    dialog = page.add_enterprise()
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.name, "吴中区宝带西路大润发超市")
    qtbot.keyClicks(dialog.credit_code, NEW_CODE.lower())
    type_text(qtbot, dialog.address, "苏州市吴中区宝带西路 1 号")
    type_text(qtbot, dialog.industry, "商超")
    qtbot.keyClicks(dialog.phone, "13912345678")
    dialog.alliance_member.setChecked(True)
    with qtbot.waitSignal(dialog.sig_saved) as saved:
        _save(dialog, qtbot)
    found = world.s.enterprises.search(world.clerk, "大润发")
    assert [e.id for e in found] == saved.args
    e = found[0]
    assert (e.credit_code, e.industry, e.phone, e.alliance_member, e.demo_street) == (
        NEW_CODE, "商超", "13912345678", True, False)
    # The page hears of it, lists it and selects it.
    qtbot.waitUntil(lambda: page.shown_enterprise is not None and page.shown_enterprise.id == e.id)
    assert page.model.index(page.model.row_of_id(e.id), 4).data() == "是"


def test_a_bad_credit_code_is_refused_in_the_dialog_and_nothing_typed_is_lost(world, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    dialog = page.add_enterprise()
    assert dialog is not None
    type_text(qtbot, dialog.name, "木渎古镇旅游商店")
    qtbot.keyClicks(dialog.credit_code, "12345")
    _save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.error_text("统一社会信用代码") != "")
    assert "18 位" in dialog.error_text("统一社会信用代码")
    assert dialog.isVisible() and dialog.name.text() == "木渎古镇旅游商店"
    assert dialog.credit_code.text() == "12345"
    assert world.s.enterprises.search(world.clerk, "木渎") == []
    assert shown.shown == []  # told in the dialog, not in a message box

    # Correcting the code clears the message; the save then goes through.
    dialog.credit_code.clear()
    qtbot.keyClicks(dialog.credit_code, NEW_CODE)
    assert dialog.error_text("统一社会信用代码") == ""
    with qtbot.waitSignal(dialog.sig_saved):
        _save(dialog, qtbot)
    assert [e.credit_code for e in world.s.enterprises.search(world.clerk, "木渎")] == [NEW_CODE]


def test_a_known_credit_code_and_a_bad_phone_are_named_under_their_fields(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enterprises(world)
    ctx = make_ctx(world.clerk)
    dialog = EnterpriseDialog(ctx, name="  东吴汽车长桥店 ")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.text() == "东吴汽车长桥店"  # prefilled, as the registration form does
    qtbot.keyClicks(dialog.credit_code, CODE)
    _save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.error_text("统一社会信用代码") != "")
    assert "已登记为「苏州东吴汽车销售服务有限公司」" in dialog.error_text("统一社会信用代码")
    dialog.credit_code.clear()
    qtbot.keyClicks(dialog.phone, "123")
    _save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.error_text("企业电话") != "")
    assert dialog.isVisible() and dialog.phone.text() == "123"
    dialog.name.clear()
    dialog.phone.clear()
    _save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.error_text("企业名称") == "不能为空")


def test_editing_the_selected_enterprise(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _enterprises(world)
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    assert page.select_enterprise(ids["长桥美容美发店"])
    assert page.edit_button.isEnabled()
    dialog = page.edit_enterprise()
    assert dialog is not None and dialog.name.text() == "长桥美容美发店"
    assert dialog.phone.text() == "0512-65551234"
    dialog.industry.clear()
    type_text(qtbot, dialog.industry, "生活美容")
    dialog.demo_street.setChecked(True)
    with qtbot.waitSignal(dialog.sig_saved) as saved:
        _save(dialog, qtbot)
    assert saved.args == [ids["长桥美容美发店"]]
    row = lambda: page.model.row_of_id(ids["长桥美容美发店"])  # noqa: E731
    qtbot.waitUntil(lambda: page.model.index(row(), 2).data() == "生活美容")
    assert page.shown_enterprise is not None and page.shown_enterprise.demo_street
    assert "示范街区" in page.details.text()
    assert len(world.s.enterprises.list(world.clerk)) == 3


def test_selecting_an_enterprise_shows_its_figures_and_complaints(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _enterprises(world)
    eid = ids["苏州东吴汽车销售服务有限公司"]
    clerk = world.clerk
    cids = [world.s.complaints.register(
        clerk, draft(enterprise_id=eid, complainant_phone=f"1390000000{i}")).ids[0] for i in range(3)]
    world.s.complaints.register(clerk, draft(enterprise_id=ids["吴中家居城有限公司"],
                                             respondent_name="吴中家居城有限公司",
                                             respondent_credit_code=None))
    world.s.complaints.accept(clerk, cids[0], expected_version=_version(world, clerk, cids[0]))
    world.s.complaints.settle(clerk, cids[0], terms="退款", recovered="1234.5",
                              expected_version=_version(world, clerk, cids[0]))
    world.s.complaints.close(clerk, cids[0], result=Result.SETTLED, at_fault=True,
                             expected_version=_version(world, clerk, cids[0]))
    world.s.complaints.accept(clerk, cids[1], expected_version=_version(world, clerk, cids[1]))
    world.s.complaints.terminate(clerk, cids[1], ground="no_agreement",
                                 expected_version=_version(world, clerk, cids[1]))
    world.s.complaints.close(clerk, cids[1], result=Result.NOT_SETTLED,
                             expected_version=_version(world, clerk, cids[1]))

    ctx = make_ctx(clerk)
    page = _page(qtbot, ctx)
    assert page.detail_box.isHidden()
    page.select_enterprise(eid)
    wait_idle(qtbot, ctx)
    figures = {k: label.text() for k, label in page.figure_labels.items()}
    assert figures == {"complaints": "3", "open": "1", "closed": "2",
                       "success_rate": "50.0%（1/2）", "at_fault": "1", "recovered": "1,234.50 元"}
    assert page.title.text() == "苏州东吴汽车销售服务有限公司"
    assert page.complaints.rowCount() == 3
    assert {page.complaints.row_at(i).id for i in range(3)} == set(cids)
    assert "3 件" in page.complaint_count.text()

    # Double-click, then Enter, on a complaint asks the window to open it.
    view = page.complaint_table
    row = page.complaints.row_of_id(cids[2])
    assert row is not None
    rect = view.visualRect(page.complaints.index(row, 0))
    emitted: list[int] = []
    page.sig_open_complaint.connect(emitted.append)
    with qtbot.waitSignal(page.sig_open_complaint) as opened:
        # A real double-click starts with a press and release; QTest's DClick alone does not.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [cids[2]]
    qtbot.wait(50)
    assert emitted == [cids[2]]  # once, not once per click
    other = page.complaints.row_of_id(cids[0])
    view.setFocus()
    view.setCurrentIndex(page.complaints.index(other, 0))
    with qtbot.waitSignal(page.sig_open_complaint) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [cids[0]]

    # A change to one of its complaints refreshes the figures.
    ctx.ops.mutate(lambda: world.s.complaints.accept(clerk, cids[2],
                                                     expected_version=_version(world, clerk, cids[2])))
    ctx.ops.mutate(lambda: world.s.complaints.terminate(
        clerk, cids[2], ground="no_agreement", expected_version=_version(world, clerk, cids[2])))
    ctx.ops.mutate(lambda: world.s.complaints.close(
        clerk, cids[2], result=Result.TERMINATED, expected_version=_version(world, clerk, cids[2])))
    qtbot.waitUntil(lambda: page.figure_labels["closed"].text() == "3")
    assert page.figure_labels["open"].text() == "0"
    assert page.figure_labels["success_rate"].text() == "33.3%（1/3）"

    # Another enterprise: its own figures; none mediated yet.
    page.select_enterprise(ids["吴中家居城有限公司"])
    wait_idle(qtbot, ctx)
    assert page.figure_labels["complaints"].text() == "1"
    assert page.figure_labels["success_rate"].text() == "无调解结果"
    assert page.complaints.rowCount() == 1


def test_another_stations_clerk_sees_none_of_these_complaints(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _enterprises(world)
    eid = ids["苏州东吴汽车销售服务有限公司"]
    world.s.complaints.register(world.clerk, draft(enterprise_id=eid))
    ctx = make_ctx(world.other_clerk)
    page = _page(qtbot, ctx)
    assert len(_names(page)) == 3  # the register itself is shared
    page.select_enterprise(eid)
    wait_idle(qtbot, ctx)
    assert page.figure_labels["complaints"].text() == "0"
    assert page.complaints.rowCount() == 0


def test_roles_that_do_not_keep_the_register_cannot_add_or_edit(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _enterprises(world)
    ctx = make_ctx(world.dept_head)
    page = _page(qtbot, ctx)
    page.select_enterprise(ids["吴中家居城有限公司"])
    assert not page.add_button.isEnabled() and not page.edit_button.isEnabled()
    assert page.add_enterprise() is None and page.edit_enterprise() is None


def test_the_splitter_and_column_widths_are_remembered(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _enterprises(world)
    ctx = make_ctx(world.clerk)
    page = _page(qtbot, ctx)
    page.splitter.setSizes([300, 880])
    page.table.horizontalHeader().resizeSection(0, 333)
    sizes = page.splitter.sizes()
    page.hide()
    again = _page(qtbot, ctx)
    assert again.splitter.sizes() == sizes
    assert again.table.horizontalHeader().sectionSize(0) == 333


def test_credit_lists_page_confirms_and_exports(world, make_ctx, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from desktop.ui.views.credit_lists import CreditListsPage
    from tests.conftest import draft
    from tests.gui.conftest import wait_idle

    world.s.enterprises.save(world.admin, name="苏州东吴汽车销售服务有限公司",
                             credit_code="914403001922038216", alliance_member=True)
    world.s.complaints.register(world.desk, draft())  # not at fault: still 零投诉
    ctx = make_ctx(world.cp)
    page = CreditListsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.year.setValue(2026)
    page.kind.setCurrentIndex(page.kind.findData("red"))
    wait_idle(qtbot, ctx)
    assert [x.name for x in page.lines] == ["苏州东吴汽车销售服务有限公司"]
    assert page.table.item(0, 8).text() == "待确认"
    with qtbot.wait_signal(page.sig_loaded, timeout=5000):
        page.confirm(page.lines[0], "联盟成员，全年零投诉")
    assert page.table.item(0, 8).text().startswith("已确认：联盟成员")
    target = tmp_path / "红榜.xlsx"
    page.export_to(target)
    wait_idle(qtbot, ctx)
    assert openpyxl.load_workbook(target).active["B4"].value == "苏州东吴汽车销售服务有限公司"
    page.btn_hints.click()
    wait_idle(qtbot, ctx)
    assert page.draft.toPlainText()
