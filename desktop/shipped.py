"""The one place that finds the files shipped with the program (the top-level `resources/`:
fonts and their licences, icons, code tables, rule sets, translations). No Qt import.

Where they are:
- a source checkout, or an editable install (`pip install -e`): `resources/` beside `desktop/`;
- an installed wheel: the build maps `resources/` to the package directory `desktop/resources/`
  (setup.py: `package_dir`), so it sits inside the installed `desktop/`;
- a PyInstaller bundle: `sys._MEIPASS/resources` (the spec copies the folder there; or to
  `desktop/resources`, which the rule for a wheel finds).

The files are read from the file system, never through a zip import: ReportLab and Qt want the
fonts' paths. `HEJIE_RESOURCES` names the folder explicitly (an installer's own layout, or a
test); it must hold `MARKER`.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

MARKER = "codetables.json"  # a file every resources folder has: tells it from a stray folder

# Every file the program reads at run time, relative to the resources folder.
CODE_TABLES = "codetables.json"
RULE_SETS = "rulesets.json"
FONTS = "fonts"
ICONS = "icons"
# The application icon: PNG renders for the window (hand-tuned small sizes) and the SVG source.
ICON_SIZES = (16, 32, 48, 256)
ICON_SVG = "icons/hejie.svg"
# What Qt's own Chinese translation lacks (compiled from the .ts beside it).
QT_TRANSLATION = "translations/hejie_qt_zh_CN.qm"
# The user guide (docs/user-guide.md and its screenshots): a checkout reads docs/; a wheel maps
# docs/ to the package directory desktop/guide (setup.py); a bundle has sys._MEIPASS/guide.
USER_GUIDE = "user-guide.md"


class ResourcesMissing(RuntimeError):
    """The program's shipped files are not where an install or a checkout puts them."""


def candidates() -> list[Path]:
    """Where the resources folder may be, in the order looked at."""
    out = []
    override = os.environ.get("HEJIE_RESOURCES")
    if override:
        out.append(Path(override))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        out.append(Path(frozen) / "resources")
    package = Path(__file__).resolve().parent
    out.append(package / "resources")  # installed wheel (and a bundle keeping the package layout)
    out.append(package.parent / "resources")  # source checkout, editable install
    return out


@lru_cache(maxsize=1)
def resource_dir() -> Path:
    """The folder holding the shipped files; ResourcesMissing when there is none."""
    looked = candidates()
    for folder in looked:
        if (folder / MARKER).is_file():
            return folder
    raise ResourcesMissing(
        "找不到程序自带的资源文件（字体、代码表、规则）。查找过："
        + "；".join(str(p) for p in looked) + "。请重新安装程序。")


def path(name: str) -> Path:
    """The path of a shipped file or folder, e.g. `path("fonts")`, `path("rulesets.json")`."""
    return resource_dir() / name


def read_json(name: str) -> Any:
    return json.loads(path(name).read_text("utf-8"))


def icon_paths() -> dict[int, Path]:
    """The application icon's PNG renders by edge length in pixels."""
    return {size: path(f"{ICONS}/hejie-{size}.png") for size in ICON_SIZES}


def user_guide() -> Path:
    """The Chinese user guide shown by 帮助 → 使用说明; ResourcesMissing when there is none."""
    looked = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        looked.append(Path(frozen) / "guide")
    package = Path(__file__).resolve().parent
    looked += [package / "guide", package.parent / "docs"]
    for folder in looked:
        if (folder / USER_GUIDE).is_file():
            return folder / USER_GUIDE
    raise ResourcesMissing(
        "找不到使用说明。查找过：" + "；".join(str(p) for p in looked) + "。请重新安装程序。")


def required() -> list[Path]:
    """Every shipped file the program reads at run time (checked by the tests and the bundles)."""
    from desktop.forms.fonts import _FILES  # font names live with the code that uses them

    files = [path(CODE_TABLES), path(RULE_SETS), path(ICON_SVG), *icon_paths().values(),
             path(QT_TRANSLATION), user_guide()]
    files += [path(FONTS) / name for name in _FILES.values()]
    return files
