"""Where the program keeps its files: data folder (QStandardPaths' AppDataLocation), no Qt import."""

from __future__ import annotations

import os
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
