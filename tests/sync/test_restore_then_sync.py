"""An office restored from its own backup is told to sync before it registers; the first sync
brings back what it registered after the backup, and the numbering goes on past it (the rule
from the audit-anchor work, now set off by the restore itself). Real hub on loopback."""

from __future__ import annotations

from desktop.bootstrap import open_services, restore
from desktop.cli.main import main as admin_main
from desktop.services.base import FixedClock
from desktop.services.restore import check_backup
from tests.conftest import NOW, PASSWORD, draft
from tests.sync.office import office, register


def _numbers(s) -> set[str]:  # type: ignore[no-untyped-def]
    with s.ctx.engine.connect() as connection:
        return {r[0] for r in connection.exec_driver_sql("SELECT number FROM complaints")}


def test_after_a_restore_the_office_syncs_first_and_numbers_on(hub, tmp_path, capsys):
    station, faults = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    station.s.sync.run()
    backup = station.s.backups.make(station.admin, folder=tmp_path / "usb")
    assert station.s.backups.status().sync_first == ""
    after = {station.s.complaints.get(station.clerk, register(station)).number for _ in range(2)}
    station.s.sync.run()  # the two registered after the backup reach the district
    data_dir = station.s.ctx.data_dir
    station.s.close()

    # Restored from the command line, as an administrator without the window would.
    assert admin_main(["restore", str(backup.path), "--yes", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "已从备份" in out and "请先同步一次，再登记新投诉" in out

    s = open_services(data_dir, clock=FixedClock(NOW))
    try:
        s.sync.client_factory = station.s.sync.client_factory
        assert not after & _numbers(s)
        status = s.backups.status()
        assert "请先同步一次，再登记新投诉" in status.sync_first
        s.sync.run()
        assert s.backups.status().sync_first == ""  # said until a round has succeeded
        assert after <= _numbers(s)  # what was registered after the backup came back
        clerk = s.users.login("clerk", PASSWORD)
        new = s.complaints.get(clerk, s.complaints.register(clerk, draft()).ids[0]).number
        assert new not in after  # the day's numbering moved past the returned numbers
    finally:
        s.close()


def test_a_restore_in_an_office_never_enrolled_asks_for_no_sync(world, tmp_path):
    backup = world.s.backups.make(world.admin, folder=tmp_path / "usb")
    world.s.close()
    checked = check_backup(backup.path, world.s.ctx.data_dir, world.clock)
    _, reminder = restore(world.s.ctx.data_dir, checked, username="admin", display="管理员",
                          clock=world.clock)
    assert reminder == ""
