"""hejie-district: the administrator's commands against a SQLite hub file."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from desktop.sync import bundle
from district import admin, devices, store
from district.cli import main
from district.hub import open_hub
from tests.sync.conftest import complaint_fields

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'hub.db'}"

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", db])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.db = db  # type: ignore[attr-defined]
    return run


def test_offices_codes_devices_and_tokens(run, tmp_path):
    assert run("migrate")[0] == 0
    assert run("office", "add", "WZ", "吴中区市场监督管理局", "--kind", "district")[0] == 0
    code, out, _ = run("office", "add", "wzcq", "长桥分局", "--kind", "sub_bureau", "--parent", "WZ")
    assert code == 0 and "WZCQ" in out and "分局" in out
    code, _, err = run("office", "add", "WZ", "重复", "--kind", "district")
    assert code == 1 and err.startswith("错误：") and "已存在" in err
    code, out, _ = run("office", "list")
    assert code == 0 and "吴中区市场监督管理局" in out and "长桥分局" in out
    code, out, err = run("enrol-code", "WZCQ", "--days", "3")
    enrol_code = out.strip()
    assert code == 0 and len(enrol_code) == 9 and "WZCQ" in err
    assert run("enrol-code", "NOPE")[0] == 1
    hub = open_hub(run.db)
    with hub.db.write() as session:
        enrolled = devices.enrol(session, enrol_code, "窗口电脑", hub.db.hub_id, hub.clock.now())
    code, out, _ = run("device", "list")
    assert code == 0 and enrolled.device_id in out and "正常" in out
    assert run("device", "revoke", enrolled.device_id)[0] == 0
    assert "已停用" in run("device", "list")[1]
    assert run("device", "revoke", "nobody")[0] == 1
    code, out, _ = run("admin-token")
    with hub.db.read() as session:
        assert code == 0 and admin.admin_token_valid(session, out.strip())
    hub.db.engine.dispose()


def test_dispatch_from_options_or_a_file(run, tmp_path):
    run("office", "add", "WZ", "吴中区市场监督管理局", "--kind", "district")
    run("office", "add", "WZCQ", "长桥分局", "--kind", "sub_bureau", "--parent", "WZ")
    code, out, _ = run("dispatch", "--office", "WZCQ", "--district-number", "12315-1",
                       "--received-at", "2026-11-19T10:00:00", "--complainant-name", "王强",
                       "--complainant-phone", "13900001111", "--respondent-name", "某餐厅",
                       "--subject", "餐饮服务", "--category-code", "catering", "--request", "退款",
                       "--facts", "异物", "--amount-cents", "5000")
    assert code == 0 and "WZ-20261119-900001" in out and "WZCQ" in out
    complaint = tmp_path / "complaint.json"
    complaint.write_text(json.dumps({"district_number": "12315-2", "received_at":
                                     "2026-11-19T11:00:00", "complainant_name": "李娜",
                                     "complainant_phone": "13900002222", "respondent_name": "某店",
                                     "subject": "服装", "category_code": "clothes",
                                     "request": "退货", "facts": "质量问题"}, ensure_ascii=False),
                         encoding="utf-8")
    code, out, _ = run("dispatch", "--office", "WZCQ", "--file", str(complaint))
    assert code == 0 and "WZ-20261119-900002" in out
    code, _, err = run("dispatch", "--office", "WZCQ", "--district-number", "3")
    assert code == 1 and "分流内容不完整" in err and "投诉人姓名（--complainant-name）必须填写" in err


def test_import_bundle_writes_the_receipt_and_refuses_a_bad_file(run, tmp_path):
    run("office", "add", "WZ", "吴中区市场监督管理局", "--kind", "district")
    hub = open_hub(run.db, tmp_path / "blobs")
    with hub.db.write() as session:
        code, _ = devices.issue_code(session, "WZ", hub.clock.now())
    with hub.db.write() as session:
        enrolled = devices.enrol(session, code, "", hub.db.hub_id, hub.clock.now())
    op = {"op_id": str(uuid.uuid4()), "entity": "complaints", "uuid": str(uuid.uuid4()),
          "kind": "upsert", "after": complaint_fields("WZ"), "made_at": "2026-11-20T10:00:00"}
    path = tmp_path / "WZ-1.hejie"
    bundle.write_file(path, bundle.SyncFile(
        kind=bundle.BUNDLE, bundle_id=str(uuid.uuid4()), device_id=enrolled.device_id,
        office="WZ", hub_id=enrolled.hub_id, content={"ops": [op], "cursor": None, "backlog": 0}),
        enrolled.bundle_key)
    code, out, _ = run("import-bundle", str(path), "--blob-dir", str(tmp_path / "blobs"))
    receipt_path = tmp_path / "WZ-1.receipt.hejie"
    assert code == 0 and "确认 1 条" in out and str(receipt_path) in out
    receipt = bundle.read(receipt_path.read_bytes(), enrolled.bundle_key, expect=bundle.RECEIPT)
    assert receipt.content["results"][0]["status"] == "acked"
    code, out, _ = run("import-bundle", str(path), "--receipt", str(tmp_path / "again"))
    assert code == 0 and "此前已导入" in out
    assert (tmp_path / "again").read_bytes() == receipt_path.read_bytes()
    broken = tmp_path / "broken.hejie"
    broken.write_bytes(path.read_bytes()[:200])
    code, _, err = run("import-bundle", str(broken))
    assert code == 1 and "未导入" in err and not (tmp_path / "broken.receipt.hejie").exists()
    with hub.db.read() as session:
        assert store.record(session, "complaints", op["uuid"])["version"] == 1
    hub.db.engine.dispose()


def test_prune_and_serve_guard(run):
    run("migrate")
    code, out, _ = run("prune", "--days", "30")
    assert code == 0 and "已清理 0 条" in out
    code, _, err = run("serve", "--host", "0.0.0.0", "--port", "0")
    assert code == 1 and "HTTPS" in err and "--insecure-http" in err
    code, _, err = run("serve", "--host", "0.0.0.0", "--tls-cert", "cert.pem")
    assert code == 1 and "--tls-key" in err


def test_the_module_runs_as_a_program():
    done = subprocess.run([sys.executable, "-m", "district.cli", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("serve", "office", "enrol-code", "device", "dispatch", "import-bundle",
                    "prune", "admin-token", "migrate"):
        assert command in done.stdout
