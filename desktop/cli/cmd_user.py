"""hejie-admin user: list, add, disable, enable, reset a password."""

from __future__ import annotations

import argparse

from desktop.cli.common import login, password, require_initialized, services
from desktop.domain.errors import DomainError
from desktop.domain.workflow import Role


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("user", parents=[common], help="用户管理")
    p.add_argument("action", choices=["list", "add", "disable", "enable", "reset-password"])
    p.add_argument("username", nargs="?", help="要操作的用户名")
    p.add_argument("--as", dest="admin", default="admin", help="以哪个管理员身份操作")
    p.add_argument("--name", help="姓名（add）")
    p.add_argument("--office", help="所属单位代码（add，默认本单位）")
    p.add_argument("--role", action="append", choices=[r.value for r in Role], help="角色，可多次")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    s = services(args.data_dir, user=args.admin)
    try:
        require_initialized(s)
        admin = login(s, args.admin)
        if args.action == "list":
            offices = {o.id: o for o in s.offices.all()}
            for u in s.users.list(admin):
                roles = "、".join(r.label for r in u.roles)
                state = "启用" if u.active else "停用"
                print(f"{u.username:<16}{u.display_name:<8}{offices[u.office_id].name:<24}{roles}  {state}")
            return 0
        if not args.username:
            raise DomainError("请给出用户名")
        if args.action == "add":
            offices = {o.code: o for o in s.offices.all()}
            office = offices.get(args.office) if args.office else s.offices.local()
            if office is None:
                raise DomainError(f"单位代码 {args.office} 不存在")
            info = s.users.create(
                admin, username=args.username, display_name=args.name or args.username,
                password=password("新用户的密码：", "HEJIE_NEW_PASSWORD"), office_id=office.id,
                roles={Role(r) for r in (args.role or [Role.CLERK.value])},
            )
            print(f"已新建用户 {info.username}")
            return 0
        target = next((u for u in s.users.list(admin) if u.username == args.username), None)
        if target is None:
            raise DomainError(f"用户 {args.username} 不存在")
        if args.action == "reset-password":
            s.users.reset_password(admin, target.id, password("新密码：", "HEJIE_NEW_PASSWORD"))
            print(f"已重置 {target.username} 的密码并解除锁定")
        else:
            s.users.set_active(admin, target.id, args.action == "enable")
            print(f"已{'启用' if args.action == 'enable' else '停用'}用户 {target.username}")
        return 0
    finally:
        s.close()
