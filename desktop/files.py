"""Files on disk: written so that no reader, crash or full disk ever leaves half of one under its
name, and attachment names turned into file names that cannot leave their folder."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over
    `path`. `mode`: the file's permissions (0o600 for files holding personal data)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


# -- an attachment's name is a label, never a path ---------------------------------------------

# Types a desktop runs rather than shows when a file is opened (Windows, Linux, macOS). An
# attachment of one of these types is copied but never handed to the desktop to open.
EXECUTABLE_SUFFIXES = frozenset({
    # Windows programs, installers, shortcuts and script hosts
    ".exe", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".mst", ".msc", ".dll", ".ocx", ".sys",
    ".drv", ".bat", ".cmd", ".ps1", ".psm1", ".psd1", ".ps1xml", ".psc1", ".vb", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".wsh", ".ws", ".wsc", ".sct", ".hta", ".lnk", ".url", ".scf", ".inf",
    ".reg", ".chm", ".gadget", ".application", ".appref-ms", ".xbap", ".settingcontent-ms",
    ".library-ms", ".search-ms", ".diagcab", ".appx", ".msix", ".appxbundle", ".msixbundle",
    ".xll", ".iqy", ".slk",
    # Java, Python and other interpreters the desktop may associate with a double click
    ".jar", ".jnlp", ".py", ".pyw", ".pyc", ".pyo", ".pyz", ".pyzw", ".pl", ".rb", ".php", ".tcl",
    # Unix shells, desktop entries and packages
    ".sh", ".bash", ".zsh", ".csh", ".ksh", ".fish", ".command", ".run", ".bin", ".out",
    ".desktop", ".appimage", ".deb", ".rpm", ".snap", ".flatpak", ".flatpakref",
    # macOS
    ".app", ".pkg", ".dmg", ".workflow", ".scpt", ".applescript", ".terminal",
})

# The only types 打开 hands to the desktop: documents, pictures, sound and video that the usual
# viewer shows without running anything in them. Everything else (no extension, an unknown one,
# an executable above) is copied into data_dir/opened and the clerk is told where.
# Left out on purpose: disk images and containers that mount or unpack into files the desktop
# then runs (iso img vhd vhdx wim cab, and archives zip rar 7z tar gz: Explorer opens a zip like
# a folder, and a double click inside runs what it holds, past this check); Office files with
# macros (docm xlsm pptm dotm xltm) and templates, databases (mdb accdb), OneNote (one), remote
# desktop (rdp), web pages and what a browser runs script in (html htm mht mhtml svg xml xhtml),
# Windows theme, website, help and console files (theme website hlp msh ade), rtf (embeds OLE
# objects), csv (formulas run when opened in a spreadsheet) and wma/wmv/asf (script commands).
OPENABLE_SUFFIXES = frozenset({
    # documents
    ".pdf", ".ofd", ".txt",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",  # Office formats without macros
    ".wps", ".et", ".dps",  # WPS Office
    ".odt", ".ods", ".odp",  # OpenDocument
    # pictures
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif",
    # sound (phone recordings) and video
    ".mp3", ".m4a", ".wav", ".amr", ".aac", ".mp4", ".mov", ".avi", ".3gp", ".m4v",
})

# Names Windows keeps for devices, with or without an extension (CON, CON.txt, COM1.tar.gz …).
_RESERVED_STEM = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)",
                            re.IGNORECASE)
# Control characters, and what Windows does not allow in a name (":" also opens an NTFS stream).
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_NAME_BYTES = 180  # well under the 255 bytes ext4/NTFS allow, leaving room for the folder
_MAX_SUFFIX = 20


def is_sha256(value: object) -> bool:
    """A lowercase hex SHA-256: the only form a stored attachment's file name may take."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def is_executable(name: str) -> bool:
    """Whether the desktop would run a file of this name instead of showing it."""
    return Path(safe_filename(name, "x")).suffix.lower() in EXECUTABLE_SUFFIXES


def can_open(name: str) -> bool:
    """Whether 打开 may hand a file of this name to the desktop: a type on OPENABLE_SUFFIXES."""
    return Path(safe_filename(name, "x")).suffix.lower() in OPENABLE_SUFFIXES


def safe_filename(label: str, fallback: str) -> str:
    """A file name made from an attachment's label that cannot leave the folder it is put in.

    Any folder part, drive or `..` is dropped (only the last part of the label is kept),
    control characters and characters Windows refuses become "_", leading dots and trailing
    dots and spaces go (Windows drops the latter itself, so `evil.bat.` is `evil.bat`), a
    device name Windows reserves gets a "_" after it (`CON` → `CON_`), and an over-long stem
    is shortened with its extension kept. When nothing readable is left, `fallback` (say, the
    start of the file's hash) is the stem.
    """
    name = str(label).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name)
    name = name.strip().lstrip(".").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(" ._") or len(suffix) > _MAX_SUFFIX or " " in suffix:
        stem, suffix = name, ""
    stem = stem.rstrip(". ")
    if not stem.strip(" ._"):
        stem = fallback
    first, rest = (stem.split(".", 1) + [""])[:2]
    if _RESERVED_STEM.fullmatch(first.rstrip(" ")):
        stem = first.rstrip(" ") + "_" + ("." + rest if rest else "")
    ext = f".{suffix}" if suffix else ""
    budget = _MAX_NAME_BYTES - len(ext.encode("utf-8"))
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    stem = stem.rstrip(". ") or fallback
    return stem + ext


def path_inside(root: Path, *parts: str) -> Path:
    """root/parts…, refused (ValueError) unless the resolved path lies inside the resolved root."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise ValueError(f"{target} is outside {base}")
    return target


def copy_atomic(source: Path, target: Path, *, mode: int = 0o600) -> Path:
    """Copy a file through a temporary name in the target's folder, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target
