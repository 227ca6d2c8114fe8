"""Where the data lives (desktop/paths.py): --data-dir, then HEJIE_DATA_DIR, then an installed
bundle's per-machine folder (hejie.ini beside its executables, written by the installer), then
the user's own folder; and what the installer's settings file may say."""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.cli import main as cli


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PyInstaller bundle's folder: sys.frozen set, sys.executable inside it."""
    folder = tmp_path / "opt" / "hejie"
    folder.mkdir(parents=True)
    (folder / "hejie-admin").write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "hejie-admin"))
    return folder


@pytest.fixture(autouse=True)
def per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own folder, wherever this test runs (XDG on Linux, APPDATA on Windows)."""
    monkeypatch.delenv("HEJIE_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "xdg"))
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Hejie"
    return tmp_path / "xdg" / "Hejie"


def machine_ini(folder: Path, data_dir: Path | str, scope: str = "machine") -> Path:
    ini = folder / paths.INSTALL_CONFIG
    ini.write_text(f"; written by the installer\n[data]\nscope = {scope}\ndir = {data_dir}\n", "utf-8")
    return ini


def cli_data_dir(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The folder hejie-admin uses: `check` names the database it looked for."""
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "不存在" in err, err
    return err.split("数据库文件 ", 1)[1].split(" 不存在")[0]


def test_a_program_run_from_source_is_per_user(per_user: Path) -> None:
    assert paths.install_config_path() is None
    assert paths.default_data_dir() == per_user


def test_a_bundle_without_install_settings_is_per_user(bundle: Path, per_user: Path) -> None:
    assert paths.install_config_path() == bundle / "hejie.ini"
    assert paths.default_data_dir() == per_user


def test_a_per_machine_install_puts_every_user_in_the_machines_folder(
        bundle: Path, tmp_path: Path) -> None:
    machine_ini(bundle, tmp_path / "var" / "lib" / "hejie")
    assert paths.installed_data_dir() == tmp_path / "var" / "lib" / "hejie"
    assert paths.default_data_dir() == tmp_path / "var" / "lib" / "hejie"


def test_a_per_user_install_keeps_the_users_folder(bundle: Path, per_user: Path) -> None:
    machine_ini(bundle, "", scope="user")
    assert paths.installed_data_dir() is None
    assert paths.default_data_dir() == per_user


def test_the_settings_file_is_found_through_a_symlinked_executable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/usr/bin/hejie-admin -> /opt/hejie/hejie-admin: the settings are beside the real one."""
    real = tmp_path / "opt" / "hejie"
    real.mkdir(parents=True)
    (real / "hejie-admin").write_text("")
    machine_ini(real, tmp_path / "shared")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "hejie-admin").symlink_to(real / "hejie-admin")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "hejie-admin"))
    assert paths.default_data_dir() == tmp_path / "shared"


def test_the_environment_variable_wins_over_the_install(
        bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine_ini(bundle, tmp_path / "machine")
    monkeypatch.setenv("HEJIE_DATA_DIR", str(tmp_path / "env"))
    assert paths.default_data_dir() == tmp_path / "env"


def test_hejie_admin_resolution_order(bundle: Path, tmp_path: Path, per_user: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """--data-dir > HEJIE_DATA_DIR > the installed per-machine folder > the user's own."""
    def db(folder: Path) -> str:
        return str(folder / "hejie.db")

    assert cli_data_dir(["check"], capsys) == db(per_user)
    machine_ini(bundle, tmp_path / "machine")
    assert cli_data_dir(["check"], capsys) == db(tmp_path / "machine")
    monkeypatch.setenv("HEJIE_DATA_DIR", str(tmp_path / "env"))
    assert cli_data_dir(["check"], capsys) == db(tmp_path / "env")
    assert cli_data_dir(["check", "--data-dir", str(tmp_path / "arg")], capsys) == db(tmp_path / "arg")


def test_the_settings_may_come_in_utf16_gbk_or_with_variables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini = tmp_path / "hejie.ini"
    ini.write_bytes(codecs.BOM_UTF16_LE + "[data]\r\nscope=machine\r\ndir=/srv/和解台\r\n".encode("utf-16-le"))
    assert paths.installed_data_dir(ini) == Path("/srv/和解台")
    ini.write_bytes("[data]\nscope = machine\ndir = /srv/和解台\n".encode("gbk"))
    assert paths.installed_data_dir(ini) == Path("/srv/和解台")
    monkeypatch.setenv("HEJIE_TEST_ROOT", str(tmp_path))
    var = "%HEJIE_TEST_ROOT%" if os.name == "nt" else "$HEJIE_TEST_ROOT"
    ini.write_text(f"[data]\nscope = Machine\ndir = {var}{os.sep}Hejie\n", "utf-8")
    assert paths.installed_data_dir(ini) == tmp_path / "Hejie"


@pytest.mark.parametrize("text, says", [
    ("[data]\nscope = everyone\ndir = /srv/hejie\n", "scope"),
    ("[data]\nscope = machine\n", "dir"),
    ("[data]\nscope = machine\ndir = relative/folder\n", "dir"),
    ("[data]\nscope = machine\ndir = $HEJIE_NO_SUCH_VARIABLE/x\n", "dir"),
    ("not an ini file\n", "格式有误"),
    ("[other]\nscope = machine\n", "scope"),
])
def test_unusable_settings_are_refused_by_name(tmp_path: Path, text: str, says: str) -> None:
    ini = tmp_path / "hejie.ini"
    ini.write_text(text, "utf-8")
    with pytest.raises(paths.InstallConfigError) as refused:
        paths.installed_data_dir(ini)
    assert str(ini) in str(refused.value) and says in str(refused.value)


def test_hejie_admin_warns_about_unusable_settings_and_uses_the_users_folder(
        bundle: Path, per_user: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / "hejie.ini").write_text("[data]\nscope = everyone\n", "utf-8")
    assert paths.default_data_dir() == per_user
    assert "警告：安装设置文件" in capsys.readouterr().err


def test_a_missing_settings_file_is_no_install(tmp_path: Path) -> None:
    assert paths.read_install_config(tmp_path / "hejie.ini") is None
    assert paths.installed_data_dir(tmp_path / "hejie.ini") is None


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_this_user_may_not_write_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        assert "不能在数据文件夹" in (paths.access_problem(locked) or "")
        assert "不能在数据文件夹" in (paths.access_problem(locked / "new") or "")
    finally:
        locked.chmod(0o700)


def test_a_writable_or_creatable_folder_is_fine(tmp_path: Path) -> None:
    assert paths.access_problem(tmp_path) is None
    assert paths.access_problem(tmp_path / "a" / "b") is None
    assert not list(tmp_path.iterdir())  # the check leaves nothing behind
    (tmp_path / "file").write_text("")
    assert "不是文件夹" in (paths.access_problem(tmp_path / "file") or "")


@pytest.mark.skipif(os.name != "posix", reason="groups and the setgid bit are POSIX")
@pytest.mark.parametrize("members, primary, says", [
    ([], 100, "sudo adduser wangfang hejie"),
    (["wangfang"], 100, "注销"),
])
def test_a_shared_folder_says_which_group_to_join(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[str], primary: int,
        says: str) -> None:
    import grp
    import pwd

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2770)
    group = grp.struct_group(("hejie", "x", shared.stat().st_gid, members))
    user = pwd.struct_passwd(("wangfang", "x", 1000, primary, "", "/home/wangfang", "/bin/sh"))
    monkeypatch.setattr(grp, "getgrgid", lambda gid: group)
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: user)
    assert says in paths._group_hint(shared)
