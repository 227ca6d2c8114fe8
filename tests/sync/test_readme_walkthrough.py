"""The README's district-hub walk-through, run as written (bash, the installed commands): the
hub's offices with their tiers written as codes or as the labels the refusal names, the hub
served on loopback, the demo office enrolled and synced. It failed before: a station needs
--tier, and the tier's labels were refused. The commands are read from the README's block; only the
folders and the port are the test's own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main as admin_main


def walkthrough() -> str:
    """The README block after "A district hub on this PC", without its first line (`pip install
    -e '.[district]'`: the test environment has it): read from README.md, so the two never part."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("```bash", text.index("A district hub on this PC"))
    block = text[start + len("```bash\n"):text.index("```", start + 7)]
    lines = block.splitlines()
    assert lines[0].startswith(".venv/bin/pip install"), lines[0]
    return "\n".join(lines[1:]) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scripts() -> Path:
    """The folder of the installed commands (hejie-admin, hejie-district) beside this Python."""
    folder = Path(sys.executable).parent
    if not (folder / "hejie-district").exists() or not (folder / "hejie-admin").exists():
        pytest.skip("hejie-admin and hejie-district are not installed beside this Python "
                    "(pip install -e '.[test]' installs them)")
    return folder


@pytest.mark.skipif(shutil.which("bash") is None, reason="the walk-through is a bash session")
def test_the_readme_district_walkthrough_runs_as_written(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    demo = tmp_path / "hejie-demo"
    # The demo database the README made just before (60 complaints instead of 300: time).
    assert admin_main(["demo", "--data-dir", str(demo), "--complaints", "60"]) == 0
    capsys.readouterr()
    script = (walkthrough().replace(".venv/bin/", f"{_scripts()}/")
              .replace("/tmp/hub.db", f"{tmp_path}/hub.db")
              .replace("/tmp/hejie-demo", str(demo))
              .replace("8765", str(_free_port())))
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], capture_output=True,
                          text=True, timeout=240, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    out = done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    for code in ("WZCQ01", "WZCQ02", "WZCQ03"):
        assert f"已添加单位 {code}" in out
    assert "已登记：本机（单位 WZCQ）" in out
    assert "发送：确认" in out and "被拒绝 0 项" in out
    listed = {line.split("\t")[0]: line.split("\t") for line in out.splitlines() if "\t" in line}
    assert listed["WZCQ"][4] == "1"  # one device enrolled for the sub-bureau, and it synced
    assert listed["WZCQ"][5] != "—"
