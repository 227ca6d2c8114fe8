"""The hash-chained audit log detects edited, removed and truncated entries."""

from __future__ import annotations

from sqlalchemy import text

from desktop.cli.main import main as admin_main
from desktop.db.uow import UnitOfWork
from tests.conftest import World, draft


def _sql(world: World, statement: str) -> None:
    with UnitOfWork(world.s.ctx.engine) as uow:
        uow.session.execute(text(statement))
        uow.commit()


def _setup(world: World) -> None:
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    world.s.complaints.accept(world.clerk, cid, expected_version=1)


def test_untouched_log_verifies(world: World) -> None:
    _setup(world)
    report = world.s.audit.verify()
    assert report.ok and report.entries > 10


def test_edited_entry_is_detected(world: World) -> None:
    _setup(world)
    _sql(world, "UPDATE audit_log SET username = 'someone' WHERE id = 5")
    report = world.s.audit.verify()
    assert not report.ok
    assert any("第 5 条" in p and "改动" in p for p in report.problems)


def test_deleted_middle_entry_is_detected(world: World) -> None:
    _setup(world)
    _sql(world, "DELETE FROM audit_log WHERE id = 7")
    assert any("第 8 条" in p and "链接断开" in p for p in world.s.audit.verify().problems)


def test_deleted_last_entries_are_detected(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    _setup(world)
    _sql(world, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)")
    assert any("已被删除" in p for p in world.s.audit.verify().problems)
    data_dir = str(world.s.ctx.data_dir)
    assert admin_main(["audit", "verify", "--data-dir", data_dir]) == 1
    assert "审计日志异常" in capsys.readouterr().out
