"""hejie-admin init: a new database for this office, with its first administrator."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import password, services
from desktop.domain.errors import DomainError
from desktop.domain.offices import OFFICE_KINDS, tier_choices
from desktop.forms import recovery_sheet
from desktop.services.offices import OfficeSpec


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("init", parents=[common], help="新建本单位数据库和第一个管理员")
    p.add_argument("--district-code", required=True, help="区局代码，如 WZ")
    p.add_argument("--district-name", required=True, help="区局名称，如 苏州市吴中区市场监督管理局")
    p.add_argument("--office-code", help="本单位代码，如 WZCQ 或 WZCQ01（区局本身不需要）")
    p.add_argument("--office-name", help="本单位名称（区局本身不需要）")
    p.add_argument("--office-kind", choices=sorted(OFFICE_KINDS), default="sub_bureau",
                   help="本单位类型：sub_bureau 分局，station 投诉站，district 区局")
    p.add_argument("--parent-code", help="投诉站所属分局的代码")
    p.add_argument("--parent-name", help="投诉站所属分局的名称")
    p.add_argument("--tier", help=f"投诉站类别（投诉站必填）：{tier_choices()}，写代码或名称均可")
    p.add_argument("--admin", default="admin", help="管理员用户名（默认 admin）")
    p.add_argument("--admin-name", default="系统管理员", help="管理员姓名")
    p.add_argument("--recovery-sheet", type=Path, metavar="PDF",
                   help="把恢复密钥单（A4 PDF）写到这里：打印后交保险柜保管，并删除该文件")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    specs = [OfficeSpec(args.district_code, args.district_name, "district")]
    if args.office_kind != "district" and not (args.office_code and args.office_name):
        raise DomainError("分局或投诉站需要 --office-code 和 --office-name")
    if args.office_kind == "station":
        if not (args.parent_code and args.parent_name):
            raise DomainError("投诉站需要 --parent-code 和 --parent-name（所属分局）")
        if not (args.tier or "").strip():
            raise DomainError(f"投诉站需要 --tier（类别）：{tier_choices()}，写代码或名称均可")
        specs.append(OfficeSpec(args.parent_code, args.parent_name, "sub_bureau", args.district_code))
        specs.append(OfficeSpec(args.office_code, args.office_name, "station", args.parent_code,
                                tier=args.tier))
    elif args.office_kind == "sub_bureau":
        specs.append(OfficeSpec(args.office_code, args.office_name, "sub_bureau", args.district_code))
    s = services(args.data_dir, create=True)
    try:
        secret = password("管理员密码（至少 8 位，含字母和数字）：")
        local = args.district_code if args.office_kind == "district" else args.office_code
        s.setup.initialize(offices=specs, local_office_code=local, admin_username=args.admin,
                           admin_name=args.admin_name, admin_password=secret)
        code = s.setup.first_recovery_key()
        office = s.offices.local().name
        print(f"已创建数据库 {s.database}（已加密）")
        print(f"本单位：{office}；管理员：{args.admin}")
        print(f"恢复密钥：{code}")
        print("所有密码都忘记时，只有恢复密钥能打开数据库和备份：请把它打印在恢复密钥单上，交保险柜保管。")
        if args.recovery_sheet is not None:
            recovery_sheet.write(args.recovery_sheet, code, office, s.ctx.clock.now())
            print(f"恢复密钥单已写到 {args.recovery_sheet}：打印后请删除这个文件。")
    finally:
        s.close()
    return 0
