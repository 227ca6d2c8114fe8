"""The office's data key and the side file that keeps it wrapped, readable before the database.

One random 32-byte data key encrypts the database (SQLCipher raw key) and, through HKDF with a
label for each purpose, seals the attachments (a backup holds both as they are). It is never stored in the clear
once the office is set up: the key file `hejie.keys` beside the database holds it wrapped once
per user under a key derived from that user's password (argon2id), and once under the recovery
key printed at set-up. Any user's password, or the recovery key, therefore opens the database;
a password change re-wraps; a disabled user's wrap is removed.

The key file is JSON (format 1):

    {"format": 1, "office": "长桥分局",
     "users": {"admin": {WRAP}, ...}, "recovery": {WRAP},
     "pending": "<hex>"}          # only between creating a database and setting it up

    WRAP = {"kdf": "argon2id", "t": 3, "m": 65536, "p": 4, "salt": "<b64>", "sealed": "<b64>"}

`sealed` is the data key sealed (security/cipher.py) under the argon2id output, with the
user's name (or "recovery") as associated data, so a wrap copied under another name fails.
The office's name is there for the login window, which shows it before anything is opened.

Argon2 parameters: PRODUCTION by default; `use_kdf_params(FAST_FOR_TESTS)` is the explicit
switch the test suite throws (each wrap stores its own parameters, so either opens later).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.domain.errors import AuthenticationError, DomainError
from desktop.security.cipher import KEY_BYTES, SealError, new_key, open_sealed, sealer_for

KEYS_FILENAME = "hejie.keys"
FORMAT = 1
RECOVERY = "recovery"

# Purposes of keys derived from the data key (HKDF info labels); never reuse one. (A backup
# holds the database as SQLCipher encrypted it and the attachments as they are sealed.)
ATTACHMENTS = b"hejie attachments v1"


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int


PRODUCTION = KdfParams(time_cost=3, memory_cost=64 * 1024, parallelism=4)
FAST_FOR_TESTS = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
_params = PRODUCTION


def use_kdf_params(params: KdfParams) -> KdfParams:
    """Set the argon2id parameters of the wraps made from now on; returns the previous ones."""
    global _params
    previous, _params = _params, params
    return previous


class KeyFileError(DomainError):
    """The key file is missing, damaged, or does not fit the database."""


@dataclass(frozen=True, repr=False)
class DataKey:
    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")

    def sqlcipher(self) -> str:
        """The value of PRAGMA key: a raw key, so SQLCipher runs no key derivation of its own."""
        return f"\"x'{self.raw.hex()}'\""

    def derive(self, purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                    info=purpose).derive(self.raw)

    def __repr__(self) -> str:  # never in a log or a traceback
        return "DataKey(…)"

    @staticmethod
    def new() -> DataKey:
        return DataKey(new_key())


def keys_path(data_dir: Path) -> Path:
    return data_dir / KEYS_FILENAME


# ---- the recovery code ---------------------------------------------------------------------

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
RECOVERY_BYTES = 20  # 160 bits: 32 characters, then a group of 4 check characters


def _b32(data: bytes) -> str:
    number, text = int.from_bytes(data, "big"), ""
    for _ in range(len(data) * 8 // 5):
        text = _ALPHABET[number & 31] + text
        number >>= 5
    return text


def new_recovery_code() -> str:
    """A random recovery code as printed: nine groups of four characters, the last a check."""
    body = _b32(secrets.token_bytes(RECOVERY_BYTES))
    return format_recovery_code(body + _check(body))


def _check(body: str) -> str:
    return _b32(hashlib.sha256(body.encode()).digest()[:5])[:4]


def format_recovery_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_recovery_code(typed: str) -> str:
    """The 32 characters of a typed code (spaces, dashes and case ignored; O/I/L read as 0/1).
    A clear Chinese message when the code cannot be right (length, characters, check group)."""
    text = "".join(ch for ch in typed.upper() if not ch.isspace() and ch not in "-—_").translate(_CONFUSED)
    if len(text) != 36:
        raise AuthenticationError(f"恢复密钥应为 36 个字符（9 组，每组 4 个），现在是 {len(text)} 个，请对照恢复密钥单核对")
    bad = sorted({ch for ch in text if ch not in _ALPHABET})
    if bad:
        raise AuthenticationError(f"恢复密钥中有无效字符：{'、'.join(bad)}，请对照恢复密钥单核对")
    body, check = text[:32], text[32:]
    if _check(body) != check:
        raise AuthenticationError("恢复密钥不正确：校验不符，可能有字符抄错，请对照恢复密钥单逐组核对")
    return body


# ---- wrapping ------------------------------------------------------------------------------

def _kek(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_cost, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


def _aad(name: str) -> bytes:
    return b"hejie key wrap v1:" + name.encode("utf-8")


def wrap(key: DataKey, name: str, secret: str, params: KdfParams | None = None) -> dict[str, Any]:
    p = params or _params
    salt = os.urandom(16)
    sealed = sealer_for(_kek(secret, salt, p)).seal(key.raw, _aad(name))
    return {"kdf": "argon2id", "t": p.time_cost, "m": p.memory_cost, "p": p.parallelism,
            "salt": base64.b64encode(salt).decode(), "sealed": base64.b64encode(sealed).decode()}


def unwrap(entry: dict[str, Any], name: str, secret: str) -> DataKey | None:
    """The data key, or None when `secret` is not the one this wrap was made with."""
    try:
        if entry.get("kdf") != "argon2id":
            raise KeyFileError(f"密钥文件中 {name} 的密钥派生算法 {entry.get('kdf')} 本程序不认识")
        params = KdfParams(int(entry["t"]), int(entry["m"]), int(entry["p"]))
        salt = base64.b64decode(entry["salt"])
        sealed = base64.b64decode(entry["sealed"])
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyFileError(f"密钥文件已损坏（{name} 的记录不完整）") from exc
    try:
        return DataKey(open_sealed(_kek(secret, salt, params), sealed, _aad(name)))
    except SealError:
        return None


# ---- the key file --------------------------------------------------------------------------

class KeyFile:
    """hejie.keys, read whole and written whole (a new file fsynced, then renamed over)."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.data: dict[str, Any] = data if data is not None else {"format": FORMAT, "users": {}}

    @classmethod
    def read(cls, data_dir: Path) -> KeyFile | None:
        """The key file of `data_dir`, None when there is none."""
        path = keys_path(data_dir)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyFileError(f"无法读取密钥文件 {path}：{exc.strerror or exc}") from exc
        return cls.parse(path, raw)

    @classmethod
    def parse(cls, path: Path, raw: bytes) -> KeyFile:
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
                raise ValueError("not a key file")
        except (ValueError, UnicodeDecodeError) as exc:
            raise KeyFileError(f"密钥文件 {path} 已损坏，无法读取。请用备份恢复，或联系技术支持") from exc
        if data.get("format") != FORMAT:
            raise KeyFileError(f"密钥文件 {path} 由更新版本的和解台写入（格式 {data.get('format')}），请升级程序")
        return cls(path, data)

    def to_bytes(self) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    def write(self) -> None:
        from desktop import paths

        partial = self.path.with_name(self.path.name + ".part")
        file_mode = 0o600 if os.name == "posix" else 0o666
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.to_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            paths.private_file(partial)
            os.replace(partial, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        if os.name == "posix":
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # -- what it holds
    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.data["users"]

    @property
    def set_up(self) -> bool:
        """Wrapped for someone (a user or the recovery key): no key in the clear any more."""
        return bool(self.users) or RECOVERY in self.data

    @property
    def pending(self) -> DataKey | None:
        text = self.data.get("pending")
        return DataKey(bytes.fromhex(text)) if text else None

    @property
    def office(self) -> str:
        return str(self.data.get("office") or "")

    def has_user(self, username: str) -> bool:
        return username in self.users

    def open_as(self, username: str, password: str) -> DataKey | None:
        entry = self.users.get(username)
        return unwrap(entry, username, password) if entry is not None else None

    def open_with_recovery(self, code: str) -> DataKey | None:
        entry = self.data.get(RECOVERY)
        return unwrap(entry, RECOVERY, normalize_recovery_code(code)) if entry else None


def create_pending(data_dir: Path) -> DataKey:
    """A new database's key, kept in the clear in the key file only until set-up wraps it
    (the database then holds reference data, no one's personal data)."""
    from desktop import paths

    paths.private_dir(data_dir)
    key = DataKey.new()
    KeyFile(keys_path(data_dir), {"format": FORMAT, "users": {}, "pending": key.raw.hex()}).write()
    return key


def unlock(data_dir: Path, username: str, password: str, now: datetime | None = None) -> DataKey:
    """The data key opened with a user's password; AuthenticationError when it does not open.
    Wrong passwords lock the name as a login does (security/lockout.py)."""
    from desktop.security import lockout

    keyfile = KeyFile.read(data_dir)
    if keyfile is None:
        raise KeyFileError(f"数据文件夹 {data_dir} 中没有密钥文件 {KEYS_FILENAME}，无法打开加密的数据库")
    name = username.strip()
    now = now or datetime.now()
    lockout.check(data_dir, name, now)
    key = keyfile.open_as(name, password)
    if key is None:
        if not keyfile.has_user(name):
            _burn(password)  # same cost as a real try: no hint whether the name exists
        raise lockout.failed(data_dir, name, now) or AuthenticationError(
            "用户名或密码不正确（已停用的账户不能登录）")
    lockout.succeeded(data_dir, name)
    remember(data_dir, key)
    return key


def unlock_with_recovery(data_dir: Path, code: str) -> DataKey:
    keyfile = KeyFile.read(data_dir)
    if keyfile is None:
        raise KeyFileError(f"数据文件夹 {data_dir} 中没有密钥文件 {KEYS_FILENAME}，无法打开加密的数据库")
    key = keyfile.open_with_recovery(code)
    if key is None:
        raise AuthenticationError("恢复密钥不正确：它不是本数据库的恢复密钥，请确认用的是本单位这台电脑的恢复密钥单")
    remember(data_dir, key)
    return key


def _burn(secret: str) -> None:
    _kek(secret, b"\0" * 16, _params)


def same_key(a: DataKey, b: DataKey) -> bool:
    return hmac.compare_digest(a.raw, b.raw)


# ---- the keys this process has opened ------------------------------------------------------
# A key opened by a login (or the recovery key) is kept in memory for the life of the process,
# so that the program can reopen its own database (after a restore, a switch of user) without
# asking again. Nothing here is ever written anywhere.

_opened: dict[Path, DataKey] = {}


def remember(data_dir: Path, key: DataKey) -> None:
    _opened[data_dir.resolve()] = key


def remembered(data_dir: Path) -> DataKey | None:
    return _opened.get(data_dir.resolve())


def forget(data_dir: Path) -> None:
    _opened.pop(data_dir.resolve(), None)


class KeyRing:
    """The open data key of one data folder and the key file that wraps it: what the user
    service re-wraps when accounts and passwords change."""

    def __init__(self, data_dir: Path, key: DataKey) -> None:
        self.data_dir, self.key = data_dir, key

    def _file(self) -> KeyFile:
        return KeyFile.read(self.data_dir) or KeyFile(keys_path(self.data_dir))

    def has(self, username: str) -> bool:
        return self._file().has_user(username)

    def opens(self, username: str, password: str) -> bool:
        found = self._file().open_as(username, password)
        return found is not None and same_key(found, self.key)

    def wrap_user(self, username: str, password: str) -> dict[str, Any] | None:
        """Wrap the key for `username`; returns the wrap it replaced (for undoing)."""
        keyfile = self._file()
        before = keyfile.users.get(username)
        keyfile.users[username] = wrap(self.key, username, password)
        keyfile.data.pop("pending", None)
        keyfile.write()
        return before

    def restore_user(self, username: str, before: dict[str, Any] | None) -> None:
        keyfile = self._file()
        if before is None:
            keyfile.users.pop(username, None)
        else:
            keyfile.users[username] = before
        keyfile.write()

    def remove_user(self, username: str) -> None:
        keyfile = self._file()
        if keyfile.users.pop(username, None) is not None:
            keyfile.write()

    def set_recovery(self, code: str) -> None:
        keyfile = self._file()
        keyfile.data[RECOVERY] = wrap(self.key, RECOVERY, normalize_recovery_code(code))
        keyfile.data.pop("pending", None)
        keyfile.write()

    def set_office(self, name: str) -> None:
        keyfile = self._file()
        if keyfile.data.get("office") != name:
            keyfile.data["office"] = name
            keyfile.write()

    def derive(self, purpose: bytes) -> bytes:
        return self.key.derive(purpose)
