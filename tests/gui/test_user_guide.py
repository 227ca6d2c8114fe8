"""Issue 23, item 9: 帮助 → 使用说明 shows the Chinese user guide shipped with the program,
offline, with its screenshots and a contents list; F1 opens the section of the page or window
at hand; 关于 names the version, the database and the rule sets in force."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from desktop import __version__, shipped
from desktop.ui import user_guide
from desktop.ui.main_window import MainWindow
from desktop.ui.user_guide import PAGE_TOPICS, TOPICS, GuideWindow, about_text, find_heading
from desktop.ui.views.complaint_window import ComplaintWindow
from tests.conftest import World, draft
from tests.gui.conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]


def _guides() -> list[GuideWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, GuideWindow) and w.isVisible()]


def test_the_guide_shows_with_its_contents_and_screenshots(qtbot) -> None:  # type: ignore[no-untyped-def]
    guide = shipped.user_guide()
    assert guide == ROOT / "docs" / "user-guide.md"  # a checkout reads docs/
    window = GuideWindow(guide)
    qtbot.addWidget(window)
    window.show()
    markdown = guide.read_text("utf-8")
    sections = re.findall(r"^## (.+)$", markdown, re.M)
    assert [window.contents.topLevelItem(i).text(0) for i in range(window.contents.topLevelItemCount())] == sections
    # Every screenshot the guide shows is found beside it, and is shipped with it.
    pictures = sorted(set(re.findall(r"\]\((screenshots/[^)]+\.png)\)", markdown)))
    assert len(pictures) > 20
    document = window.browser.document()
    for picture in pictures:
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(picture))
        assert image is not None and not image.isNull(), picture
        assert Path(picture).name.startswith("1366x768-")  # what pyproject and the spec ship
    assert "docs\" / \"user-guide.md\"" in (ROOT / "installers" / "hejie.spec").read_text("utf-8")
    # Clicking in the contents goes to that section.
    item = window.contents.findItems("13. 法定时限", Qt.MatchFlag.MatchExactly)[0]
    window.contents.itemClicked.emit(item, 0)
    assert window.current_heading().title == "13. 法定时限"


def test_every_f1_topic_is_a_section_of_the_guide(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = GuideWindow(shipped.user_guide())
    qtbot.addWidget(window)
    for topic in [*PAGE_TOPICS.values(), *TOPICS.values()]:
        assert find_heading(window.headings, topic) is not None, topic
    assert set(PAGE_TOPICS) == set(MainWindow.PAGES)


def test_f1_opens_the_section_of_the_page_and_of_a_complaint_window(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    helper = user_guide.instance()
    ctx = make_ctx(world.clerk)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    window.show_page("ledger")
    assert window.act_guide.shortcut().toString() == "F1"
    window.act_guide.trigger()
    guide = helper.window
    assert guide is not None and guide.isVisible()
    assert guide.current_heading().topic.startswith("投诉台账")
    window.show_page("register")
    window.act_guide.trigger()
    assert guide.current_heading().topic.startswith("投诉登记")
    assert guide.contents.currentItem().text(0) == "5. 投诉登记"

    # A complaint window has its own F1 (given when it first has the focus).
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    complaint = ComplaintWindow(ctx, cid)
    qtbot.addWidget(complaint)
    complaint.show()
    complaint.activateWindow()
    qtbot.waitUntil(complaint.isActiveWindow)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: bool(complaint.property("hejie_help_f1")))
    guide.hide()
    qtbot.keyClick(complaint, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: guide.isVisible())
    assert guide.current_heading().topic.startswith("投诉窗口")
    guide.close()


def test_about_names_the_version_the_database_and_the_rule_sets(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    window._about()
    wait_idle(qtbot, ctx)
    [(kind, title, text)] = [s for s in shown.shown if s[1] == "关于和解台"]
    assert __version__ in text and str(world.s.database) in text
    rule_sets = world.s.reference.rule_sets()
    assert any(f"{r.name}（现行）" in text for r in rule_sets)

    current = sorted(rule_sets, key=lambda r: r.effective_from)[-1]
    later = type(current)(**{**current.__dict__, "code": "later", "name": "将来的规则",
                             "effective_from": date(2030, 1, 1)})
    text = about_text("9.9", Path("/x/hejie.db"), [*rule_sets, later], date(2026, 12, 5))
    assert "将来的规则（2030-01-01 起施行）" in text and "数据库：/x/hejie.db" in text
