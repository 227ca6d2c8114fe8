"""Issue 23, item 1: argparse's own texts of hejie-admin and hejie are Chinese."""

from __future__ import annotations

import re

import pytest

from desktop.cli.main import build_parser
from desktop.cli.main import main as admin_main
from desktop.ui.app import parse_args

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|invalid choice|"
                     r"the following arguments|unrecognized arguments|error:|expected one argument")


def test_admin_help_is_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：hejie-admin")
    assert "显示本帮助并退出" in out and "显示版本号并退出" in out and "选项" in out
    assert not ENGLISH.search(out), out


def test_admin_errors_are_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stopped:
        admin_main(["bogus"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "hejie-admin：错误：" in err and "无效的选项：'bogus'" in err and "可选：'init'" in err
    with pytest.raises(SystemExit):
        admin_main(["calendar"])
    err = capsys.readouterr().err
    assert "缺少必需的参数：子命令" in err
    with pytest.raises(SystemExit):
        admin_main(["calendar", "due", "--data-dir"])
    err = capsys.readouterr().err
    assert "需要一个值" in err
    assert not ENGLISH.search(err), err


def test_window_program_options_are_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：hejie") and "--demo" in out and not ENGLISH.search(out), out
    with pytest.raises(SystemExit):
        parse_args(["--nonsense"])
    err = capsys.readouterr().err
    assert "hejie：错误：无法识别的参数：--nonsense" in err
