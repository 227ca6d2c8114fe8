"""Prints and exports of unmasked personal data are logged: who, when, what, how many people;
masked ones are not; the administrator reads the log (service and `hejie-admin audit outputs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import FieldError, PermissionDenied
from desktop.services.printing import FormRequest
from tests.conftest import PASSWORD, World, draft


def _register(world: World, **fields: object) -> int:
    return world.s.complaints.register(world.clerk, draft(**fields)).ids[0]


def test_a_printed_form_with_the_complainant_in_full_is_logged_with_one_person(world: World):
    cid = _register(world)
    number = world.s.complaints.get(world.clerk, cid).number
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    assert rendered.people == 1
    world.s.printing.record(world.clerk, rendered, "print")
    world.s.printing.record(world.clerk, rendered, "pdf")
    lines = world.s.personal_data.outputs(world.admin)
    assert [(x.username, x.kind, x.what, x.scope, x.complaints, x.people) for x in lines] == [
        ("clerk", "存为 PDF", rendered.form.title, number, 1, 1),
        ("clerk", "打印", rendered.form.title, number, 1, 1)]
    assert lines[0].file == rendered.filename and lines[1].file == ""
    # Someone who sees the complainant masked prints nothing personal: not logged.
    masked = world.s.printing.render(world.cp, FormRequest("registration", complaint_id=cid))
    assert masked.people == 0
    world.s.printing.record(world.cp, masked, "print")
    # Nor does the printed ledger (surnames only).
    ledger = world.s.printing.render(world.clerk, FormRequest("ledger"))
    world.s.printing.record(world.clerk, ledger, "print")
    assert len(world.s.personal_data.outputs(world.admin)) == 2
    # The log is in the audit log, whose chain still verifies.
    assert world.s.audit.verify().ok


def test_a_ledger_export_is_logged_with_its_distinct_people(world: World, tmp_path: Path):
    _register(world, complainant_name="张伟", complainant_phone="13812345678")
    _register(world, complainant_name="张伟", complainant_phone="13812345678")  # again
    _register(world, complainant_name="李娜", complainant_phone="13900001111")
    out = tmp_path / "台账.xlsx"
    result = world.s.ledger_export.export(world.desk, ComplaintFilter(), out)
    assert result.personal_in_full
    [line] = world.s.personal_data.outputs(world.admin)
    assert (line.username, line.kind, line.what, line.file) == ("desk", "导出 Excel",
                                                                "投诉举报台账（Excel）", "台账.xlsx")
    assert (line.complaints, line.people) == (3, 2)
    assert "期间：全部" in line.scope
    # A masked export (消保科) is not an output of personal data.
    world.s.ledger_export.export(world.cp, ComplaintFilter(), tmp_path / "masked.xlsx")
    assert len(world.s.personal_data.outputs(world.admin)) == 1


def test_the_log_is_the_administrators_and_filtered_by_day(world: World, tmp_path: Path):
    cid = _register(world)
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    world.s.printing.record(world.clerk, rendered, "print")
    with pytest.raises(PermissionDenied):
        world.s.personal_data.outputs(world.clerk)
    today = world.s.personal_data.outputs(world.admin)[0].at.date()
    assert len(world.s.personal_data.outputs(world.admin, today, today)) == 1
    from datetime import timedelta

    later = today + timedelta(days=1)
    assert world.s.personal_data.outputs(world.admin, later, later) == []
    assert world.s.personal_data.outputs(world.admin, None, today - timedelta(days=1)) == []
    with pytest.raises(FieldError, match="截止日期"):
        world.s.personal_data.outputs(world.admin, later, today)


def test_the_command_line_export_and_print_are_logged_and_listed(world: World, tmp_path: Path,
                                                                  monkeypatch, capsys):
    cid = _register(world)
    number = world.s.complaints.get(world.clerk, cid).number
    data_dir = world.s.ctx.data_dir
    world.s.close()
    monkeypatch.setenv("HEJIE_PASSWORD", PASSWORD)
    assert main(["export", "ledger", "--out", str(tmp_path / "l.xlsx"), "--data-dir",
                 str(data_dir)]) == 0
    assert main(["print", "registration", "--complaint", number, "--user", "clerk", "--out",
                 str(tmp_path / "r.pdf"), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["audit", "outputs", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr()
    rows = [r.split("\t") for r in out.out.splitlines()[1:]]
    assert [(r[1], r[2], r[5], r[6]) for r in rows] == [
        ("clerk", "命令行打印", "1", "1"), ("admin", "命令行导出 Excel", "1", "1")]
    assert "共 2 次输出" in out.err
