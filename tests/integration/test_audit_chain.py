"""The hash-chained audit log detects edited, removed and truncated entries."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, text

from desktop.cli.main import main as admin_main
from desktop.db.models import Complaint, new_uuid
from desktop.db.uow import GENESIS_HASH, UnitOfWork, entry_hash
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


# -- the audit answers for the data ------------------------------------------------------------
def _register(world: World, **overrides: object) -> tuple[int, str]:
    cid = world.s.complaints.register(world.clerk, draft(**overrides)).ids[0]
    return cid, world.s.complaints.get(world.clerk, cid).number


def _rehash(world: World) -> None:
    """What someone who knows the scheme does after editing the log: recompute every hash."""
    with UnitOfWork(world.s.ctx.engine) as uow:
        rows = uow.session.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings().all()
        prev = GENESIS_HASH
        for row in rows:
            fields = dict(row)
            fields["at"] = datetime.fromisoformat(str(row["at"]))
            fields["prev_hash"] = prev
            prev = entry_hash(fields)
            uow.session.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                                {"p": fields["prev_hash"], "h": prev, "i": row["id"]})
        uow.commit()


def test_complaint_edited_in_the_table_is_detected_with_number_and_field(world: World) -> None:
    _cid, number = _register(world)
    _register(world, complainant_name="李娜")
    assert world.s.audit.verify().ok
    _sql(world, f"UPDATE complaints SET complainant_name = '王五' WHERE number = '{number}'")
    problems = world.s.audit.verify().problems
    assert len(problems) == 1
    assert number in problems[0] and "投诉人姓名" in problems[0] and "直接改动" in problems[0]
    assert "王五" not in problems[0] and "张伟" not in problems[0]  # no personal data in the report


def test_edit_in_the_table_covered_by_a_later_change_is_detected(world: World) -> None:
    cid, number = _register(world)
    _sql(world, f"UPDATE complaints SET complainant_phone = '13900000000' WHERE id = {cid}")
    version = world.s.complaints.get(world.clerk, cid).version
    world.s.complaints.edit(world.clerk, cid, draft(complainant_phone="13711112222"),
                            expected_version=version)
    problems = world.s.audit.verify().problems
    assert any(number in p and "投诉人电话" in p and "之前被直接改动" in p for p in problems)


def test_edited_row_with_recomputed_chain_is_detected(world: World) -> None:
    """The chain alone would pass: the data no longer matches what the log says."""
    cid, number = _register(world)
    _sql(world, f"UPDATE complaints SET facts = '另外的事实' WHERE id = {cid}")
    _rehash(world)
    report = world.s.audit.verify()
    assert any(number in p and "事实与理由" in p for p in report.problems)
    assert not any("哈希" in p or "链接" in p for p in report.problems)


def test_emptied_log_and_sequence_are_detected(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        _register(world)
    _sql(world, "DELETE FROM audit_log")
    _sql(world, "DELETE FROM sqlite_sequence WHERE name = 'audit_log'")
    report = world.s.audit.verify()
    assert report.entries == 0 and not report.ok
    assert "审计日志是空的" in report.problems[0]
    assert sum("没有新增的审计记录" in p for p in report.problems) >= 3
    assert admin_main(["audit", "verify", "--data-dir", str(world.s.ctx.data_dir)]) == 1
    assert "审计日志是空的" in capsys.readouterr().out


def test_deleted_tail_with_sequence_set_back_is_detected(world: World) -> None:
    cid, number = _register(world)
    world.s.complaints.accept(world.clerk, cid, expected_version=1)
    _sql(world, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)")
    _sql(world, "UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM audit_log) "
                "WHERE name = 'audit_log'")
    problems = world.s.audit.verify().problems
    assert any(number in p for p in problems)


def test_log_starting_after_the_first_entry_is_detected(world: World) -> None:
    _register(world)
    _sql(world, "DELETE FROM audit_log WHERE id <= 3")
    _rehash(world)
    problems = world.s.audit.verify().problems
    assert any("缺少开头的第 1–3 条" in p for p in problems)


def test_missing_or_lowered_sequence_is_detected(world: World) -> None:
    _register(world)
    _sql(world, "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'audit_log'")
    assert any("计数" in p and "落后" in p for p in world.s.audit.verify().problems)
    _sql(world, "DELETE FROM sqlite_sequence WHERE name = 'audit_log'")
    assert any("sqlite_sequence" in p and "被删除" in p for p in world.s.audit.verify().problems)


def test_record_deleted_from_the_table_is_detected(world: World) -> None:
    cid, number = _register(world)
    _sql(world, f"DELETE FROM complaints WHERE id = {cid}")
    problems = world.s.audit.verify().problems
    assert any(number in p and "已不存在" in p for p in problems)


def _copies(world: World, cid: int, n: int) -> list[dict]:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        table = Complaint.__table__
        row = dict(uow.session.execute(select(table).where(table.c.id == cid)).mappings().one())
    out = []
    for i in range(n):
        copy = {k: v for k, v in row.items() if k != "id"}
        copy.update(uuid=new_uuid(), number=f"WZCQ01-20200101-{i + 1:04d}",
                    received_at=datetime(2020, 1, 1, 9, i), accepted_on=None, due_on=None)
        out.append(copy)
    return out


def test_bulk_rows_are_covered_by_their_batch_digest(world: World) -> None:
    cid, _number = _register(world)
    rows = _copies(world, cid, 4)
    assert world.s.complaints.import_rows(iter(rows), "导入历史台账", batch=3) == 4
    report = world.s.audit.verify()
    assert report.ok, report.problems
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        after = uow.session.execute(text(
            "SELECT after FROM audit_log WHERE operation = 'bulk'")).scalar_one()
    summary = json.loads(after)
    assert summary["covered"] == 4 and len(summary["digest"]) == 64
    # A later change through the program is undone with its `before` values: still fine.
    first = world.s.complaints.find_by_number(world.clerk, "WZCQ01-20200101-0001").id
    world.s.complaints.accept(world.clerk, first, expected_version=1)
    assert world.s.audit.verify().ok
    # An untouched imported row edited in the table: its batch no longer matches.
    _sql(world, "UPDATE complaints SET facts = 'x' WHERE number = 'WZCQ01-20200101-0003'")
    problems = world.s.audit.verify().problems
    assert len(problems) == 1 and "批量写入的 4 条投诉" in problems[0] and "摘要不符" in problems[0]


def test_bulk_row_changed_later_then_edited_in_the_table_is_detected(world: World) -> None:
    cid, _number = _register(world)
    world.s.complaints.import_rows(iter(_copies(world, cid, 2)), "导入历史台账")
    first = world.s.complaints.find_by_number(world.clerk, "WZCQ01-20200101-0001").id
    world.s.complaints.accept(world.clerk, first, expected_version=1)
    _sql(world, f"UPDATE complaints SET status = 'registered' WHERE id = {first}")
    problems = world.s.audit.verify().problems
    assert any("WZCQ01-20200101-0001" in p and "状态" in p for p in problems)


def test_row_added_to_the_table_is_detected(world: World) -> None:
    cid, _number = _register(world)
    row = _copies(world, cid, 1)[0]
    with UnitOfWork(world.s.ctx.engine) as uow:
        uow.session.execute(Complaint.__table__.insert(), [row])
        uow.commit()
    problems = world.s.audit.verify().problems
    assert any("WZCQ01-20200101-0001" in p and "没有新增的审计记录" in p for p in problems)


def test_head_and_hash_at_follow_the_chain(world: World) -> None:
    empty = world.s.audit.head()
    assert empty.count > 0  # set-up wrote entries
    _register(world)
    head = world.s.audit.head()
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        hashes = uow.session.execute(text("SELECT hash FROM audit_log ORDER BY id")).scalars().all()
    assert head.count == len(hashes) and head.hash == hashes[-1]
    assert world.s.audit.hash_at(1) == hashes[0]
    assert world.s.audit.hash_at(empty.count) == empty.hash
    assert world.s.audit.hash_at(head.count + 1) is None and world.s.audit.hash_at(0) is None


def test_a_batch_written_by_an_older_program_is_noted_not_failed(world: World) -> None:
    cid, _number = _register(world)
    world.s.complaints.import_rows(iter(_copies(world, cid, 2)), "导入历史台账")
    # As the program before batch digests wrote it: the count and the label only.
    _sql(world, """UPDATE audit_log SET after = '{"label": "导入历史台账", "rows": 2}'
                   WHERE operation = 'bulk'""")
    _rehash(world)
    report = world.s.audit.verify()
    assert report.ok and any("旧版本程序的批量写入（2 条投诉）" in n for n in report.notes)
    _sql(world, """UPDATE audit_log SET after = '{"label": "导入历史台账", "rows": 1}'
                   WHERE operation = 'bulk'""")
    _rehash(world)
    assert sum("没有新增的审计记录" in p for p in world.s.audit.verify().problems) == 1


# -- what decides who may do what: roles, passwords, the settings, the number counters -----------
def _user_id(world: World, username: str) -> int:
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return uow.session.execute(text("SELECT id FROM users WHERE username = :u"),
                                   {"u": username}).scalar_one()


def test_a_role_written_into_the_table_is_detected(world: World) -> None:
    clerk = _user_id(world, "clerk")
    _sql(world, f"INSERT INTO user_roles VALUES ({clerk}, 'admin')")  # a clerk made administrator
    problems = world.s.audit.verify().problems
    assert any("用户「clerk」的角色「系统管理员」没有审计记录" in p for p in problems), problems
    _sql(world, f"DELETE FROM user_roles WHERE user_id = {clerk}")
    problems = world.s.audit.verify().problems
    assert any("用户「clerk」的角色「投诉站登记员」" in p and "被直接删除" in p for p in problems)
    assert not any("系统管理员" in p for p in problems)


def test_a_password_hash_copied_in_the_table_is_detected(world: World) -> None:
    admin, clerk = _user_id(world, "admin"), _user_id(world, "clerk")
    _sql(world, f"UPDATE users SET password_hash = (SELECT password_hash FROM users "
                f"WHERE id = {clerk}) WHERE id = {admin}")
    problems = world.s.audit.verify().problems
    assert "用户「admin」的「密码」与审计记录不符（在表中被直接改动）" in problems, problems
    # What the log holds is a digest, never the hash itself.
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        hashes = uow.session.execute(text("SELECT password_hash FROM users")).scalars().all()
        log = "\n".join(uow.session.execute(
            text("SELECT coalesce(before, '') || coalesce(after, '') FROM audit_log")).scalars())
    assert not any(h in log for h in hashes) and '"password_hash":"sha256:' in log


def test_settings_that_matter_changed_in_the_table_are_detected(world: World) -> None:
    from desktop.db.repositories import CodeRepository

    with UnitOfWork(world.s.ctx.engine) as uow:  # as enrolment writes them
        codes = CodeRepository(uow.session)
        codes.set_setting("sync.hub_url", "https://hub.example")
        codes.set_setting("sync.token", "a" * 64)
        uow.commit()
    with UnitOfWork(world.s.ctx.engine) as uow:  # and a re-enrolment
        CodeRepository(uow.session).set_setting("sync.token", "b" * 64)
        uow.commit()
    assert world.s.audit.verify().ok
    _sql(world, "UPDATE app_settings SET value = 'WZ' WHERE key = 'local_office_code'")
    _sql(world, "UPDATE app_settings SET value = 'c' WHERE key = 'sync.token'")
    _sql(world, "INSERT INTO app_settings VALUES ('sync.bundle_key', 'dd')")
    _sql(world, "DELETE FROM app_settings WHERE key = 'sync.hub_url'")
    problems = world.s.audit.verify().problems
    assert "设置「本单位代码」与审计记录不符（在表中被直接改动）" in problems
    assert "设置「本机设备凭据」与审计记录不符（在表中被直接改动）" in problems
    assert "设置「同步包签名密钥」没有审计记录（不经程序直接写入表中）" in problems
    assert any(p.startswith("设置「区局服务器地址」已不在表中") for p in problems)
    # Bookkeeping changed at every sync round is not held against the log.
    _sql(world, "UPDATE app_settings SET value = 'x' WHERE key = 'reference_generation'")
    assert not any("reference_generation" in p for p in world.s.audit.verify().problems)


def test_secrets_recorded_as_stars_by_an_older_program_are_noted_not_failed(world: World) -> None:
    from desktop.db.repositories import CodeRepository

    with UnitOfWork(world.s.ctx.engine) as uow:
        CodeRepository(uow.session).set_setting("sync.token", "a" * 64)
        uow.commit()
    with UnitOfWork(world.s.ctx.engine) as uow:
        CodeRepository(uow.session).set_setting("sync.token", "b" * 64)
        uow.commit()
    # As the program before digests wrote it: "***", and an update that names no key.
    _sql(world, """UPDATE audit_log SET
        before = replace(before, substr(before, instr(before, '"sha256:'), 73), '"***"'),
        after = replace(after, substr(after, instr(after, '"sha256:'), 73), '"***"')
        WHERE after LIKE '%sha256:%'""")
    _sql(world, """UPDATE audit_log SET before = '{"value": "***"}', after = '{"value": "***"}'
                   WHERE entity = 'app_settings' AND operation = 'update'""")
    _rehash(world)
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        assert not uow.session.execute(text(
            "SELECT count(*) FROM audit_log WHERE after LIKE '%sha256:%'")).scalar_one()
    admin = _user_id(world, "admin")
    _sql(world, f"UPDATE users SET password_hash = 'x' WHERE id = {admin}")
    report = world.s.audit.verify()
    assert report.ok, report.problems
    assert any("个用户的密码在旧版本程序写下的审计记录中只记为“***”" in n for n in report.notes)
    assert any("设置「本机设备凭据」的审计记录由旧版本程序写下" in n for n in report.notes)


def test_a_number_counter_set_back_is_detected(world: World) -> None:
    _register(world)
    _, number = _register(world)
    assert world.s.audit.verify().ok
    _sql(world, "UPDATE number_sequences SET last = 0")
    problems = world.s.audit.verify().problems
    assert any("投诉编号计数被直接改小或删除" in p and number in p and "计数为 0" in p
               for p in problems), problems
    _sql(world, "DELETE FROM number_sequences")
    assert any(number in p and "下次登记将与已有编号重复" in p
               for p in world.s.audit.verify().problems)
