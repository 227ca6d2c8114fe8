"""hejie-admin sync: enrol with the district hub, run a sync round, USB bundles and receipts.

    hejie-admin sync enrol https://hub.example:8443 K7QM-3XPA [--ca-bundle ca.pem]
    hejie-admin sync run
    hejie-admin sync status
    hejie-admin sync export-bundle E:/同步包.hejie
    hejie-admin sync import-receipt E:/同步包.hejie.receipt.hejie
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import login, require_initialized, services
from desktop.sync.client import SyncError
from desktop.sync.protocol import ErrorCode


def register(sub, common) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("sync", parents=[common], help="与区局同步：登记、同步、U 盘同步包",
                       description="与区局同步服务器交换数据。")
    actions = p.add_subparsers(dest="sync_command", required=True, metavar="操作")

    enrol = actions.add_parser("enrol", parents=[common], help="用一次性登记码把本机登记到区局")
    enrol.add_argument("url", help="区局同步服务器地址，如 https://10.1.2.3:8443")
    enrol.add_argument("code", help="区局管理员给出的一次性登记码")
    enrol.add_argument("--ca-bundle", default="", metavar="文件",
                       help="单位内网自己的证书机构文件（PEM）")
    enrol.add_argument("--user", default="admin", help="执行登记的管理员账号（默认 admin）")
    enrol.set_defaults(run=_enrol)

    run = actions.add_parser("run", parents=[common], help="立即同步一次，并列出双向各传了什么")
    run.set_defaults(run=_run)

    status = actions.add_parser("status", parents=[common], help="登记情况、待发送数、冲突与上次结果")
    status.set_defaults(run=_status)

    retry = actions.add_parser("retry-rejected", parents=[common],
                               help="区局处理了拒绝原因（如补建了单位）后，把被拒绝的记录重新排队发送")
    retry.add_argument("--user", default="admin", help="以哪个账号操作（默认 admin）")
    retry.set_defaults(run=_retry)

    export = actions.add_parser("export-bundle", parents=[common],
                                help="导出同步包（所有尚未被区局确认的数据及附件），用 U 盘带到区局")
    export.add_argument("file", type=Path)
    export.add_argument("--user", default="admin", help="以哪个账号导出（默认 admin）")
    export.set_defaults(run=_export)

    receipt = actions.add_parser("import-receipt", parents=[common],
                                 help="导入区局给出的回执：确认已送达的数据，并接收区局发来的数据")
    receipt.add_argument("file", type=Path)
    receipt.add_argument("--user", default="admin", help="以哪个账号导入（默认 admin）")
    receipt.set_defaults(run=_receipt)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    s = services(args.data_dir, user=getattr(args, "user", None))
    require_initialized(s)
    return s


def _enrol(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        user = login(s, args.user)
        done = s.sync.enrol(user, args.url, args.code, ca_bundle=args.ca_bundle)
        settings, waiting = done.settings, s.sync.status().waiting
        print(f"已登记：本机（单位 {settings.office}）设备号 {settings.device_id}，"
              f"服务器 {settings.hub_url}。待发送 {waiting} 项，运行 hejie-admin sync run 开始同步。")
        if done.offices_missing:
            print(f"注意：区局平台还没有这些单位：{'、'.join(done.offices_missing)}。它们的记录会被"
                  f"拒绝；请区局管理员添加后，运行 hejie-admin sync retry-rejected 重新发送。")
        return 0
    finally:
        s.close()


def _run(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        def progress(what: str, done: int, total: int) -> None:
            print(f"  {what} {done}/{total}", flush=True)

        try:
            report = s.sync.run(progress=progress)
        except SyncError as exc:
            if exc.code != ErrorCode.PROTOCOL:
                raise
            print(f"错误：{exc}", file=sys.stderr)
            return 3  # not a network failure: retrying will not help until updated
        print(f"发送：确认 {report.pushed} 项，冲突 {report.conflicts} 项，被拒绝 {report.rejected} 项，"
              f"下次重发 {report.deferred + report.unanswered} 项；附件上传 {report.uploaded} 个")
        print(f"接收：应用 {report.pulled} 项（其中等待上级记录后补上 {report.released} 项），"
              f"暂存待上级记录 {report.held} 项，本机有未发送修改而保留 {report.kept_local} 项；"
              f"附件下载 {report.downloaded} 个")
        if report.dispatched:
            print(f"区局分流投诉 {len(report.dispatched)} 件：{'、'.join(report.dispatched)}")
        if report.full_download:
            print("同步位置已失效，已重新下载全部数据（本机待发送的数据未受影响）")
        if report.set_aside:
            print(f"区局发来但本机无法接收 {report.set_aside} 项，已暂存待查"
                  f"（hejie-admin sync status 列出原因）")
        for message in report.messages:
            print(f"提示：{message}")
        return 1 if report.conflicts or report.rejected or report.set_aside else 0
    finally:
        s.close()


def _status(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        settings, status = s.sync.settings(), s.sync.status()
        if not settings.enrolled:
            print("本机尚未登记到区局同步服务器（hejie-admin sync enrol URL 登记码）")
        else:
            print(f"服务器：{settings.hub_url}　单位：{settings.office}　设备号：{settings.device_id}")
            interval = (f"每 {settings.interval_minutes} 分钟" if settings.interval_minutes
                        else "关闭")
            print(f"自动同步：{interval}")
        print(f"待发送：{status.waiting} 项　冲突待处理：{status.conflicts} 项　"
              f"被拒绝：{status.rejected} 项　暂存待上级记录：{status.held} 项")
        for message, count in status.refusals:
            print(f"  被拒绝 {count} 项：{message}")
        if status.last_success_at or status.last_failure_at:
            print(f"上次成功：{status.last_success_at or '无'}　{status.last_success}".rstrip())
            print(f"上次失败：{status.last_failure_at or '无'}　{status.last_failure}".rstrip())
        elif status.last_run_at:  # noted by an older version of this program
            print(f"上次同步：{status.last_run_at}　{status.last_result}")
        if status.clock_warning:
            print(f"警告：{status.clock_warning}")
        for text in status.renumbered:
            print(f"重新编号：{text}")
        if status.set_aside:
            print(f"区局发来但本机无法接收的记录：{status.set_aside} 项（区局发来更新的版本后自动补上，"
                  f"每次同步也会重试）")
            for item in status.set_aside_items:
                print(f"  {item.what}（单位 {item.office}，{item.held_at}）：{item.reason}")
            if status.set_aside > len(status.set_aside_items):
                print(f"  ……另有 {status.set_aside - len(status.set_aside_items)} 项")
        return 0
    finally:
        s.close()


def _retry(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        count = s.sync.retry_rejected(login(s, args.user))
        print(f"已把 {count} 项被拒绝的记录重新排队，运行 hejie-admin sync run 发送。" if count
              else "没有被拒绝的记录。")
        return 0
    finally:
        s.close()


def _export(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        user = login(s, args.user)
        summary = s.sync.export_bundle(user, args.file)
        print(f"已导出同步包 {summary.path}：{summary.operations} 项数据、{summary.attachments} 个附件，"
              f"{summary.size / 1024:.0f} KB。请交区局导入，并把区局给出的回执带回导入。")
        return 0
    finally:
        s.close()


def _receipt(args: argparse.Namespace) -> int:
    s = _open(args)
    try:
        user = login(s, args.user)
        summary = s.sync.import_receipt(user, args.file)
        if summary.already_imported:
            print("该回执已经导入过，未重复应用。")
            return 0
        r = summary.report
        print(f"回执已导入：区局确认 {r.pushed} 项，冲突 {r.conflicts} 项，被拒绝 {r.rejected} 项；"
              f"接收 {r.pulled} 项，附件 {r.downloaded} 个")
        if r.dispatched:
            print(f"区局分流投诉 {len(r.dispatched)} 件：{'、'.join(r.dispatched)}")
        return 0
    finally:
        s.close()
