"""The first start after the upgrade to encryption: a plain database (and the plain copies in
backups/) encrypted in place by an administrator's login; a crash at any step leaves a file the
program opens, with every row."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.bootstrap import (
    UPGRADE_STOP_ENV,
    encrypt_and_login,
    needs_encryption,
    open_services,
    unlock_and_login,
)
from desktop.db.connection import connect
from desktop.db.encrypt import is_plain
from desktop.domain.errors import AuthenticationError
from desktop.security import keys
from tests.conftest import PASSWORD, World, draft

ROOT = Path(__file__).resolve().parents[2]
NAME = "司马翠兰"
PHONE = "13861975320"


def _plain_office(world: World, target: Path) -> Path:
    """`target`: a data folder as a version before encryption left it — the world's database
    in the clear (with a complaint naming NAME and PHONE), no key file, and a plain copy in
    backups/ as a migration had taken."""
    changed = world.s.complaints.register(world.clerk, draft(complainant_name=NAME, complainant_phone=PHONE))
    evidence = target.parent / "证据.txt"
    evidence.write_text(f"{NAME} {PHONE}", encoding="utf-8")
    world.s.records.attach(world.clerk, changed.ids[0], evidence)
    source = paths.database_path(world.s.ctx.data_dir)
    key = world.s.ctx.keyring.key  # type: ignore[union-attr]
    world.s.close()
    target.mkdir(parents=True)
    plain = paths.database_path(target)
    con = connect(source, key)
    try:
        con.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
        con.execute("SELECT sqlcipher_export('plain')").fetchone()
        con.execute("DETACH DATABASE plain")
    finally:
        con.close()
    # The attachment as a version before encryption stored it: plain.
    sha = hashlib.sha256(evidence.read_bytes()).hexdigest()
    plain_file = paths.attachment_path(target, sha)
    plain_file.parent.mkdir(parents=True)
    plain_file.write_bytes(evidence.read_bytes())
    paths.backup_dir(target).mkdir()
    shutil.copyfile(plain, paths.backup_dir(target) / "hejie-20261101-090000-before-0012.db")
    assert is_plain(plain) and not keys.keys_path(target).exists()
    return target


def _complaints(s) -> int:  # type: ignore[no-untyped-def]
    with s.ctx.engine.connect() as c:
        return c.exec_driver_sql("SELECT count(*) FROM complaints").scalar()


def _holds_clear_text(path: Path) -> bool:
    blob = path.read_bytes()
    return PHONE.encode() in blob or NAME.encode() in blob


def test_an_administrators_login_encrypts_the_database_and_its_old_copies(world: World, tmp_path: Path) -> None:
    data_dir = _plain_office(world, tmp_path / "old")
    copy = paths.backup_dir(data_dir) / "hejie-20261101-090000-before-0012.db"
    assert _holds_clear_text(paths.database_path(data_dir)) and _holds_clear_text(copy)
    assert needs_encryption(data_dir)
    s = open_services(data_dir)  # plain, as before
    rows = _complaints(s)
    # A clerk's login does not encrypt: an administrator must.
    with pytest.raises(AuthenticationError, match="须由管理员登录"):
        encrypt_and_login(s, "clerk", PASSWORD)
    assert is_plain(paths.database_path(data_dir))
    s, admin = encrypt_and_login(s, "admin", PASSWORD)
    assert admin.username == "admin" and _complaints(s) == rows
    assert not is_plain(paths.database_path(data_dir)) and not is_plain(copy)
    assert not needs_encryption(data_dir)
    code = s.setup.first_recovery_key()
    # A colleague logging in while the program is open gets a wrap of their own.
    s.users.login("clerk", PASSWORD)
    s.close()
    leftovers = sorted(p.name for p in data_dir.iterdir() if p.is_file())
    assert leftovers == ["hejie.db", "hejie.keys"], leftovers  # no plain -wal, no partial files
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert not _holds_clear_text(path), path
    # A new start: the administrator's and the clerk's passwords open it, and the recovery key;
    # a colleague who has not logged in since waits for a password reset.
    for name in ("admin", "clerk"):
        keys.forget(data_dir)
        s, _ = unlock_and_login(data_dir, name, PASSWORD)
        assert _complaints(s) == rows
        s.close()
    keys.forget(data_dir)
    with pytest.raises(AuthenticationError):
        unlock_and_login(data_dir, "desk", PASSWORD)
    assert keys.KeyFile.read(data_dir).open_with_recovery(code) is not None  # type: ignore[union-attr]


STEPS = ("folded", "exported", "keys-written", "swapped", "keys-in-place", "copy-encrypted",
         "attachments-sealed")


@pytest.mark.parametrize("step", STEPS)
def test_an_upgrade_cut_short_at_any_step_leaves_a_database_that_opens(
        world: World, tmp_path: Path, step: str) -> None:
    data_dir = _plain_office(world, tmp_path / "old")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.bootstrap import encrypt_and_login, open_services\n"
        "from desktop.security import keys\n"
        "keys.use_kdf_params(keys.FAST_FOR_TESTS)\n"
        "s = open_services(Path(sys.argv[1]))\n"
        f"encrypt_and_login(s, 'admin', {PASSWORD!r})\n"
        "print('finished')\n"
    )
    env = {**os.environ, UPGRADE_STOP_ENV: step, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, str(data_dir)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 9 and "finished" not in done.stdout, done.stderr
    keys.forget(data_dir)
    if needs_encryption(data_dir):  # cut short before the swap: the plain file, whole
        assert step in ("folded", "exported", "keys-written")
        s = open_services(data_dir)
        assert s.ctx.keyring is None
        s, _ = encrypt_and_login(s, "admin", PASSWORD)  # the next login finishes the upgrade
    else:
        assert step in ("swapped", "keys-in-place", "copy-encrypted", "attachments-sealed")
        s, _ = unlock_and_login(data_dir, "admin", PASSWORD)
    try:
        with s.ctx.engine.connect() as c:
            assert c.exec_driver_sql(
                "SELECT count(*) FROM complaints WHERE complainant_phone = ?", (PHONE,)).scalar() == 1
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        s.close()
    copy = paths.backup_dir(data_dir) / "hejie-20261101-090000-before-0012.db"
    assert not is_plain(paths.database_path(data_dir)) and not is_plain(copy)
    assert sorted(p.name for p in data_dir.iterdir() if p.is_file()) == ["hejie.db", "hejie.keys"]
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert not _holds_clear_text(path), path
