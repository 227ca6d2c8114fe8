"""The hub keeps each office's audit head; a rewritten history is found, a restore is not
taken for tampering. Real hub on loopback (GET/POST /audit), real office database."""

from __future__ import annotations

import shutil
from datetime import datetime

from sqlalchemy import text

from desktop import paths
from desktop.bootstrap import open_services
from desktop.cli.main import main as admin_main
from desktop.db.migrate import backup_file
from desktop.db.uow import GENESIS_HASH, UnitOfWork, entry_hash
from desktop.security.keys import keys_path
from desktop.services.base import FixedClock
from tests.conftest import NOW, PASSWORD, draft
from tests.sync.office import office, register


def _client(world):  # type: ignore[no-untyped-def]
    client = world.s.audit.hub_client()
    assert client is not None
    return client


def _anchor(world):  # type: ignore[no-untyped-def]
    client = _client(world)
    try:
        return world.s.audit.anchor(client)
    finally:
        client.close()


def _rewrite(world, entry_id: int) -> None:  # type: ignore[no-untyped-def]
    """Edit one entry and recompute every hash: the local chain verifies again."""
    with UnitOfWork(world.s.ctx.engine) as uow:
        uow.session.execute(text("UPDATE audit_log SET username = 'someone' WHERE id = :i"),
                            {"i": entry_id})
        prev = GENESIS_HASH
        for row in uow.session.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings().all():
            fields = {**row, "at": datetime.fromisoformat(str(row["at"])), "prev_hash": prev}
            prev = entry_hash(fields)
            uow.session.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                                {"p": fields["prev_hash"], "h": prev, "i": row["id"]})
        uow.commit()


def test_first_report_anchors_and_a_continued_log_is_ok(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    first = _anchor(station)
    assert first is not None and first.status == "anchored"
    register(station)
    verdict = _anchor(station)
    assert verdict is not None and verdict.status == "ok"
    assert verdict.anchor is not None and verdict.anchor.count >= first.anchor.count  # type: ignore[union-attr]
    stored = station.s.audit.last_anchor()
    assert stored is not None and stored.status == "ok" and stored.label == "一致"


def test_rewritten_history_is_diverged_and_the_cli_fails(hub, tmp_path, capsys):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    assert _anchor(station).status == "anchored"  # type: ignore[union-attr]
    _rewrite(station, 5)
    assert station.s.audit.verify().ok  # the chain alone cannot tell
    verdict = _anchor(station)
    assert verdict is not None and verdict.status == "diverged"
    assert station.s.audit.last_anchor().status == "diverged"  # type: ignore[union-attr]
    assert admin_main(["audit", "verify", "--data-dir", str(station.s.ctx.data_dir)]) == 1
    assert "历史被改写" in capsys.readouterr().out


def _backed_up_then_restored(station, tmp_path, registered_after: int):  # type: ignore[no-untyped-def]
    """Back the station's database up, register `registered_after` complaints and anchor them,
    then put the backup back in place: the station's program reopened on its backup."""
    backup = tmp_path / "backup"
    backup.mkdir()
    copy = backup_file(paths.database_path(station.s.ctx.data_dir), backup, "test",
                       station.s.ctx.keyring.key)
    copy.rename(backup / paths.DB_FILENAME)
    shutil.copyfile(keys_path(station.s.ctx.data_dir), keys_path(backup))  # its key file
    for _ in range(registered_after):
        register(station)
    assert _anchor(station).status == "ok"  # type: ignore[union-attr]
    station.s.close()
    data_dir = station.s.ctx.data_dir
    shutil.rmtree(data_dir)
    shutil.copytree(backup, data_dir)
    return data_dir, open_services(data_dir, clock=FixedClock(NOW))


def test_a_restored_backup_is_reported_as_a_restore(hub, tmp_path, capsys):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    assert _anchor(station).status == "anchored"  # type: ignore[union-attr]
    data_dir, restored = _backed_up_then_restored(station, tmp_path, 1)
    try:
        client = restored.audit.hub_client()
        assert client is not None
        verdict = restored.audit.anchor(client)
        client.close()
        restored_text = restored.audit.last_anchor().label  # type: ignore[union-attr]
    finally:
        restored.close()
    assert verdict is not None and verdict.status == "restored"
    assert "从备份恢复" in restored_text
    # The hub started a new line at the restored log: the next check agrees.
    assert admin_main(["audit", "verify", "--data-dir", str(data_dir)]) == 0
    assert "一致" in capsys.readouterr().out


def test_a_restored_office_that_registered_before_syncing_is_still_a_restore(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    assert _anchor(station).status == "anchored"  # type: ignore[union-attr]
    _, restored = _backed_up_then_restored(station, tmp_path, 3)
    try:
        # Against the advice, the clerk registers more than was lost before the first sync:
        # the restored log is now longer than the one the hub anchored last.
        user = restored.users.login("clerk", PASSWORD)
        for _ in range(6):
            restored.complaints.register(user, draft())
        client = restored.audit.hub_client()
        assert client is not None
        verdict = restored.audit.anchor(client)
        client.close()
    finally:
        restored.close()
    assert verdict is not None and verdict.status == "restored"


def test_every_sync_round_anchors_the_audit_log(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    report = station.s.sync.run()
    assert report.audit_warning == ""
    assert station.s.audit.last_anchor().status == "anchored"  # type: ignore[union-attr]
    register(station)
    station.s.sync.run()
    assert station.s.audit.last_anchor().status == "ok"  # type: ignore[union-attr]
    assert hub.offices()["WZCQ01"].audit_status == "ok"
    # A rewritten anchored history shows in the round's report.
    _rewrite(station, 3)
    report = station.s.sync.run()
    assert "被改写" in report.audit_warning and report.audit_warning in report.messages
    assert hub.offices()["WZCQ01"].audit_status == "diverged"


def test_each_pc_of_an_office_is_anchored_on_its_own_log(hub, tmp_path):
    # Each office database has its own hash chain: two PCs of one office must never be held
    # against each other's anchors ("历史被改写" on every sync).
    pc1, _ = office(tmp_path, "pc1", "WZCQ01", hub)
    pc2, _ = office(tmp_path, "pc2", "WZCQ01", hub)
    seen = []
    for _round in range(3):
        for pc in (pc1, pc2):
            register(pc)
            report = pc.s.sync.run()
            assert report.audit_warning == ""
            seen.append(pc.s.audit.last_anchor().status)  # type: ignore[union-attr]
    assert seen == ["anchored", "anchored"] + ["ok"] * 4
    assert hub.offices()["WZCQ01"].audit_status == "ok"
    # A rewrite on one PC is diverged for that PC only.
    _rewrite(pc2, 3)
    assert "被改写" in pc2.s.sync.run().audit_warning
    assert pc2.s.audit.last_anchor().status == "diverged"  # type: ignore[union-attr]
    register(pc1)
    assert pc1.s.sync.run().audit_warning == ""
    assert pc1.s.audit.last_anchor().status == "ok"  # type: ignore[union-attr]
    listed = hub.offices()["WZCQ01"]
    assert listed.audit_status == "diverged"  # the worst of the office's PCs
    assert listed.audit_device == pc2.s.sync.settings().device_id
