"""hejie-admin check: SQLite integrity check and the migration state of the database."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from desktop import paths
from desktop.db.engine import make_engine
from desktop.db.migrate import current_revision, head_revision, known_revisions
from desktop.db.repositories import integrity_check
from desktop.db.uow import UnitOfWork
from desktop.domain.errors import DomainError


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("check", parents=[common], help="检查数据库完整性和结构版本")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    database = paths.database_path(args.data_dir)
    if not database.exists():
        raise DomainError(f"数据库文件 {database} 不存在")
    # Checking must not migrate the file: no open_services() here.
    engine = make_engine(database)
    try:
        current, head = current_revision(engine), head_revision()
        with UnitOfWork(engine, write=False) as uow:
            problems = integrity_check(uow.session)
    except SQLAlchemyError as exc:
        raise DomainError(f"无法读取数据库文件 {database}：{exc.orig or exc}") from exc
    finally:
        engine.dispose()
    size = database.stat().st_size
    print(f"数据库：{database}（{size / 1024 / 1024:.1f} MB）")
    print(f"结构版本：{current or '无'}；本程序版本：{head}", end="")
    if current == head:
        print("（最新）")
    elif current is None:
        print("（不是和解台数据库，或尚未初始化）")
    elif current in known_revisions():
        print("（需要升级：下次打开时会先备份再自动升级）")
    else:
        print("（由更新版本的和解台创建，本程序不能打开，请升级程序）")
    ok = problems == ["ok"]
    print("完整性检查：通过" if ok else "完整性检查：发现问题")
    if not ok:
        for line in problems[:50]:
            print(f"  - {line}")
    return 0 if ok and current == head else 1
