"""hejie-district: run the district hub and administer it from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from desktop import collector
from desktop.domain.complaint import LABELS
from desktop.domain.numbering import slot_range
from desktop.domain.offices import tier_choices
from desktop.files import write_atomic
from desktop.sync import bundle
from desktop.sync.protocol import DispatchRequest, OfficeCreate, is_loopback
from district import admin, audit, store
from district.db import DEFAULT_DB, HubDatabaseError, default_blob_dir
from district.errors import HubError, Msg
from district.hub import Hub, open_hub

DB_ENV = "HEJIE_DISTRICT_DB"
KINDS = {"district": "区局", "sub_bureau": "分局", "station": "投诉站"}


class CliError(Exception):
    """A message for the administrator; the command exits with status 1."""


def _hub(args: argparse.Namespace) -> Hub:
    return open_hub(args.db, getattr(args, "blob_dir", None))


def _time(value: Any) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


# ------------------------------------------------------------------------------ commands
def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from district.app import create_app

    tls = bool(args.tls_cert and args.tls_key)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert 与 --tls-key 需要同时提供")
    if not tls and not is_loopback(args.host) and not args.insecure_http:
        raise CliError(f"拒绝在 {args.host} 上以明文 HTTP 提供服务：生产环境须使用 HTTPS，请提供 "
                       "--tls-cert 与 --tls-key；仅在受信任的内网测试时可加 --insecure-http")
    blob_dir = args.blob_dir or default_blob_dir(args.db)
    app = create_app(args.db, blob_dir)
    collector.settle_server()  # what start-up made lives as long as the server
    print(f"区局平台已启动：{'https' if tls else 'http'}://{args.host}:{args.port}"
          f"（数据库 {args.db}，附件目录 {blob_dir}）", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False,
                ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)


def cmd_migrate(args: argparse.Namespace) -> None:
    hub = open_hub(args.db)
    print(f"数据库结构已是最新版本（{hub.db.hub_id}）")


def cmd_office_add(args: argparse.Namespace) -> None:
    if args.kind == "station" and not (args.tier or "").strip():
        raise CliError(f"投诉站需要 --tier（类别）：{tier_choices()}，写代码或名称均可，"
                       "如 --tier general 或 --tier 一般商贸企业")
    hub = _hub(args)
    spec = OfficeCreate(code=args.code, name=args.name, kind=args.kind, parent=args.parent,
                        tier=args.tier, address=args.address, phone=args.phone)
    with hub.db.write() as session:
        office = admin.add_office(session, spec, hub.clock.now())
    print(f"已添加单位 {office.code} {office.name}（{KINDS[office.kind]}"
          f"{'，上级 ' + office.parent if office.parent else ''}）")


def cmd_office_list(args: argparse.Namespace) -> None:
    hub = _hub(args)
    with hub.db.read() as session:
        offices = admin.office_status(session)
    print("代码\t名称\t类别\t上级\t设备\t最近同步\t单位待上传\t平台待下发\t审计核对")
    for o in offices:
        checked = "—"
        if o.audit_status:
            # The worst of the office's devices; for a problem, which one (audit-accept --device).
            which = (f"，设备 {o.audit_device}"
                     if o.audit_status in ("restored", "diverged") and o.audit_device else "")
            checked = (f"{audit.LABELS.get(o.audit_status, o.audit_status)}"
                       f"（{_time(o.audit_at)}{which}）")
        if o.audit_problem and o.audit_problem != o.audit_status:
            checked += (f"；{_time(o.audit_problem_at)} 曾"
                        f"{audit.LABELS.get(o.audit_problem, o.audit_problem)}")
        print(f"{o.code}\t{o.name}\t{KINDS.get(o.kind, o.kind)}\t{o.parent or '—'}\t{o.devices}\t"
              f"{_time(o.last_sync_at)}\t{o.office_backlog}\t{o.hub_backlog}\t{checked}")


def cmd_office_audit_accept(args: argparse.Namespace) -> None:
    hub = _hub(args)
    office = args.office.strip().upper()
    with hub.db.write() as session:
        accepted = audit.accept(session, office, args.device)
    which = f"设备 {accepted[0]}" if args.device else f"全部 {len(accepted)} 台设备"
    print(f"已接受单位 {office} {which}现有的审计日志：各设备下次同步时报告的审计日志"
          f"作为新的核对起点")


def cmd_enrol_code(args: argparse.Namespace) -> None:
    hub = _hub(args)
    with hub.db.write() as session:
        issued = admin.issue_enrol_code(session, args.office, hub.clock.now(), args.days)
    print(issued.code)
    print(f"单位 {issued.office} 的设备登记码，一次有效，{_time(issued.expires_at)} 前使用",
          file=sys.stderr)


def cmd_device_list(args: argparse.Namespace) -> None:
    hub = _hub(args)
    with hub.db.read() as session:
        rows = admin.list_devices(session)
    print("设备编号\t单位\t名称\t编号段\t登记时间\t最近联系\t待发送\t状态")
    for d in rows:
        block = f"{slot_range(d.number_slot).start:04d} 起"
        print(f"{d.device_id}\t{d.office}\t{d.name or '—'}\t{block}\t{_time(d.enrolled_at)}\t"
              f"{_time(d.last_seen_at)}\t{d.office_backlog}\t{'已停用' if d.revoked else '正常'}")


def cmd_device_revoke(args: argparse.Namespace) -> None:
    hub = _hub(args)
    with hub.db.write() as session:
        device = admin.revoke_device(session, args.device_id, hub.clock.now())
    print(f"已停用设备 {device.device_id}（{device.office} {device.name}）")


def cmd_dispatch(args: argparse.Namespace) -> None:
    fields: dict[str, Any] = {}
    if args.file:
        try:
            fields = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CliError(f"无法读取投诉文件 {args.file}：{exc}") from exc
        if not isinstance(fields, dict):
            raise CliError(f"投诉文件 {args.file} 应为一个 JSON 对象")
    for name in _DISPATCH_FIELDS:
        value = getattr(args, name)
        if value is not None:
            fields[name] = value
    fields["office"] = args.office
    try:
        request = DispatchRequest.model_validate(fields)
    except ValidationError as exc:
        problems = "；".join(_problem(e) for e in exc.errors())
        raise CliError(f"分流内容不完整或格式不正确：{problems}") from exc
    hub = _hub(args)
    with hub.db.write() as session:
        done = admin.dispatch(session, request, hub.db.hub_id, hub.clock.now())
    print(f"已分流投诉 {done.number} 至 {done.office}（{done.uuid}）")


_DISPATCH_FIELDS = [n for n in DispatchRequest.model_fields if n != "office"]


def _problem(error: Any) -> str:
    name = str(error["loc"][0]) if error.get("loc") else ""
    label = f"{LABELS.get(name, name)}（--{name.replace('_', '-')}）" if name else ""
    return f"{label}{'必须填写' if error.get('type') == 'missing' else '：' + error['msg']}"


def cmd_import_bundle(args: argparse.Namespace) -> None:
    from district.bundles import import_bundle

    path = Path(args.file)
    try:
        if path.stat().st_size > bundle.MAX_TOTAL_BYTES:  # refused before it is read
            raise CliError(Msg.BUNDLE_TOO_LARGE.format(limit=bundle.MAX_TOTAL_BYTES // 1024 ** 2))
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"无法读取同步包 {path}：{exc}") from exc
    hub = _hub(args)
    receipt, summary = import_bundle(hub, data)
    out = Path(args.receipt) if args.receipt else path.with_name(path.stem + ".receipt.hejie")
    write_atomic(out, receipt)
    if summary.already_imported:
        print(f"该同步包此前已导入（单位 {summary.office}），已重新生成相同的回执：{out}")
    else:
        print(f"已导入单位 {summary.office} 的同步包：确认 {summary.acked} 条，冲突 "
              f"{summary.conflicts} 条，拒绝 {summary.rejected} 条，暂缓 {summary.deferred} 条；"
              f"回执带回 {summary.records_out} 条记录：{out}")


def cmd_prune(args: argparse.Namespace) -> None:
    if args.days < 1:
        raise CliError("--days 至少为 1")
    hub = _hub(args)
    with hub.db.write() as session:
        count, horizon = store.prune_tombstones(session, hub.clock.now() - timedelta(days=args.days))
    print(f"已清理 {count} 条 {args.days} 天前的删除记录；早于序号 {horizon} 的同步位置需重新下载全部数据")


def cmd_admin_token(args: argparse.Namespace) -> None:
    hub = _hub(args)
    with hub.db.write() as session:
        token = admin.create_admin_token(session, hub.clock.now())
    print(token)
    print("区局管理凭据已生成，只显示这一次，请妥善保存（请求头 Authorization: Bearer …）",
          file=sys.stderr)


# ------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=os.environ.get(DB_ENV, DEFAULT_DB),
                        help=f"数据库地址（默认 {DEFAULT_DB}，或环境变量 {DB_ENV}），"
                             "例如 postgresql+psycopg://user@host/db")
    blobs = argparse.ArgumentParser(add_help=False)
    blobs.add_argument("--blob-dir", help="附件目录（默认：SQLite 文件旁，或 ./hejie-district-blobs）")

    parser = argparse.ArgumentParser(prog="hejie-district", description="和解台 区局平台")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], None], help_text: str,
            parents: Sequence[argparse.ArgumentParser] = (), into: Any = sub) -> argparse.ArgumentParser:
        p = into.add_parser(name, help=help_text, description=help_text,
                            parents=[common, *parents])
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, "迁移数据库并启动区局平台", [blobs])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--tls-cert", help="HTTPS 证书文件（PEM）")
    p.add_argument("--tls-key", help="HTTPS 私钥文件（PEM）")
    p.add_argument("--insecure-http", action="store_true", help="允许在非本机地址上使用明文 HTTP")

    add("migrate", cmd_migrate, "把数据库升级到本程序的结构版本")

    office = sub.add_parser("office", help="单位管理").add_subparsers(dest="office_command",
                                                                     required=True)
    p = add("add", cmd_office_add, "添加单位", into=office)
    p.add_argument("code", help="单位代码，2–12 位大写字母或数字")
    p.add_argument("name", help="单位名称")
    p.add_argument("--kind", required=True, choices=list(KINDS), help="类别")
    p.add_argument("--parent", help="上级单位代码")
    p.add_argument("--tier", help=f"投诉站类别（--kind station 时必填）：{tier_choices()}，"
                                  "写代码或名称均可")
    p.add_argument("--address", default="")
    p.add_argument("--phone", default="")
    add("list", cmd_office_list, "列出单位及其同步情况", into=office)
    p = add("audit-accept", cmd_office_audit_accept,
            "核查过“历史被改写”的单位后，接受其现有审计日志作为新的核对起点", into=office)
    p.add_argument("office", help="单位代码")
    p.add_argument("--device", help="只接受这台设备的审计日志（设备编号，见 office list 或 "
                                    "device list）；不写则接受该单位全部设备的")

    p = add("enrol-code", cmd_enrol_code, "为单位生成一次性设备登记码")
    p.add_argument("office", help="单位代码")
    p.add_argument("--days", type=int, default=7, help="有效天数（默认 7）")

    device = sub.add_parser("device", help="设备管理").add_subparsers(dest="device_command",
                                                                     required=True)
    add("list", cmd_device_list, "列出已登记的设备", into=device)
    p = add("revoke", cmd_device_revoke, "停用设备", into=device)
    p.add_argument("device_id", help="设备编号")

    p = add("dispatch", cmd_dispatch, "向单位分流一件投诉")
    p.add_argument("--office", required=True, help="接收投诉的单位代码")
    p.add_argument("--file", help="投诉内容 JSON 文件（字段同 DispatchRequest）")
    for name in _DISPATCH_FIELDS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name)

    p = add("import-bundle", cmd_import_bundle, "导入单位的 U 盘同步包并生成回执", [blobs])
    p.add_argument("file", help="同步包文件")
    p.add_argument("--receipt", help="回执文件（默认：同步包文件名加 .receipt.hejie）")

    p = add("prune", cmd_prune, "清理早于指定天数的删除记录")
    p.add_argument("--days", type=int, required=True)

    add("admin-token", cmd_admin_token, "生成一个区局管理凭据（管理接口使用）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (CliError, HubError, HubDatabaseError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
