"""A crash report (logs/crash-*.txt, sent to support) carries no personal data, says what was
taken out, and is readable by the owner only."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy.exc import IntegrityError

from desktop.db.models import Complaint
from desktop.db.uow import UnitOfWork
from desktop.ui.errors import SCRUBBED_NOTICE, ErrorReporter
from tests.conftest import World, draft

NAME, PHONE, ID_NUMBER = "欧阳娜娜", "13912345678", "320506199001011234"
ADDRESS = "苏州市吴中区长桥街道宝带西路100号3幢201室"


def _integrity_error(world: World) -> IntegrityError:
    """A complaint saved with a number another one already has: the database's real error,
    with the row's values in SQLAlchemy's [parameters: …]."""
    cid = world.s.complaints.register(world.clerk, draft(complainant_name=NAME)).ids[0]
    with UnitOfWork(world.s.ctx.engine) as uow:
        original = uow.session.get(Complaint, cid)
        assert original is not None
        copy = Complaint(**{c.key: getattr(original, c.key) for c in Complaint.__table__.columns
                            if c.key not in ("id", "uuid")})
        copy.complainant_name, copy.complainant_phone = NAME, PHONE
        copy.complainant_id_number, copy.complainant_address = ID_NUMBER, ADDRESS
        uow.session.add(copy)
        with pytest.raises(IntegrityError) as caught:
            uow.flush()
    return caught.value


def test_crash_report_of_an_integrity_error_has_no_personal_data(world: World, tmp_path) -> None:
    error = _integrity_error(world)
    raw = str(error)
    assert NAME in raw and PHONE in raw and ID_NUMBER in raw and "宝带西路" in raw
    try:
        raise RuntimeError(f"同步失败：投诉人{NAME}，电话 {PHONE}，值 '{ADDRESS}'") from error
    except RuntimeError as exc:
        path = ErrorReporter(tmp_path / "logs").save_report(exc)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    for secret in (NAME, PHONE, ID_NUMBER, "宝带西路", "3幢201室"):
        assert secret not in text
    assert SCRUBBED_NOTICE in text.splitlines()[2]
    assert "[parameters: 已删除]" in text and "UNIQUE constraint failed: complaints.number" in text
    assert "IntegrityError" in text and "test_crash_reports.py" in text  # still useful to support
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_names_in_corner_quotes_and_bare_names_are_hidden() -> None:
    from desktop.ui.errors import scrub

    assert scrub("ValueError: 投诉人姓名「张伟」不能超过 60 个字") == \
        "ValueError: 投诉人姓名【已隐去】不能超过 60 个字"
    assert scrub("王小明") == "王某"
    assert scrub("KeyError: '欧阳娜娜' 或 “李强”") == "KeyError: 【已隐去】 或 【已隐去】"
    assert scrub("values: (欧阳娜娜, 138 1234 5678, 苏A12345)") == \
        "values: (欧阳某, 【电话】, 【车牌号】)"
    # Longer Chinese text keeps its words: only a run of at most four characters stands alone.
    assert scrub("同步失败：区局服务器没有回应") == "同步失败：区局服务器没有回应"


def test_a_refused_registration_naming_the_user_is_reported_without_the_name(
        world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.domain.errors import DomainError
    from desktop.domain.workflow import Role
    from tests.conftest import PASSWORD

    world.s.users.create(world.admin, username="wxm", display_name="王小明", password=PASSWORD,
                         office_id=world.office_ids["WZ"], roles={Role.DEPUTY_DIRECTOR})
    user = world.s.users.login("wxm", PASSWORD)
    with pytest.raises(DomainError) as refused:
        world.s.complaints.register(user, draft(complainant_name="张伟"))
    assert "王小明" in str(refused.value)
    try:
        raise RuntimeError("登记时出错") from refused.value
    except RuntimeError as exc:
        path = ErrorReporter(tmp_path / "logs").save_report(exc)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "王小明" not in text and "王某" in text and "PermissionDenied" in text


def test_a_counter_set_back_is_stepped_past_and_a_clash_is_a_chinese_refusal(world: World) -> None:
    from sqlalchemy import text

    from desktop.ui.errors import environment_message

    first = world.s.complaints.register(world.clerk, draft()).number
    with world.s.ctx.engine.begin() as conn:  # the counter set back outside the program
        conn.execute(text("UPDATE number_sequences SET last = 0"))
    assert any("计数" in p for p in world.s.audit.verify().problems)  # reported
    second = world.s.complaints.register(world.clerk, draft()).number
    assert second != first and second.endswith("-0002")  # the used number is stepped past
    with pytest.raises(IntegrityError) as clash, world.s.ctx.engine.begin() as conn:
        conn.execute(text("UPDATE complaints SET number = :n WHERE number = :m"),
                     {"n": first, "m": second})
    message = environment_message(clash.value)
    assert message is not None and "编号与本机已有的投诉编号重复，投诉未保存" in message
    assert "audit verify" in message
