"""argparse's own texts in Chinese (usage, options, the help option, its error messages), for
hejie and hejie-admin.

argparse translates its texts with gettext through the module's globals `_` and `ngettext`,
looked up at each call. `install()` replaces them with functions that answer from the table
below (and fall back to gettext for anything argparse adds later). It changes argparse for the
whole process: the office programs' processes are theirs alone.
"""

from __future__ import annotations

import argparse
import gettext

# Python 3.11 to 3.13's argparse texts (the source strings are argparse's, verbatim).
TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出 %s 中的一个参数",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "%r is not callable": "%r 不可调用",
    "cannot have multiple subparser arguments": "不能有多组子命令",
    "argument \"-\" with mode %r": "参数“-”不能以 %r 模式打开",
    "mutually exclusive arguments must be optional": "互斥的参数必须是可选参数",
    "dest= is required for options like %r": "%r 这样的选项需要 dest=",
    "invalid conflict_resolution value: %r": "无效的 conflict_resolution 值：%r",
    "cannot merge actions - two groups are named %r": "无法合并：两个参数组都叫 %r",
    "'required' is an invalid argument for positionals": "位置参数不能设 required",
    "conflicting subparser: %s": "子命令重复：%s",
    "conflicting subparser alias: %s": "子命令别名重复：%s",
    "default": "默认",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
    ("conflicting option string: %s", "conflicting option strings: %s"): "选项重复：%s",
}


def translate(text: str) -> str:
    return TEXTS.get(text) or gettext.gettext(text)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural)) or gettext.ngettext(singular, plural, n)


def install() -> None:
    """From now on argparse speaks Chinese (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]

