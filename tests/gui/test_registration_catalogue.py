"""The registration form and the 投诉信息 tab are built from the catalogue of complaint fields."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit

from desktop.domain import complaint_fields as cf
from desktop.domain.workflow import Intake
from desktop.ui.views.registration import RegistrationPage
from tests.conftest import World


def test_every_typed_field_has_its_box_caption_and_place_in_the_tab_order(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(make_ctx(world.clerk))
    qtbot.addWidget(page)
    captions = {label.text() for label in page.findChildren(QLabel)}
    for f in cf.FORM_FIELDS:  # the form opens on a 投诉: the catalogue's words, its required marks
        assert f.label + (" *" if f.required_for(Intake.COMPLAINT) else "") in captions, f.name
        box = page.boxes[f.key]
        if isinstance(box, QLineEdit) and f.hint:
            assert box.placeholderText() == f.hint
        if isinstance(box, QLineEdit) and f.max_len and not f.spaced:
            assert box.maxLength() == f.max_len, f.name
    titles = [g.title() for g in page.findChildren(QGroupBox)]
    for group in (cf.Group.SOURCE, cf.Group.COMPLAINANT, cf.Group.RESPONDENT, cf.Group.MATTER):
        assert group.value in titles
    # Tab walks the boxes in the catalogue's order.
    chain, widget = [], page.boxes[cf.FORM_FIELDS[0].key]
    wanted = {id(b) for b in page.boxes.values()}
    for _ in range(200):
        if id(widget) in wanted and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == [page.boxes[f.key] for f in cf.FORM_FIELDS]
    assert page.channel is page.boxes["channel_code"] and page.category is page.boxes["category_code"]
