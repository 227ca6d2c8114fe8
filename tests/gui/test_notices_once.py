"""Issue 23, item 2: the calendar notice (next year's holidays not yet published; a rule set to
be confirmed) is told in a dialog once a session, not after every state change; the complaint
header keeps showing it."""

from __future__ import annotations

from desktop.domain.workflow import Action
from desktop.ui.dialogs.action_dialog import PAUSE, RESUME, ActionDialog
from desktop.ui.views.complaint_window import ComplaintWindow
from tests.conftest import World, draft
from tests.gui.conftest import wait_idle


def _act(qtbot, window: ComplaintWindow, action, fill=None) -> None:  # type: ignore[no-untyped-def]
    window.action_buttons[action].click()
    dialog = window.findChildren(ActionDialog)[-1]
    wait_idle(qtbot, window.ctx)
    if fill:
        fill(dialog)
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_the_calendar_notice_is_a_dialog_once_a_session(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.desk)
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)

    _act(qtbot, window, Action.ACCEPT)  # on 2026-11-20 the 调解 deadline runs into 2027
    notices = [t for t in shown.texts("info") if "尚未公布" in t]
    assert len(notices) == 1 and "2027 年" in notices[0]
    assert "尚未公布" in window.status_line.text()

    def reason(dialog: ActionDialog) -> None:
        dialog.fields["reason"].setText("等待检测报告")
    _act(qtbot, window, PAUSE, reason)
    _act(qtbot, window, RESUME)
    assert [t for t in shown.texts("info") if "尚未公布" in t] == notices  # not again
    assert "尚未公布" in window.status_line.text()  # but still in the header

    # Another window of the same session does not tell it again either; a new session would.
    other = world.s.complaints.register(world.clerk, draft(complainant_name="李娜")).ids[0]
    second = ComplaintWindow(ctx, other)
    qtbot.addWidget(second)
    wait_idle(qtbot, ctx)
    _act(qtbot, second, Action.ACCEPT)
    assert [t for t in shown.texts("info") if "尚未公布" in t] == notices
    assert make_ctx(world.desk).untold(tuple(notices)) == notices
