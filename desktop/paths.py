"""Where the program keeps its files: data folder (QStandardPaths' AppDataLocation), no Qt import.

Who may read them (POSIX): the data folder holds every complainant's name, phone, ID number and
address, so on a per-user install it and everything the program writes in it are the owner's
only (folder 0700, files 0600). A per-machine install shared by an office's users is marked by
its installer the usual way: the data folder belongs to the office's group and has the setgid
bit (`install -d -m 2770 -g hejie /srv/hejie`, HEJIE_DATA_DIR=/srv/hejie); the program then
keeps that group's access (folders 2770, files 0660) and takes away everyone else's. On Windows
the per-user AppData folder is private already; a shared folder's ACL is the installer's job.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP_NAME = "Hejie"
DB_FILENAME = "hejie.db"


def default_data_dir() -> Path:
    """The same folder Qt's AppDataLocation gives for an application named Hejie."""
    override = os.environ.get("HEJIE_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


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
    for folder in (backup_dir(data_dir), logs_dir(data_dir), data_dir / "attachments"):
        if folder.is_dir():
            private_dir(folder)
            if folder != data_dir / "attachments":  # many files: the folder already guards them
                for child in folder.iterdir():
                    if child.is_file():
                        private_file(child)
