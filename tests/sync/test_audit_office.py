"""The office side of the audit with a real hub on loopback: no secret of the enrolment is
written into the audit log, records pulled from the district are covered by the log, and
`audit verify` still reports the local result when the hub cannot be reached."""

from __future__ import annotations

from sqlalchemy import text

from desktop.cli.main import main as admin_main
from desktop.db.repositories import CodeRepository
from desktop.db.uow import UnitOfWork
from tests.sync.office import office, register


def _log_text(world) -> str:  # type: ignore[no-untyped-def]
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        rows = uow.session.execute(text("SELECT before, after FROM audit_log")).all()
    return "\n".join(f"{b or ''} {a or ''}" for b, a in rows)


def _settings(world) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with UnitOfWork(world.s.ctx.engine, write=False) as uow:
        return CodeRepository(uow.session).settings_under("sync.")


def test_enrolment_writes_no_secret_into_the_audit_log(hub, tmp_path):
    station, _faults = office(tmp_path, "station", "WZCQ01", hub)
    stored = _settings(station)
    assert len(stored["token"]) > 16 and len(stored["bundle_key"]) > 16
    register(station)
    station.s.sync.run()  # remembers (and forgets) its session on the way
    log = _log_text(station)
    assert stored["token"] not in log and stored["bundle_key"] not in log
    assert '"key":"sync.token","value":"sha256:' in log
    assert '"key":"sync.bundle_key","value":"sha256:' in log
    assert station.s.audit.verify().ok


def test_records_pulled_from_the_district_verify(hub, tmp_path):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    bureau, _ = office(tmp_path, "bureau", "WZCQ", hub)
    cid = register(station)
    station.s.complaints.accept(station.clerk, cid, expected_version=1)
    station.s.sync.run()
    bureau.s.sync.run()
    report = bureau.s.audit.verify()
    assert report.ok, report.problems
    assert report.records > 0


def test_verify_reports_the_local_result_when_the_hub_is_unreachable(hub, tmp_path, capsys):
    station, _ = office(tmp_path, "station", "WZCQ01", hub)
    register(station)
    with UnitOfWork(station.s.ctx.engine) as uow:
        CodeRepository(uow.session).set_setting("sync.hub_url", "http://127.0.0.1:9")
        uow.commit()
    data_dir = str(station.s.ctx.data_dir)
    assert admin_main(["audit", "verify", "--data-dir", data_dir]) == 0
    out = capsys.readouterr().out
    assert "连接不上区局同步服务器" in out and "审计日志完整" in out
    assert station.s.audit.last_anchor() is None


def test_verify_of_an_office_not_enrolled_says_so(tmp_path, capsys):
    station, _ = office(tmp_path, "station", "WZCQ01", None, enrol=False)
    assert admin_main(["audit", "verify", "--data-dir", str(station.s.ctx.data_dir)]) == 0
    assert "未登记到区局同步" in capsys.readouterr().out
