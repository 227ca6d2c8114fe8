r"""Where the program keeps its files: data folder (QStandardPaths' AppDataLocation), no Qt import.

Who may read them (POSIX): the data folder holds every complainant's name, phone, ID number and
address, so on a per-user install it and everything the program writes in it are the owner's
only (folder 0700, files 0600). A per-machine install shared by an office's users is marked by
its installer the usual way: the data folder belongs to the office's group and has the setgid
bit (`install -d -m 2770 -g hejie /srv/hejie`, HEJIE_DATA_DIR=/srv/hejie); the program then
keeps that group's access (folders 2770, files 0660) and takes away everyone else's. On Windows
the per-user AppData folder is private already; a shared folder's ACL is the installer's job.

Which folder (default_data_dir; the window's launcher does the same through desktop/app.py):
1. `--data-dir` on the command line (the callers look at it first), then
2. the environment variable HEJIE_DATA_DIR, then
3. an installed program's install settings: `hejie.ini` beside the executables of a bundle
   (/opt/hejie/hejie.ini -> /etc/hejie/hejie.ini from the .deb; C:\Program Files\Hejie\hejie.ini
   from the Windows installer), written by the installer. `scope = machine` with `dir = …`
   puts every user of the PC in that one folder (%ProgramData%\Hejie, /var/lib/hejie): a counter
   PC shared by several people keeps one database. `scope = user`, no file, or a program run
   from source or a pip install: per user, as below;
4. per user: the folder Qt's AppDataLocation gives for an application named Hejie
   (%APPDATA%\Hejie, ~/.local/share/Hejie, ~/Library/Application Support/Hejie).
"""

from __future__ import annotations

import codecs
import configparser
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.errors import DomainError

APP_NAME = "Hejie"
DB_FILENAME = "hejie.db"
INSTALL_CONFIG = "hejie.ini"  # beside the bundle's executables; written by the installers
SCOPES = ("machine", "user")


class InstallConfigError(DomainError):
    """The installer's settings file is there but cannot be used; the message names it."""


@dataclass(frozen=True)
class InstallConfig:
    """What an installer wrote in hejie.ini: whose data folder this install uses."""

    path: Path  # the file
    scope: str  # "machine": one folder for every user of the PC; "user": each their own
    data_dir: Path | None  # the per-machine folder (scope "machine")


def default_data_dir() -> Path:
    """HEJIE_DATA_DIR, else an installed program's per-machine folder, else the user's own.
    Never fails: unusable install settings are reported on stderr and the user's folder is
    used (the window refuses to start on them instead: desktop/app.py)."""
    override = os.environ.get("HEJIE_DATA_DIR")
    if override:
        return Path(override)
    try:
        installed = installed_data_dir()
    except InstallConfigError as exc:
        print(f"警告：{exc}", file=sys.stderr)
        installed = None
    return installed if installed is not None else per_user_data_dir()


def install_config_path() -> Path | None:
    """Where a bundle's install settings are: hejie.ini beside its executables. None for a
    program run from source or installed with pip (those are always per user)."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent / INSTALL_CONFIG


def _decode(raw: bytes) -> str:
    """An installer may write UTF-16 with a BOM (NSIS), UTF-8 with or without one, or the
    Windows ANSI code page (GBK on a Chinese Windows)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gbk", errors="replace")


def read_install_config(path: Path) -> InstallConfig | None:
    """The install settings in `path`; None when there is no such file. InstallConfigError
    when the file is there but says nothing usable (a per-machine install whose settings
    are lost must not quietly start an empty database in the user's folder)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InstallConfigError(f"无法读取安装设置文件 {path}：{exc}") from exc
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_decode(raw), source=str(path))
    except configparser.Error as exc:
        raise InstallConfigError(f"安装设置文件 {path} 格式有误：{exc}") from exc
    scope = parser.get("data", "scope", fallback="").strip().lower()
    if scope not in SCOPES:
        raise InstallConfigError(
            f"安装设置文件 {path} 中 [data] scope 应为 machine（本机共用）或 user（每个用户各自），"
            f"现为「{scope}」。请重新安装程序，或改正该文件。")
    if scope == "user":
        return InstallConfig(path, scope, None)
    text = os.path.expanduser(os.path.expandvars(parser.get("data", "dir", fallback="").strip()))
    folder = Path(text)
    if not text or not folder.is_absolute() or "%" in text or "$" in text:
        raise InstallConfigError(
            f"安装设置文件 {path} 中 [data] dir 应为本机共用数据文件夹的完整路径，现为「{text}」。"
            "请重新安装程序，或改正该文件。")
    return InstallConfig(path, scope, folder)


def installed_data_dir(config: Path | None = None) -> Path | None:
    """The per-machine data folder an installer chose for this program (`config`, by default
    install_config_path()); None for a per-user install or a program not installed that way.
    InstallConfigError when the settings file is there but unusable."""
    where = config if config is not None else install_config_path()
    if where is None:
        return None
    settings = read_install_config(where)
    if settings is None or settings.scope != "machine":
        return None
    return settings.data_dir


def per_user_data_dir() -> Path:
    """The same folder Qt's AppDataLocation gives for an application named Hejie."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def access_problem(folder: Path) -> str | None:
    """Why this user cannot keep the program's data in `folder`, as a sentence to show (None
    when they can). On a per-machine install the usual reason is that the user is not (yet) in
    the office's group that owns the shared folder."""
    import tempfile

    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    try:
        if existing == folder:
            if not folder.is_dir():
                return f"数据文件夹 {folder} 不是文件夹。"
            with tempfile.TemporaryFile(dir=folder, prefix=".hejie-access-"):
                pass
            return None
        if os.access(existing, os.W_OK | os.X_OK):
            return None
    except OSError:
        pass
    return f"当前用户不能在数据文件夹 {folder} 中读写。" + _group_hint(existing)


def _group_hint(folder: Path) -> str:
    """What to do about a shared folder's group (POSIX), or an empty string."""
    if os.name != "posix" or not shared_install(folder):
        return "请管理员检查该文件夹的权限。"
    import grp
    import pwd

    info = folder.stat()
    try:
        group = grp.getgrgid(info.st_gid)
        user = pwd.getpwuid(os.getuid())
    except KeyError:
        return "请管理员检查该文件夹的权限。"
    if user.pw_name in group.gr_mem or user.pw_gid == group.gr_gid:
        return (f"您的账号已加入「{group.gr_name}」组，但要注销（或重启电脑）后重新登录才生效。")
    return (f"这是本机所有用户共用的数据文件夹，只有「{group.gr_name}」组的用户可以使用。"
            f"请管理员运行：sudo adduser {user.pw_name} {group.gr_name}，然后您注销并重新登录。")


def demo_data_dir() -> Path:
    return default_data_dir() / "demo"


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def backup_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def attachment_path(data_dir: Path, sha256: str) -> Path:
    """Where an attachment's bytes live: named by their SHA-256, two-level fan-out."""
    return data_dir / "attachments" / sha256[:2] / sha256


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def shared_install(folder: Path) -> bool:
    """Whether `folder` belongs to a per-machine install shared by a group: it has the setgid
    bit (set by the installer on the data folder; folders made inside it inherit it)."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def _modes(folder: Path) -> tuple[int, int]:
    """(folder mode, file mode) for what the program keeps in `folder`."""
    if shared_install(folder):
        return 0o2770, 0o660
    return 0o700, 0o600


def _chmod(path: Path, mode: int) -> None:
    """Set the mode of what this user owns; on a shared install a file another user of the
    office made is that user's program's to restrict (it does so at its next start)."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
            path.chmod(mode)
    except (FileNotFoundError, PermissionError):
        pass


def private_dir(folder: Path) -> Path:
    """Create `folder` (and parents) if needed; readable by the owner only, or by the office's
    group on a shared install. POSIX only: on Windows the folder's ACL decides."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        _chmod(folder, _modes(folder)[0])
    return folder


def private_file(path: Path) -> Path:
    """Restrict a file the program wrote to the owner (or the shared install's group)."""
    if os.name == "posix":
        _chmod(path, _modes(path.parent)[1])
    return path


def write_private(path: Path, text: str) -> Path:
    """Write a text file that is never readable by others, not even for a moment."""
    file_mode = _modes(path.parent)[1] if os.name == "posix" else 0o666
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return private_file(path)


def secure_data_dir(data_dir: Path) -> None:
    """The data folder, the database with its -wal/-shm, the backups and the logs: readable
    by the owner only (or the office's group on a shared install). Run at every start, so a
    file left readable by an older version is closed too."""
    private_dir(data_dir)
    if os.name != "posix":
        return
    database = database_path(data_dir)
    for suffix in ("", "-wal", "-shm", "-journal"):
        private_file(database.with_name(database.name + suffix))
    private_file(data_dir / "hejie.keys")  # security/keys.py: the wrapped data key
    for folder in (backup_dir(data_dir), logs_dir(data_dir), data_dir / "attachments"):
        if folder.is_dir():
            private_dir(folder)
            if folder != data_dir / "attachments":  # many files: the folder already guards them
                for child in folder.iterdir():
                    if child.is_file():
                        private_file(child)
