"""The window's data folder on an installed program (desktop/app.py), and `hejie --smoke-test`,
which the installers' check (installers/ci-smoke.sh) runs on the installed bundle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from desktop import app as hejie
from desktop.ui import app as window
from tests.conftest import make_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The data folder the window would open, instead of opening it."""
    folders: list[Path] = []

    def run(argv: list[str]) -> int:
        folders.append(window.data_folder(window.parse_args(argv)))
        return 0

    monkeypatch.setattr(window, "main", run)
    monkeypatch.setenv("HEJIE_DATA_DIR", "")  # unset; restored after the test
    name = QCoreApplication.applicationName()
    yield folders
    QCoreApplication.setApplicationName(name)


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Program Files" / "Hejie"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "hejie.exe"))
    return folder


def test_a_per_machine_install_opens_the_machines_folder(
        bundle: Path, tmp_path: Path, started: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    machine = tmp_path / "ProgramData" / "Hejie"
    (bundle / "hejie.ini").write_text(f"[data]\nscope = machine\ndir = {machine}\n", "utf-8")
    assert hejie.main([]) == 0
    assert hejie.main(["--demo"]) == 0
    assert hejie.main(["--data-dir", str(tmp_path / "arg")]) == 0
    assert started == [machine, machine / "demo", tmp_path / "arg"]
    monkeypatch.setenv("HEJIE_DATA_DIR", str(tmp_path / "env"))
    assert hejie.main([]) == 0
    assert started[-1] == tmp_path / "env"


def test_a_per_user_install_opens_the_users_folder(
        bundle: Path, tmp_path: Path, started: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    (bundle / "hejie.ini").write_text("[data]\nscope = user\n", "utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert hejie.main([]) == 0
    assert started == [tmp_path / "xdg" / "Hejie"]


def test_unusable_install_settings_stop_the_start_with_a_reason(
        bundle: Path, started: list[Path], capsys: pytest.CaptureFixture[str], qapp) -> None:  # type: ignore[no-untyped-def]
    (bundle / "hejie.ini").write_text("[data]\nscope = machine\n", "utf-8")
    assert hejie.main([]) == 2
    assert started == []
    assert "安装设置文件" in capsys.readouterr().err


def test_a_folder_that_cannot_be_used_stops_the_start(
        tmp_path: Path, started: list[Path], capsys: pytest.CaptureFixture[str], qapp) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a file").write_text("")
    assert hejie.main(["--data-dir", str(tmp_path / "a file")]) == 2
    assert started == [] and "不是文件夹" in capsys.readouterr().err


def test_the_smoke_flag_is_taken_out_of_the_windows_arguments() -> None:
    args = ["--demo", "--smoke-test=/tmp/r.json", "--user", "x"]
    assert hejie._take_smoke_flag(args) == (True, Path("/tmp/r.json"))
    assert args == ["--demo", "--user", "x"]
    args = ["--smoke-test"]
    assert hejie._take_smoke_flag(args) == (True, None) and args == []
    assert hejie._take_smoke_flag(["--demo"]) == (False, None)


def _smoke(data_dir: Path, report: Path) -> tuple[subprocess.CompletedProcess[str], dict]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               HEJIE_DATA_DIR=str(data_dir), HEJIE_SMOKE_TIMEOUT="60")
    done = subprocess.run([sys.executable, "-m", "desktop.app", f"--smoke-test={report}"],
                          env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    return done, json.loads(report.read_text("utf-8"))


def test_the_smoke_test_shows_the_login_window_and_exits(tmp_path: Path) -> None:
    world = make_world(tmp_path / "office")
    world.s.close()
    done, facts = _smoke(tmp_path / "office", tmp_path / "report.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("hejie smoke test: ok ")
    assert facts["result"] == "ok" and facts["window"] == "LoginDialog" and facts["painted"]
    assert facts["data_dir"] == str(tmp_path / "office")
    assert not facts["frozen"] and facts["qtbase_zh_CN"]
    assert (tmp_path / "report.png").stat().st_size > 1000


def test_the_smoke_test_on_an_empty_folder_shows_the_first_start_dialog(tmp_path: Path) -> None:
    done, facts = _smoke(tmp_path / "new", tmp_path / "report.json")
    assert done.returncode == 0, done.stderr
    assert facts["window"] == "SetupDialog" and facts["painted"]
