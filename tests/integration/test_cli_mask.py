"""hejie-admin mask: standard input to standard output, no database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main

TEXT = (
    "投诉人张伟称，其于2026年3月5日在苏州东吴汽车销售服务有限公司购买轿车，价格158000元。\n"
    "联系电话138 1234 5678，家住苏州市吴中区长桥街道宝带西路100号3幢201室。张伟要求退车。\n"
)
MASKED = (
    "投诉人张某称，其于2026年3月5日在苏州东吴汽车销售服务有限公司购买轿车，价格158000元。\n"
    "联系电话【电话】，家住苏州市吴中区【地址】。张某要求退车。\n"
)


def test_mask_reads_stdin_and_writes_stdout(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8")), "utf-8"))
    code = main(["mask", "--data-dir", str(tmp_path / "none")])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == MASKED
    assert captured.err == ""
    assert not (tmp_path / "none").exists()  # no database was opened or created


def test_names_given_on_the_command_line(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = "欧阳娜娜反映羊毛衫实为化纤，王小明陪同。欧阳娜娜女士要求退款。"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["mask", "--name", "欧阳娜娜", "--name", "王小明"])
    out = capsys.readouterr().out
    assert code == 0
    assert out == "欧阳某反映羊毛衫实为化纤，王某陪同。欧阳女士要求退款。"


def test_input_that_is_not_utf8_is_refused(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gbk = "投诉人张伟称".encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gbk), "utf-8"))
    code = main(["mask"])
    captured = capsys.readouterr()
    assert code == 2
    assert "UTF-8" in captured.err and captured.out == ""


def test_help_is_in_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main(["mask", "--help"])
    out = capsys.readouterr().out
    assert "标准输入" in out and "--name" in out


def test_utf8_round_trip_through_a_real_process(tmp_path: Path) -> None:
    text = "\ufeff" + TEXT.replace("\n", "\r\n") + "车牌苏EA1234D，身份证32050619850312123X。"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "mask", "--name", "张伟"],
        input=text.encode("utf-8"),
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONIOENCODING": "ascii", "HEJIE_DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    expected = MASKED.replace("\n", "\r\n") + "车牌【车牌号】，身份证【身份证号】。"
    assert done.stdout.decode("utf-8") == expected  # BOM dropped, CRLF kept, no ASCII errors
