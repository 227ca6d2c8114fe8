"""hejie-admin mask: complaint text from standard input, fit for the 公示, to standard output.

    echo 投诉人张伟称… | hejie-admin mask --name 张伟 > 公示.txt

Needs no database: the rules are in desktop.domain.masking.
"""

from __future__ import annotations

import argparse
import sys

from desktop.domain.errors import DomainError
from desktop.domain.masking import mask


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "mask",
        parents=[common],
        help="个人信息脱敏：从标准输入读取投诉内容，输出可公示的文本",
        description="从标准输入读取文本（UTF-8），隐去姓名、电话、身份证号、银行卡号、车牌号和"
        "住址，结果写到标准输出（UTF-8）。企业名称、商品、金额、日期保留。不需要数据库。",
    )
    p.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="姓名",
        help="记录中已知的当事人姓名（如投诉人），文中每处都隐去；可重复",
    )
    p.set_defaults(run=run)


def _read_stdin() -> str:
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # already text (an embedding program, tests)
        return sys.stdin.read()
    try:  # bytes, so the console's code page does not matter; a BOM from Notepad is dropped
        return raw.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"标准输入不是 UTF-8 文本（第 {exc.start + 1} 个字节），请转换编码后重试"
        ) from None


def _write_stdout(text: str) -> None:
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    raw.write(text.encode("utf-8"))
    raw.flush()


def run(args: argparse.Namespace) -> int:
    _write_stdout(mask(_read_stdin(), args.name))
    return 0
