"""The office database is encrypted (issue 21): the data key opens with any user's password or
the recovery key, never with a wrong one; a disabled user's password opens nothing; the file,
its write-ahead log and its backups do not hold a consumer's name or phone in the clear."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop import paths
from desktop.bootstrap import Locked, open_services, unlock_and_login, unlock_with_recovery
from desktop.db.connection import WrongKey, connect
from desktop.domain.complaint import ComplaintFilter
from desktop.domain.errors import AuthenticationError, FieldError
from desktop.security import keys
from tests.conftest import PASSWORD, USERS, World, draft

NAME = "欧阳翠花"
PHONE = "13957246813"


def _fresh_process(data_dir: Path) -> None:
    """As a new start of the program: no key opened yet."""
    keys.forget(data_dir)


def test_every_user_opens_the_database_and_a_wrong_password_is_refused(world: World) -> None:
    data_dir = world.s.ctx.data_dir
    world.s.close()
    _fresh_process(data_dir)
    with pytest.raises(Locked, match="请先用用户名和密码登录"):
        open_services(data_dir)
    with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
        unlock_and_login(data_dir, "admin", "wrong-password1")
    with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
        unlock_and_login(data_dir, "nobody", PASSWORD)
    for field in USERS:
        username = getattr(world, field).username
        _fresh_process(data_dir)
        s, user = unlock_and_login(data_dir, username, PASSWORD)
        assert user.username == username
        s.close()


def test_wrong_passwords_before_the_database_is_open_lock_the_name(world: World) -> None:
    """The start's login opens the database with the password, so the account's own counter in
    the database cannot see those tries: five wrong ones lock the name for fifteen minutes all
    the same, even against the right password; another name is not affected."""
    from datetime import datetime, timedelta

    from desktop.services.base import FixedClock

    data_dir = world.s.ctx.data_dir
    world.s.close()
    at = datetime(2026, 12, 5, 9, 0)
    for _ in range(4):
        _fresh_process(data_dir)
        with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
            unlock_and_login(data_dir, "clerk", "wrong-password1", FixedClock(at))
    with pytest.raises(AuthenticationError, match="连续错误 5 次，账户锁定 15 分钟"):
        unlock_and_login(data_dir, "clerk", "wrong-password1", FixedClock(at))
    with pytest.raises(AuthenticationError, match="已锁定，请 15 分钟后再试"):
        unlock_and_login(data_dir, "clerk", PASSWORD, FixedClock(at + timedelta(seconds=30)))
    s, _admin = unlock_and_login(data_dir, "admin", PASSWORD, FixedClock(at))
    s.close()
    _fresh_process(data_dir)
    s, clerk = unlock_and_login(data_dir, "clerk", PASSWORD, FixedClock(at + timedelta(minutes=16)))
    assert clerk.username == "clerk"
    s.close()
    # An administrator's reset unlocks at once, as it does the account's own lock.
    for _ in range(5):
        _fresh_process(data_dir)
        with pytest.raises(AuthenticationError):
            unlock_and_login(data_dir, "clerk", "wrong-password1", FixedClock(at + timedelta(minutes=16)))
    s, admin = unlock_and_login(data_dir, "admin", PASSWORD, FixedClock(at + timedelta(minutes=16)))
    s.users.reset_password(admin, world.clerk.id, "clerk-new-5678")
    s.close()
    _fresh_process(data_dir)
    s, _clerk = unlock_and_login(data_dir, "clerk", "clerk-new-5678", FixedClock(at + timedelta(minutes=17)))
    s.close()
    # A success starts the count again: four more wrong tries do not lock.
    for _ in range(4):
        _fresh_process(data_dir)
        with pytest.raises(AuthenticationError, match="用户名或密码不正确"):
            unlock_and_login(data_dir, "clerk", "wrong-password1", FixedClock(at + timedelta(minutes=17)))


def test_a_disabled_user_cannot_open_and_a_reset_wraps_again(world: World) -> None:
    data_dir = world.s.ctx.data_dir
    world.s.users.set_active(world.admin, world.clerk.id, False)
    assert not keys.KeyFile.read(data_dir).has_user("clerk")  # type: ignore[union-attr]
    world.s.close()
    _fresh_process(data_dir)
    with pytest.raises(AuthenticationError, match="已停用的账户不能登录"):
        unlock_and_login(data_dir, "clerk", PASSWORD)
    s, admin = unlock_and_login(data_dir, "admin", PASSWORD)
    s.users.set_active(admin, world.clerk.id, True)
    s.users.reset_password(admin, world.clerk.id, "clerk5678")
    s.close()
    _fresh_process(data_dir)
    s, clerk = unlock_and_login(data_dir, "clerk", "clerk5678")
    assert clerk.username == "clerk"
    s.close()


def test_changing_a_password_rewraps_the_key(world: World) -> None:
    data_dir = world.s.ctx.data_dir
    world.s.users.change_password(world.desk, PASSWORD, "newdesk999")
    world.s.close()
    _fresh_process(data_dir)
    with pytest.raises(AuthenticationError):
        unlock_and_login(data_dir, "desk", PASSWORD)
    s, desk = unlock_and_login(data_dir, "desk", "newdesk999")
    assert desk.username == "desk"
    s.close()


def test_recovery_after_all_passwords_are_lost(world: World) -> None:
    data_dir = world.s.ctx.data_dir
    code = world.s.setup.issue_recovery_key(world.admin)
    assert len(code.split("-")) == 9 and all(len(g) == 4 for g in code.split("-"))
    assert world.s.setup.recovery_issued() is not None
    world.s.close()
    _fresh_process(data_dir)
    # Mistyped (a check group that does not fit) and a well-formed code of another database.
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(AuthenticationError, match="恢复密钥不正确"):
        unlock_with_recovery(data_dir, typo)
    with pytest.raises(AuthenticationError, match="不是本数据库的恢复密钥"):
        unlock_with_recovery(data_dir, keys.new_recovery_code())
    with pytest.raises(AuthenticationError, match="36 个字符"):
        unlock_with_recovery(data_dir, "ABCD-EFGH")
    # Typed in lower case, with spaces for dashes and O for 0: still the code.
    typed = code.lower().replace("-", " ").replace("0", "o")
    s = unlock_with_recovery(data_dir, typed)
    assert [a.username for a in s.users.administrators()] == ["admin"]
    with pytest.raises(FieldError, match="不是在用的管理员账户"):
        s.users.recover_admin("clerk", "brandnew123")
    admin = s.users.recover_admin("admin", "brandnew123")
    assert admin.username == "admin"
    s.close()
    _fresh_process(data_dir)
    s, _ = unlock_and_login(data_dir, "admin", "brandnew123")
    s.close()


def test_a_new_recovery_key_replaces_the_old_one(world: World) -> None:
    data_dir = world.s.ctx.data_dir
    old = world.s.setup.issue_recovery_key(world.admin)
    new = world.s.setup.issue_recovery_key(world.admin)
    world.s.close()
    _fresh_process(data_dir)
    with pytest.raises(AuthenticationError):
        unlock_with_recovery(data_dir, old)
    unlock_with_recovery(data_dir, new).close()


def test_the_file_does_not_open_without_its_key(world: World) -> None:
    database = paths.database_path(world.s.ctx.data_dir)
    with pytest.raises(WrongKey):
        connect(database, None)
    with pytest.raises(WrongKey):
        connect(database, keys.DataKey.new())


def _holds(blob: bytes) -> list[str]:
    found = []
    for label, needle in (("phone", PHONE.encode()), ("name", NAME.encode("utf-8")),
                          ("name-utf16", NAME.encode("utf-16-le"))):
        if needle in blob:
            found.append(label)
    return found


def test_grep_finds_no_name_or_phone_in_the_file_its_wal_or_a_backup(world: World, tmp_path: Path) -> None:
    s = world.s
    changed = s.complaints.register(world.clerk, draft(complainant_name=NAME, complainant_phone=PHONE))
    evidence = tmp_path / "聊天记录.txt"
    evidence.write_text(f"投诉人 {NAME}，电话 {PHONE}，要求退款。", encoding="utf-8")
    attached = s.records.attach(world.clerk, changed.ids[0], evidence)
    [info] = s.records.attachments(world.clerk, attached.complaint_id)  # type: ignore[arg-type]
    stored = s.records.blob_path(info.sha256)
    assert _holds(stored.read_bytes()) == []
    assert s.records.attachment_bytes(info.sha256) == evidence.read_bytes()
    # Opened for viewing: a plain copy in data_dir/opened, removed when the program closes.
    (s.ctx.data_dir / "opened" / "x").mkdir(parents=True)
    viewed = s.records.export_attachment(info.sha256, s.ctx.data_dir / "opened" / "x" / evidence.name)
    assert viewed.read_bytes() == evidence.read_bytes()
    database = paths.database_path(s.ctx.data_dir)
    wal = database.with_name(database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the new row is in the log, not yet folded
    # The name is in the database (the service finds it) …
    assert s.complaints.page(world.clerk, ComplaintFilter(text=PHONE)).rows
    # … and in none of its files.
    assert _holds(database.read_bytes()) == []
    assert _holds(wal.read_bytes()) == []
    result = s.backups.make(world.admin, folder=tmp_path / "usb")
    raw = result.path.read_bytes()
    assert _holds(raw) == []
    with zipfile.ZipFile(result.path) as archive:
        for name in archive.namelist():
            assert _holds(archive.read(name)) == [], name
    keyfile = keys.keys_path(s.ctx.data_dir).read_bytes()
    assert _holds(keyfile) == [] and world.s.ctx.keyring is not None
    assert world.s.ctx.keyring.key.raw.hex().encode() not in keyfile  # wrapped, never in the clear
    s.close()
    assert not (s.ctx.data_dir / "opened").exists()
    # Every file the office keeps, after the close: none holds the name or the phone.
    for path in s.ctx.data_dir.rglob("*"):
        if path.is_file():
            assert _holds(path.read_bytes()) == [], path


def test_new_files_have_large_pages_and_older_4096_byte_files_still_open(tmp_path: Path) -> None:
    """The page size is not written in an encrypted file: a file encrypted before the larger
    pages (4096 bytes) opens all the same, a backup keeps its source's size, a wrong key still
    opens neither."""
    from desktop.db.connection import CIPHER_PAGE_SIZE, LEGACY_PAGE_SIZE, page_size
    from desktop.db.snapshot import online_copy

    key = keys.DataKey.new()
    for size in (CIPHER_PAGE_SIZE, LEGACY_PAGE_SIZE):
        path = tmp_path / f"p{size}.db"
        new = connect(path, key, check=False, size=None if size == CIPHER_PAGE_SIZE else size)
        new.execute("CREATE TABLE t (x)")
        new.executemany("INSERT INTO t VALUES (?)", [(NAME,)] * 500)
        new.commit()
        new.close()
        for read_only in (False, True):
            con = connect(path, key, read_only=read_only)
            assert page_size(con) == size
            assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 500
            con.close()
        copy = tmp_path / f"copy{size}.db"
        online_copy(path, copy, key)
        con = connect(copy, key, read_only=True)
        assert page_size(con) == size and con.execute("SELECT count(*) FROM t").fetchone()[0] == 500
        con.close()
        with pytest.raises(WrongKey):
            connect(path, keys.DataKey.new())
        assert NAME.encode() not in path.read_bytes()
