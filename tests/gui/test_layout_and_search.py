"""Issue 23 items 5, 6 and 8: the error summary follows corrections and fields keep their
place; tables fit 1366 px without cutting numbers or titles; search results say why."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from desktop.db.search import snippet
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import FieldError, ValidationFailed
from desktop.ui.dialogs.setup_dialog import SetupDialog
from desktop.ui.models.complaint_table import COLUMN_INDEX
from desktop.ui.views.enterprises import EnterprisesPage
from desktop.ui.views.ledger import LedgerPage
from desktop.ui.widgets.field_errors import FieldErrors
from tests.conftest import World, draft
from tests.gui.conftest import wait_idle


def test_the_summary_follows_corrections_and_fields_do_not_move(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    form = QWidget()
    qtbot.addWidget(form)
    general = QLabel()
    errors = FieldErrors(general, form)
    boxes = {name: QLineEdit() for name in ("甲", "乙", "丙")}
    column = QVBoxLayout(form)
    for name, box in boxes.items():
        column.addWidget(errors.field(name, box))
    column.addWidget(general)
    form.show()
    QApplication.processEvents()
    before = {n: b.mapTo(form, QPoint()) for n, b in boxes.items()}
    heights = {n: b.height() for n, b in boxes.items()}
    errors.show(ValidationFailed([FieldError(n, "不能为空") for n in boxes]))
    QApplication.processEvents()
    assert general.text().startswith("有 3 处需要改正")
    assert {n: b.mapTo(form, QPoint()) for n, b in boxes.items()} == before  # nothing jumps
    assert {n: b.height() for n, b in boxes.items()} == heights  # the red frame keeps the height
    boxes["甲"].textEdited.emit("x")
    assert general.text().startswith("有 2 处需要改正")
    boxes["乙"].textEdited.emit("x")
    assert general.text().startswith("还有 1 处")
    boxes["丙"].textEdited.emit("x")
    assert general.isHidden() and general.text() == ""
    QApplication.processEvents()
    assert {n: b.mapTo(form, QPoint()) for n, b in boxes.items()} == before


def test_setup_dialog_keeps_its_boxes_whole_and_says_example(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.admin)
    dialog = SetupDialog(world.s, ctx.ops)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    height = dialog.district_name.height()
    where = dialog.district_name.mapTo(dialog, QPoint())
    dialog.submit()  # everything empty: refused
    QApplication.processEvents()
    assert dialog.errors.message_of("区局名称") == "不能为空"
    assert dialog.district_name.height() >= height
    assert dialog.district_name.mapTo(dialog, QPoint()) == where
    for box in (dialog.district_code, dialog.district_name, dialog.bureau_code, dialog.station_name):
        assert box.placeholderText().startswith("例如")


def _registered(world: World, n: int = 12) -> None:
    for i in range(n):
        world.s.complaints.register(world.clerk, draft(
            respondent_name=f"苏州工业园区某某国际贸易有限公司第{i}分公司",
            respondent_credit_code=None, facts=f"购买的空调不制冷，商家拒绝退款（第 {i} 件）。"))


def test_the_ledger_fits_1366_without_cutting_numbers_or_titles(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _registered(world)
    ctx = make_ctx(world.clerk)
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366 - 170, 600)  # the window less the side bar
    page.show()
    wait_idle(qtbot, ctx)
    table = page.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 12)
    QApplication.processEvents()
    table.fitter.fit()
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    for column in range(table.model().columnCount()):
        if table.isColumnHidden(column):
            continue
        title = table.model().headerData(column, 1)
        assert table.columnWidth(column) >= header.fontMetrics().horizontalAdvance(title), title
    number = table.model().index(0, COLUMN_INDEX["number"]).data()
    assert table.columnWidth(COLUMN_INDEX["number"]) >= metrics.horizontalAdvance(number) + 8
    assert table.horizontalScrollBar().maximum() == 0  # no sideways scrolling


def test_the_enterprise_table_fills_its_width(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        world.s.enterprises.save(world.clerk, name=f"苏州某某{i}号商贸有限公司", industry="零售")
    ctx = make_ctx(world.clerk)
    page = EnterprisesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1196, 600)
    page.show()
    wait_idle(qtbot, ctx)
    QApplication.processEvents()
    page.table_fitter.fit()
    table = page.table
    used = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert used == table.viewport().width()  # no empty band on the right
    assert table.horizontalScrollBar().maximum() == 0


def test_a_snippet_marks_the_words_found() -> None:
    text = "十月购买的空调安装后不制冷，维修两次仍不好，商家拒绝退款，要求全额退款并赔偿。"
    found = snippet("退款", [("商品或服务", "空调"), ("事实与理由", text)])
    assert found.startswith("事实与理由：") and "【退款】" in found
    assert snippet("iphone", [("品牌型号", "Apple iPhone 15")]) == "品牌型号：Apple 【iPhone】 15"
    assert snippet("冰箱", [("事实与理由", text)]) == ""
    # Phones and ID numbers in the facts are masked in a list, as the ledger masks the phone.
    assert snippet("电话", [("事实与理由", "我叫吴卫东，电话13139606619。")]) == \
        "事实与理由：我叫吴卫东，【电话】131****6619。"


def test_a_search_page_says_why_each_row_matched(world: World) -> None:
    _registered(world, 3)
    page = world.s.complaints.page(world.clerk, ComplaintFilter(text="退款"))
    assert len(page.rows) == 3
    assert all("【退款】" in r.matched and r.matched.startswith("事实与理由：") for r in page.rows)
    named = world.s.complaints.page(world.clerk, ComplaintFilter(text="张伟"))
    assert named.rows and all(r.matched == "投诉人姓名：张*" for r in named.rows)  # masked
    assert all(r.matched == "" for r in world.s.complaints.page(world.clerk, ComplaintFilter()).rows)


def test_a_narrow_cell_keeps_the_match_in_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 1366 px the 匹配内容 column is narrow: the words before the match give way (the label
    stays), so that the marked word is not cut at the right edge."""
    from PySide6.QtGui import QFont, QFontMetrics

    from desktop.ui.widgets.tables import keep_mark_in_view

    metrics = QFontMetrics(QFont())
    text = "事实与理由：…空调不制冷，先后3次进店【维修】仍不好"
    narrow = keep_mark_in_view(text, metrics.horizontalAdvance("中" * 12), metrics)
    assert narrow.startswith("事实与理由：…") and "【维修】" in narrow
    upto = narrow[:narrow.index("】")].replace("【", "")
    assert metrics.horizontalAdvance(upto) <= metrics.horizontalAdvance("中" * 12)
    assert keep_mark_in_view(text, 2000, metrics) == text  # wide enough: as it was
