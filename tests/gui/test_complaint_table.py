"""The paged complaint model: pages on demand, sorting both ways, scope, refresh by id."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from desktop.domain.complaint import ComplaintFilter
from desktop.ui.models.complaint_table import COLUMN_INDEX, ComplaintTableModel
from tests.conftest import World, draft
from tests.gui.conftest import wait_idle


def _register(world: World, n: int, **overrides: object) -> list[int]:
    out = []
    for i in range(n):
        at = datetime(2026, 11, 2, 9, 0) + timedelta(hours=5 * i)
        values = dict(received_at=at, complainant_phone=f"1390000{i:04d}") | overrides
        out.append(world.s.complaints.register(world.clerk, draft(**values)).ids[0])
    return out


def test_model_fetches_pages_on_demand_and_passes_the_model_tester(world, make_ctx, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    ids = _register(world, 25)
    ctx = make_ctx(world.clerk)
    model = ComplaintTableModel(ctx, page_size=10)
    with qtbot.waitSignal(model.sig_reset_done):
        model.set_filter(ComplaintFilter())
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 10 and model.total == 25
    assert model.canFetchMore()
    model.fetchMore()
    wait_idle(qtbot, ctx)
    model.fetchMore()
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 25 and not model.canFetchMore()
    assert [model.row_at(i).id for i in range(25)] == ids[::-1]
    qtmodeltester.check(model, force_py=True)
    number = model.index(0, COLUMN_INDEX["number"]).data()
    assert number.startswith("WZCQ01-")
    assert "*" in model.index(0, COLUMN_INDEX["complainant_phone"]).data()


def test_header_sort_flips_the_order_and_unsortable_columns_do_nothing(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _register(world, 5)
    ctx = make_ctx(world.clerk)
    model = ComplaintTableModel(ctx)
    model.set_filter(ComplaintFilter())
    wait_idle(qtbot, ctx)
    model.sort(COLUMN_INDEX["received_at"], Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, ctx)
    assert [model.row_at(i).id for i in range(5)] == ids
    before = model.query
    model.sort(COLUMN_INDEX["subject"], Qt.SortOrder.AscendingOrder)
    assert model.query == before


def test_a_change_refreshes_the_row_in_place_and_a_registration_adds_one(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _register(world, 3)
    ctx = make_ctx(world.clerk)
    model = ComplaintTableModel(ctx)
    model.set_filter(ComplaintFilter())
    wait_idle(qtbot, ctx)
    row = model.row_of_id(ids[0])
    status_cell = model.index(row, COLUMN_INDEX["status"])
    assert status_cell.data() == "登记"
    detail = world.s.complaints.get(world.clerk, ids[0])
    with qtbot.waitSignal(model.dataChanged):
        ctx.ops.mutate(lambda: world.s.complaints.accept(world.clerk, ids[0], expected_version=detail.version))
    assert model.index(row, COLUMN_INDEX["status"]).data() == "已受理"
    ctx.ops.mutate(lambda: world.s.complaints.register(world.clerk, draft(complainant_phone="13700000000")))
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    assert model.total == 4


def test_deadline_colours_mark_overdue_and_due_soon(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    # Registered long ago and never accepted: its 7-working-day acceptance deadline has passed.
    old = _register(world, 1, received_at=datetime(2026, 10, 8, 9, 0))[0]
    fresh = _register(world, 1, received_at=datetime(2026, 11, 20, 8, 0), complainant_phone="13611112222")[0]
    ctx = make_ctx(world.clerk)
    model = ComplaintTableModel(ctx)
    model.set_filter(ComplaintFilter())
    wait_idle(qtbot, ctx)
    overdue = model.index(model.row_of_id(old), 0).data(Qt.ItemDataRole.BackgroundRole)
    assert overdue is not None and overdue.color().name() == "#fde2e1"
    assert model.urgency(model.row_at(model.row_of_id(fresh))) in (None, "soon")


def test_a_station_clerk_sees_only_their_station(world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    _register(world, 3)
    ctx = make_ctx(world.other_clerk)
    model = ComplaintTableModel(ctx)
    model.set_filter(ComplaintFilter())
    wait_idle(qtbot, ctx)
    assert model.rowCount() == 0 and model.total == 0


def _shown_ids(model: ComplaintTableModel, rows: range) -> list[int | None]:
    return [r.id if (r := model.loaded_row(i)) is not None else None for i in rows]


def _long_list(world, make_ctx, qtbot, n: int = 63):  # type: ignore[no-untyped-def]
    """A list of `n` complaints in pages of 5: more than SPARSE_PAGES pages, so once counted
    the model takes its whole length and fetches the rows a view shows by position."""
    from desktop.ui.widgets.complaint_view import ComplaintTableView

    ids = _register(world, n)
    ctx = make_ctx(world.clerk)
    model = ComplaintTableModel(ctx, page_size=5)
    pages: list[dict[str, object]] = []
    page = ctx.services.complaints.page

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        pages.append(kwargs)
        return page(*args, **kwargs)

    ctx.services.complaints.page = counting  # type: ignore[method-assign]
    view = ComplaintTableView(model)
    view.resize(1000, 320)
    view.show()
    qtbot.addWidget(view)
    with qtbot.waitSignal(model.sig_reset_done):
        model.set_filter(ComplaintFilter())
    qtbot.waitUntil(lambda: model.rowCount() == n)
    wait_idle(qtbot, ctx)
    assert model.sparse and model.total == n and model.loaded_count < n
    return ids, ctx, model, view, pages


def test_ctrl_end_shows_the_last_row_of_a_long_list_without_fetching_every_page(
        world, make_ctx, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    ids, ctx, model, view, pages = _long_list(world, make_ctx, qtbot)
    newest_first = ids[::-1]
    qtbot.wait(50)  # the first rows shown are fetched
    wait_idle(qtbot, ctx)
    before = len(pages)
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))  # the clerk is on the first row
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.loaded_row(62) is not None)
    wait_idle(qtbot, ctx)
    assert view.currentIndex().row() == 62
    # The last row is the oldest complaint; the rows above it are in order too.
    assert _shown_ids(model, range(55, 63)) == newest_first[55:]
    assert model.index(62, COLUMN_INDEX["number"]).data() == ctx.services.complaints.rows(
        world.clerk, [ids[0]])[0].number
    # The end was read backwards directly, the rows shown in one query, not page by page
    # through the eleven pages before it.
    assert pages[before:] == [{"limit": 13, "offset": 0, "backwards": True}]
    assert model.loaded_count < 40
    qtmodeltester.check(model, force_py=True)


def test_dragging_the_bar_fills_the_rows_where_it_stops_in_the_lists_order(
        world, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids, ctx, model, view, pages = _long_list(world, make_ctx, qtbot)
    newest_first = ids[::-1]
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: model.loaded_row(62) is not None)
    bar.setValue(bar.maximum() // 2)
    top = view.rowAt(0)
    qtbot.waitUntil(lambda: model.loaded_row(top) is not None and model.loaded_row(top + 3) is not None)
    wait_idle(qtbot, ctx)
    assert _shown_ids(model, range(top, top + 4)) == newest_first[top:top + 4]
    # Every row, once fetched, is where the list's order puts it.
    for row in range(0, 63, 5):
        view.scrollTo(model.index(row, 0))
        qtbot.waitUntil(lambda r=row: model.loaded_row(r) is not None)
    wait_idle(qtbot, ctx)
    assert [model.row_at(i).id for i in range(63)] == newest_first
    assert model.loaded_count == 63
