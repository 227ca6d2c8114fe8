"""Audit anchors at the hub: each office's audit head kept at every sync, and each kind of
verdict on what the office reports (anchored, ok, restored, diverged)."""

from __future__ import annotations

import pytest

from desktop.sync.protocol import AuditAnchors, AuditHead, AuditVerdict
from district.cli import main


def _h(n: int, branch: str = "a") -> str:
    return f"{branch}{n:063d}"


def _anchors(device, upto: int) -> AuditAnchors:
    response = device.call("GET", "/audit", params={"upto": upto})
    assert response.status_code == 200, response.text
    return AuditAnchors.model_validate(response.json())


def _report(device, count: int, hash_: str, at_latest: str | None = None,
            at_upto: str | None = None) -> AuditVerdict:
    response = device.call("POST", "/audit", json={
        "head": {"count": count, "hash": hash_}, "at_latest": at_latest, "at_upto": at_upto})
    assert response.status_code == 200, response.text
    return AuditVerdict.model_validate(response.json())


def test_each_kind_of_audit_verdict(hub):
    station, sibling, other = hub.enrol("WZCQ01"), hub.enrol("WZCQ01"), hub.enrol("WZMD01")
    assert _anchors(station, 0) == AuditAnchors()
    # The first report is anchored.
    first = _report(station, 3, _h(3))
    assert (first.status, first.anchor) == ("anchored", AuditHead(count=3, hash=_h(3)))
    assert first.message.startswith("区局平台已记下本机审计日志的位置（共 3 条）")
    # A log that continues the anchored one moves the anchor. Each device (each PC's database)
    # has its own chain and its own anchors: another PC of the office starts its own.
    assert _report(sibling, 2, _h(2, "s")).status == "anchored"
    ok = _report(station, 5, _h(5), at_latest=_h(3))
    assert (ok.status, ok.anchor) == ("ok", AuditHead(count=5, hash=_h(5)))
    assert _report(station, 5, _h(5), at_latest=_h(5)).status == "ok"
    assert _anchors(sibling, 9) == AuditAnchors(latest=AuditHead(count=2, hash=_h(2, "s")),
                                                upto=AuditHead(count=2, hash=_h(2, "s")))
    assert _anchors(station, 4) == AuditAnchors(latest=AuditHead(count=5, hash=_h(5)),
                                                upto=AuditHead(count=3, hash=_h(3)))
    assert _anchors(station, 2) == AuditAnchors(latest=AuditHead(count=5, hash=_h(5)))
    # Disagreeing with the anchor its database knew: history was rewritten; the anchor stays.
    for diverged in (_report(station, 4, _h(4, "b"), at_upto=_h(3, "b")),
                     _report(station, 6, _h(6, "b"), at_latest=_h(5, "b"), at_upto=_h(5, "b")),
                     _report(station, 5, _h(5, "b"), at_latest=_h(5, "b")),
                     _report(station, 0, "")):  # the log emptied altogether
        assert (diverged.status, diverged.anchor) == ("diverged", AuditHead(count=5, hash=_h(5)))
        assert "被改写" in diverged.message
    # Agreeing with an earlier anchor but not the latest: a database older than its last sync,
    # restored from a backup. The hub starts a new line of anchors at the office's head.
    restored = _report(station, 4, _h(4), at_upto=_h(3))
    assert (restored.status, restored.anchor) == ("restored", AuditHead(count=4, hash=_h(4)))
    assert "备份恢复" in restored.message and "请先同步" in restored.message
    assert _anchors(station, 4) == AuditAnchors(latest=AuditHead(count=4, hash=_h(4)),
                                                upto=AuditHead(count=4, hash=_h(4)))
    # The restored office goes on, and its next syncs agree with the new line.
    assert _report(station, 9, _h(9), at_latest=_h(4)).status == "ok"
    # Each office has its own anchors; the administrator sees each office's last verdict.
    assert _report(other, 5, _h(5, "c")).status == "anchored"
    offices = hub.offices()
    assert offices["WZCQ01"].audit_status == "ok" and offices["WZCQ01"].audit_at
    # The restore stays in sight after later syncs agree again.
    assert offices["WZCQ01"].audit_problem == "restored" and offices["WZCQ01"].audit_problem_at
    assert offices["WZMD01"].audit_status == "anchored"
    assert offices["WZCQ"].audit_status is None


def test_a_restored_office_that_went_on_working_is_a_restore_not_a_rewrite(hub):
    station = hub.enrol("WZCQ01")
    _report(station, 3, _h(3))
    _report(station, 5, _h(5), at_latest=_h(3))
    # Restored from a backup of 4 entries made after the sync at 3, then 3 more entries written
    # before anyone synced: longer than the latest anchor, forked from it at 4. The office's
    # database remembers the anchor at 3 and asks about it.
    assert _anchors(station, 3).upto == AuditHead(count=3, hash=_h(3))
    verdict = _report(station, 7, _h(7, "r"), at_latest=_h(5, "r"), at_upto=_h(3))
    assert (verdict.status, verdict.anchor) == ("restored", AuditHead(count=7, hash=_h(7, "r")))
    assert _report(station, 8, _h(8, "r"), at_latest=_h(7, "r")).status == "ok"


def test_the_administrator_accepts_a_rewritten_log_after_looking_into_it(hub, capsys):
    if hub.kind != "sqlite":
        pytest.skip("the command line reads the same tables; one backend is enough")
    station = hub.enrol("WZCQ01")
    _report(station, 3, _h(3))
    assert _report(station, 4, _h(4, "x"), at_latest=_h(3, "x")).status == "diverged"
    assert _report(station, 5, _h(5, "x"), at_latest=_h(3, "x")).status == "diverged"
    assert main(["office", "audit-accept", "WZCQ01", "--db", hub.db_url]) == 0
    assert "新的核对起点" in capsys.readouterr().out
    accepted = _report(station, 5, _h(5, "x"), at_latest=_h(3, "x"))
    assert (accepted.status, accepted.anchor) == ("anchored", AuditHead(count=5, hash=_h(5, "x")))
    assert _report(station, 6, _h(6, "x"), at_latest=_h(5, "x")).status == "ok"
    # An office that never reported cannot be accepted.
    assert main(["office", "audit-accept", "WZMD01", "--db", hub.db_url]) == 1
    assert "还没有向区局平台报告过审计日志" in capsys.readouterr().err


def test_audit_needs_a_device_and_takes_a_session_when_given(hub):
    assert hub.http.get("/audit", params={"upto": 0}).status_code == 401
    station = hub.enrol("WZCQ01")
    station.open()  # inside a sync the session header comes along and is checked
    assert _report(station, 1, _h(1)).status == "anchored"
    stale = station.call("POST", "/audit", json={"head": {"count": 1, "hash": _h(1)}},
                         headers={"X-Hejie-Session": "not-a-session"})
    assert stale.status_code == 409


def test_the_office_list_shows_the_last_audit_verdict(hub, capsys):
    if hub.kind != "sqlite":
        pytest.skip("the command line reads the same tables; one backend is enough")
    station = hub.enrol("WZCQ01")
    _report(station, 2, _h(2))
    _report(station, 3, _h(3, "b"), at_latest=_h(2, "b"))
    assert main(["office", "list", "--db", hub.db_url]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0][-1] == "审计核对"
    row = next(line for line in lines if line[0] == "WZCQ01")
    assert row[-1].startswith("历史被改写（")
    assert next(line for line in lines if line[0] == "WZMD01")[-1] == "—"


def test_each_device_keeps_its_own_anchors_and_is_accepted_on_its_own(hub, capsys):
    # Two PCs of one office: each database has its own chain, so each device its own anchors.
    pc1, pc2 = hub.enrol("WZCQ01", "一号机"), hub.enrol("WZCQ01", "二号机")
    for n in (3, 5, 8):
        for pc, branch in ((pc1, "p"), (pc2, "q")):
            last = _anchors(pc, n).latest
            verdict = _report(pc, n, _h(n, branch), at_latest=last.hash if last else None)
            assert verdict.status == ("anchored" if n == 3 else "ok")
            assert verdict.anchor == AuditHead(count=n, hash=_h(n, branch))
    # A rewrite on one PC is diverged for that PC only.
    assert _report(pc2, 9, _h(9, "x"), at_latest=_h(8, "x")).status == "diverged"
    assert _report(pc1, 9, _h(9, "p"), at_latest=_h(8, "p")).status == "ok"
    listed = hub.offices()["WZCQ01"]
    assert (listed.audit_status, listed.audit_device) == ("diverged", pc2.device_id)
    assert listed.audit_problem == "diverged"
    if hub.kind == "sqlite":  # the command line reads the same tables; one backend is enough
        assert main(["office", "list", "--db", hub.db_url]) == 0
        row = next(line.split("\t") for line in capsys.readouterr().out.splitlines()
                   if line.startswith("WZCQ01\t"))
        assert row[-1].startswith("历史被改写（") and f"设备 {pc2.device_id}" in row[-1]
        assert main(["office", "audit-accept", "WZCQ01", "--device", "not-a-device",
                     "--db", hub.db_url]) == 1
        assert "还没有向区局平台报告过审计日志" in capsys.readouterr().err
        assert main(["office", "audit-accept", "wzcq01", "--device", pc2.device_id,
                     "--db", hub.db_url]) == 0
        assert f"设备 {pc2.device_id}" in capsys.readouterr().out
    else:
        from district import audit
        with hub.state.db.write() as session:
            assert audit.accept(session, "WZCQ01", pc2.device_id) == [pc2.device_id]
    # The accepted PC starts a new line; the other PC's line goes on untouched.
    accepted = _report(pc2, 9, _h(9, "x"), at_latest=_h(8, "x"))
    assert (accepted.status, accepted.anchor) == ("anchored", AuditHead(count=9, hash=_h(9, "x")))
    assert _report(pc1, 10, _h(10, "p"), at_latest=_h(9, "p")).status == "ok"
    listed = hub.offices()["WZCQ01"]
    assert listed.audit_status in ("ok", "anchored") and listed.audit_problem == "diverged"
    # A replaced PC (a new device) starts its own line; the old one, once revoked, no longer
    # speaks for the office's current state, though its last problem stays in sight.
    assert _report(pc2, 12, _h(12, "y"), at_latest=_h(9, "y")).status == "diverged"
    assert hub.offices()["WZCQ01"].audit_status == "diverged"
    hub.revoke(pc2.device_id)
    pc3 = hub.enrol("WZCQ01", "新电脑")
    assert _report(pc3, 4, _h(4, "y")).status == "anchored"
    listed = hub.offices()["WZCQ01"]
    assert listed.audit_status in ("ok", "anchored") and listed.audit_problem == "diverged"
    # Accepting the whole office marks each of its devices.
    from district import audit
    with hub.state.db.write() as session:
        assert sorted(audit.accept(session, "WZCQ01")) == sorted(
            [pc1.device_id, pc2.device_id, pc3.device_id])
