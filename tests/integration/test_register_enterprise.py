"""A respondent typed into the registration joins the 企业库 in the same transaction."""

from __future__ import annotations

from tests.conftest import World, draft

NAME = "苏州新开张酒店管理有限公司"


def test_a_new_respondent_is_added_once_and_linked(world: World) -> None:
    s, clerk = world.s, world.clerk
    first = s.complaints.register(clerk, draft(respondent_name=NAME, respondent_credit_code=None),
                                  add_enterprise=True)
    [enterprise] = s.enterprises.search(clerk, NAME)
    assert first.enterprise_added == enterprise.id
    assert s.complaints.get(clerk, first.ids[0]).enterprise_id == enterprise.id
    assert enterprise.address == draft().respondent_address
    again = s.complaints.register(clerk, draft(respondent_name=NAME, respondent_credit_code=None),
                                  add_enterprise=True)
    assert again.enterprise_added is None  # already there: linked, not added twice
    assert s.complaints.get(clerk, again.ids[0]).enterprise_id == enterprise.id
    assert len(s.enterprises.search(clerk, NAME)) == 1
    plain = s.complaints.register(clerk, draft(respondent_name="另一家公司", respondent_credit_code=None))
    assert plain.enterprise_added is None and not s.enterprises.search(clerk, "另一家公司")
    assert s.audit.verify().ok


def test_a_refused_registration_adds_no_enterprise(world: World) -> None:
    import pytest

    from desktop.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        world.s.complaints.register(world.clerk, draft(respondent_name=NAME, facts=""),
                                    add_enterprise=True)
    assert not world.s.enterprises.search(world.clerk, NAME)
