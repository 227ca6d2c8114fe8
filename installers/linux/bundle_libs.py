#!/usr/bin/env python3
"""What a PyInstaller bundle needs from the Linux it runs on, read with binutils' objdump.

    python3 installers/linux/bundle_libs.py floor   DIST/hejie   # highest GLIBC_/GLIBCXX_ version
    python3 installers/linux/bundle_libs.py system  DIST/hejie   # libraries taken from the system
    python3 installers/linux/bundle_libs.py missing DIST/hejie   # needed, in neither: exit 1
    python3 installers/linux/bundle_libs.py rpaths  DIST/hejie   # search paths outside the bundle
    python3 installers/linux/bundle_libs.py fix-rpaths DIST/hejie  # … taken out (patchelf)

- floor: every ELF file's dynamic symbol table (objdump -T) names the symbol versions it needs;
  the highest GLIBC_x.y over the bundle is the oldest glibc it starts on. A library that is
  bundled (libstdc++ is, from the build machine) does not count for GLIBCXX_, but is listed.
- system: the DT_NEEDED names (objdump -p) that no file in the bundle provides, which the
  dynamic loader takes from the system (libc, libGL, libxcb, …); build-deb.sh maps them to the
  packages of the build machine for the .deb's Depends.
- missing: those of the system ones the loader would not find here (ldconfig -p): a plugin
  whose library is absent fails only when loaded, so this is checked at build time.
- rpaths: a library or extension module whose RPATH/RUNPATH names a folder of the build machine
  (a pyenv or self-built Python links its libpython and every stdlib module with
  -rpath /root/.pyenv/versions/…/lib): the loader would look there on the office PC too, and load
  whatever it finds. fix-rpaths keeps only the $ORIGIN-relative entries (patchelf).
The Python, no third-party modules: it runs on the build machine's python3 before any venv.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
VERSION_RE = re.compile(r"\b(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)\b")


def elf_files(root: Path) -> list[Path]:
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    out.append(path)
    return out


def _objdump(flag: str, path: Path) -> str:
    return subprocess.run(["objdump", flag, str(path)], capture_output=True, text=True,
                          check=False).stdout


def needed(path: Path) -> list[str]:
    return re.findall(r"^\s+NEEDED\s+(\S+)$", _objdump("-p", path), re.MULTILINE)


def versions(path: Path) -> dict[str, tuple[int, ...]]:
    """The highest version of each family (GLIBC, GLIBCXX, CXXABI) the file asks for."""
    best: dict[str, tuple[int, ...]] = {}
    for line in _objdump("-T", path).splitlines():
        if "*UND*" not in line:  # only what the file imports, not what it defines
            continue
        for family, number in VERSION_RE.findall(line):
            value = tuple(int(n) for n in number.split("."))
            if value > best.get(family, ()):
                best[family] = value
    return best


def _text(version: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in version)


def floor(root: Path) -> dict:
    files = elf_files(root)
    highest: dict[str, tuple[tuple[int, ...], list[str]]] = {}
    for path in files:
        for family, value in versions(path).items():
            seen, who = highest.get(family, ((), []))
            if value > seen:
                highest[family] = (value, [str(path.relative_to(root))])
            elif value == seen:
                who.append(str(path.relative_to(root)))
    bundled = {p.name for p in files}
    return {
        "elf_files": len(files),
        "glibc": _text(highest.get("GLIBC", ((0,), []))[0]),
        "glibc_needed_by": highest.get("GLIBC", ((), []))[1][:10],
        "glibcxx": _text(highest.get("GLIBCXX", ((0,), []))[0]),
        "libstdcxx_bundled": any(name.startswith("libstdc++.so") for name in bundled),
    }


def system_libraries(root: Path) -> list[str]:
    files = elf_files(root)
    provided = {p.name for p in root.rglob("*")}
    wanted = set()
    for path in files:
        wanted.update(name for name in needed(path) if name not in provided)
    return sorted(wanted)


def on_this_system() -> set[str]:
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                             check=False).stdout
    return set(re.findall(r"^\s+(\S+)\s+\(", listing, re.MULTILINE))


def search_paths(path: Path) -> list[str]:
    found = re.findall(r"^\s+(?:RPATH|RUNPATH)\s+(\S+)$", _objdump("-p", path), re.MULTILINE)
    return [entry for value in found for entry in value.split(":") if entry]


def foreign_search_paths(root: Path) -> dict[Path, list[str]]:
    """Files whose search paths name anything but a place inside the bundle ($ORIGIN…)."""
    out = {}
    for path in elf_files(root):
        entries = search_paths(path)
        if any(not entry.startswith("$ORIGIN") for entry in entries):
            out[path] = entries
    return out


def fix_search_paths(root: Path) -> int:
    fixed = 0
    for path, entries in foreign_search_paths(root).items():
        kept = [entry for entry in entries if entry.startswith("$ORIGIN")]
        command = (["patchelf", "--set-rpath", ":".join(kept), str(path)] if kept
                   else ["patchelf", "--remove-rpath", str(path)])
        subprocess.run(command, check=True)
        fixed += 1
    return fixed


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "rpaths":
        foreign = foreign_search_paths(Path(argv[1]))
        for path, entries in foreign.items():
            print(f"{path}\t{':'.join(entries)}")
        return 1 if foreign else 0
    if len(argv) == 2 and argv[0] == "fix-rpaths":
        print(f"search paths outside the bundle taken out of {fix_search_paths(Path(argv[1]))} files")
        return 1 if foreign_search_paths(Path(argv[1])) else 0
    if len(argv) != 2 or argv[0] not in {"floor", "system", "missing"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, root = argv[0], Path(argv[1])
    if command == "floor":
        print(json.dumps(floor(root), indent=1))
        return 0
    libraries = system_libraries(root)
    if command == "system":
        print("\n".join(libraries))
        return 0
    absent = [name for name in libraries if name not in on_this_system()]
    for name in absent:
        print(name)
    return 1 if absent else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
