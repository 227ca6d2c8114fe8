"""The shipped files (top-level resources/) are found through desktop/shipped.py, the one place
that knows where a checkout, an installed wheel and a bundle keep them, and all of them install."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from desktop import shipped

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
NOT_INSTALLED = {"icons/render.py"}  # draws the icon; run by hand, not by the program


@pytest.fixture(autouse=True)
def fresh_lookup():  # type: ignore[no-untyped-def]
    shipped.resource_dir.cache_clear()
    yield
    shipped.resource_dir.cache_clear()


def test_a_checkout_finds_the_top_level_resources() -> None:
    assert shipped.resource_dir() == RESOURCES
    assert not (ROOT / "desktop" / "resources").exists()


def test_every_file_the_program_reads_is_found() -> None:
    from desktop.forms import fonts

    needed = shipped.required()
    missing = [str(p) for p in needed if not p.is_file()]
    assert not missing
    assert {p.name for p in needed} >= {"codetables.json", "rulesets.json", "uming.ttc",
                                        "wqy-zenhei.ttc", "hejie.svg", "hejie-16.png", "hejie-256.png"}
    assert fonts.font_path(fonts.BODY).parent == shipped.path("fonts")
    assert shipped.read_json("codetables.json")
    assert json.loads(shipped.path("rulesets.json").read_text("utf-8"))["rule_sets"]


def test_the_loaders_read_through_the_one_place(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.forms import fonts
    from desktop.services import setup
    from desktop.services.reference import shipped_rule_sets

    copy = tmp_path / "resources"
    copy.mkdir()
    (copy / "fonts").symlink_to(RESOURCES / "fonts", target_is_directory=True)
    rules = json.loads((RESOURCES / "rulesets.json").read_text("utf-8"))
    rules["rule_sets"][0]["name"] = "从别处读到的规则"
    (copy / "rulesets.json").write_text(json.dumps(rules, ensure_ascii=False), "utf-8")
    (copy / "codetables.json").write_text(json.dumps({"别处": []}), "utf-8")
    monkeypatch.setenv("HEJIE_RESOURCES", str(copy))

    assert shipped.resource_dir() == copy
    assert shipped_rule_sets()[0].rules.name == "从别处读到的规则"
    assert setup._resource("codetables.json") == {"别处": []}
    assert fonts.font_dir() == copy / "fonts"


def test_no_other_module_looks_for_the_resources_itself() -> None:
    pattern = re.compile(r"importlib import resources|importlib\.resources|[\"']desktop\.resources[\"']"
                         r"|parent\s*/\s*[\"']resources[\"']")
    offenders = [str(f.relative_to(ROOT)) for top in ("desktop", "district", "bench")
                 for f in (ROOT / top).rglob("*.py")
                 if f.name != "shipped.py" and pattern.search(f.read_text("utf-8"))]
    assert not offenders


def test_every_resource_file_installs_with_the_package() -> None:
    """Each file in resources/ matches a package-data pattern of desktop.resources, which
    setup.py maps to the top-level resources/ folder."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["desktop.resources"]
    installed = {p for pattern in patterns for p in RESOURCES.glob(pattern) if p.is_file()}
    files = {p for p in RESOURCES.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    left_out = {p.relative_to(RESOURCES).as_posix() for p in files - installed}
    assert left_out == NOT_INSTALLED
    setup_py = (ROOT / "setup.py").read_text("utf-8")
    assert re.search(r"package_dir=\{\s*\"desktop\.resources\":\s*\"resources\"", setup_py)


def _fake_tree(root: Path, *folders: str) -> None:
    for folder in folders:
        (root / folder).mkdir(parents=True)
        (root / folder / shipped.MARKER).write_text("{}", "utf-8")


def test_an_installed_package_uses_its_own_resources(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # site-packages/desktop/resources (the wheel) wins over some other site-packages/resources
    site = tmp_path / "site-packages"
    _fake_tree(site, "desktop/resources", "resources")
    monkeypatch.setattr(shipped, "__file__", str(site / "desktop" / "shipped.py"))
    monkeypatch.delenv("HEJIE_RESOURCES", raising=False)
    assert shipped.resource_dir() == site / "desktop" / "resources"


def test_a_bundle_finds_its_resources(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _fake_tree(tmp_path, "bundle/resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    monkeypatch.setattr(shipped, "__file__", str(tmp_path / "bundle" / "desktop" / "shipped.pyc"))
    monkeypatch.delenv("HEJIE_RESOURCES", raising=False)
    assert shipped.resource_dir() == tmp_path / "bundle" / "resources"


def test_missing_resources_are_named(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(shipped, "__file__", str(tmp_path / "desktop" / "shipped.py"))
    monkeypatch.delenv("HEJIE_RESOURCES", raising=False)
    with pytest.raises(shipped.ResourcesMissing, match="重新安装"):
        shipped.resource_dir()


def test_the_icon_renders_match_their_sizes() -> None:
    for size, file in shipped.icon_paths().items():
        data = file.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size), file.name
