"""The hub's refusals: an error code from the contract, an HTTP status and a Chinese sentence.

The sentences live here, in one place, so the office program's user sees consistent wording.
"""

from __future__ import annotations

from typing import Any

from desktop.sync.protocol import ErrorCode

INTERNAL = "internal_error"  # not in ErrorCode: the hub's own fault, never the request's


class Msg:
    BAD_CODE = "登记码无效、已使用或已过期"
    UNAUTHORISED = "设备未登记或凭据无效，请重新登记本设备"
    REVOKED = "本设备已被区局停用，请联系区局管理员重新登记"
    SESSION_BUSY = "本设备已有一个同步正在进行，请稍后再试"
    SESSION_INVALID = "同步会话已结束或已过期，请重新开始同步"
    CURSOR_INVALID = "同步位置无效或已过期，需要重新下载全部数据"
    PROTOCOL_OLD = ("本程序版本过旧（同步协议版本 {got}），{why}。请安装新版本的和解台后再同步。"
                    "在此之前本程序仍可照常离线登记、办理和打印投诉；尚未同步的记录保存在本机，"
                    "升级后第一次同步时一并上传")
    PROTOCOL_OLD_WHY = "区局平台只接受版本 {oldest} 至 {want}"
    PROTOCOL_SUNSET_WHY = "区局平台接受该版本至 {until} 为止"
    PROTOCOL_NEW = ("本程序（同步协议版本 {got}）比区局平台（版本 {want}）新：请区局管理员先升级区局平台，"
                    "再同步。在此之前本程序仍可照常离线办理投诉，记录保存在本机")
    ADMIN = "区局管理凭据无效"
    NOT_FOUND = "请求的内容不存在"
    INVALID = "请求格式不正确：{detail}"
    TOO_LARGE = "请求内容过大（上限 {mb} MB），区局平台未读取也未写入任何内容；请分批发送"
    INTERNAL = "区局平台内部错误，请稍后重试；若反复出现请联系区局管理员"
    BLOB_NAME = "附件校验值格式不正确（应为 64 位十六进制 SHA-256）"
    BLOB_CHUNK = "附件分块校验失败，请重发"
    BLOB_OFFSET = "附件续传位置不符：区局已收到 {received} 字节，请从该位置继续"
    BLOB_MISMATCH = "附件内容与其校验值不符，已丢弃，请重新上传"
    BLOB_DIFFERENT = "该校验值下已有不同内容的附件，拒绝覆盖"
    BLOB_SIZE = "附件大小不正确（声明 {size} 字节，上限 {limit} 字节）"
    BLOB_SIZE_CHANGED = "附件声明的大小 {size} 与此前声明的 {known} 字节不一致"
    BLOB_OVERFLOW = "附件分块超出声明的大小"
    RANGE = "下载范围不正确：{range}"
    OFFICE_EXISTS = "单位代码「{code}」已存在"
    OFFICE_UNKNOWN = "单位代码「{code}」在区局平台不存在"
    DEVICE_UNKNOWN = "设备「{device}」不存在"
    DEVICE_OTHER_OFFICE = "设备「{device}」不属于本单位，不能停用"
    DEVICE_SELF = "不能在本机上停用本机：请在本单位的另一台电脑上停用，或请区局管理员停用"
    SLOTS_USED_UP = "单位「{office}」已登记 {count} 台设备，不能再登记（每台设备占用一段投诉编号）"
    BUNDLE_DEVICE = "同步包来自未在本区局平台登记的设备，未导入任何内容"
    BUNDLE_REVOKED = "同步包来自已停用的设备，未导入任何内容"
    BUNDLE_DAMAGED = "同步包文件已损坏或不完整（可能在复制时出错），未导入任何内容"
    BUNDLE_HUB = "同步包属于另一个区局平台，未导入任何内容"
    BUNDLE_CONTENT = "同步包内容格式不正确，未导入任何内容：{detail}"
    BUNDLE_TOO_LARGE = "同步包文件超过 {limit} MB，不是和解台生成的同步包，未读取也未导入任何内容"
    BUNDLE_TOO_MANY = ("同步包含有 {count} 项操作，超过区局平台一次导入的上限 {limit} 项，未导入任何内容。"
                       "请该单位分几次导出同步包（每次导入后再导出下一个），或改用网络同步")
    RECEIPT_TOO_LARGE = ("回执超出单位程序能读取的大小，未导入任何内容（{detail}）。"
                         "请该单位先用网络同步，或分几次导出同步包")


class AuditMsg:
    """What the hub says of an office's audit log at a sync (AuditVerdict.message)."""

    ANCHORED = "区局平台已记下本机审计日志的位置（共 {count} 条），此后每次同步都会核对"
    OK = "审计日志与区局平台记下的一致（共 {count} 条）"
    RESTORED = ("本机审计日志（{count} 条）与上次同步时区局平台记下的（{anchored} 条）不同，但与更早"
                "一次同步时记下的一致：本机数据库是从备份恢复的。请先同步，取回备份之后送到区局的记录；"
                "区局平台已记下这次恢复")
    DIVERGED = ("本机审计日志与区局平台记下的不一致（区局平台记下 {anchored} 条，本机 {count} 条）："
                "已在区局平台登记过的历史被改写或删除。请勿继续修改数据，并联系区局管理员核查")


class HubError(Exception):
    """A refusal the API turns into ErrorResponse JSON (and the CLI prints)."""

    def __init__(self, status: int, code: str, message: str,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}


def bad_request(message: str) -> HubError:
    return HubError(400, ErrorCode.INVALID, message)


def not_found(message: str = Msg.NOT_FOUND) -> HubError:
    return HubError(404, ErrorCode.NOT_FOUND, message)


class OpMsg:
    """Why an operation was not applied (OpResult.message)."""

    REPLAY_DIFFERENT = "操作编号重复但内容不同，未写入"
    BAD_OP_ID = "操作编号为空、过长（最多 64 个字符）或含有无效字符，未写入"
    UNSTORABLE = ("未写入：{fields}含有无效字符（孤立的代理字符，多为文字在复制或转换编码时损坏）"
                  "或无效的数值（NaN、无穷大），请重新输入后保存")
    ENTITY_UNKNOWN = "区局平台不认识记录类型「{entity}」，未写入"
    BAD_ID = "记录编号「{uuid}」格式不正确，未写入"
    PARENT_MISSING = "上级记录尚未到达，稍后重发"
    RECORD_MISSING = "该记录尚未到达区局，稍后重发"
    OUT_OF_SCOPE = "该记录属于「{owner}」，不在本设备所属单位「{office}」的范围内，未写入"
    MOVE_OUT_OF_SCOPE = "不能把记录转到「{owner}」：不在本设备所属单位「{office}」的范围内，未写入"
    OFFICE_UNKNOWN = "单位代码「{code}」在区局平台不存在，未写入"
    APPEND_ONLY = "调解记录等事件记录只能新增，不能修改"
    APPEND_ONLY_DELETE = "调解记录等事件记录不能删除"
    DELETED = "该记录已在区局删除，未写入"
    REPARENT = "记录所属的上级记录不能更改，未写入"
    STATUS_FLOW = "状态变更「{old}」→「{new}」不符合办理流程"
    STATUS_EVIDENCE = "状态变更「{old}」→「{new}」不符合办理流程：记录缺少{missing}"
    STATUS_UNKNOWN = "「{value}」不是有效的投诉状态，未写入"
    REPORT_AT_STATION = "未写入：{office}是投诉站，投诉站不登记、不接收举报"
    BLOB_MISSING = "附件文件尚未上传完整"
    CONFLICT = "以下字段在区局已被改动：{fields}。本次修改未写入，请核对后重新提交"
    DELETE_UNKNOWN = "区局没有该记录，已记为删除"
    REFERENCE_MISSING = "引用的记录尚未到达区局，稍后重发"
    WRONG_REFERENCE = "未写入：{label}「{uuid}」应为{entity}，区局平台上它是{other}"
    NOT_DELETABLE = ("{entity}不能删除：各单位的程序从不删除已同步的{entity}（投诉单号等已在各单位使用），"
                     "未写入。如确需作废，请按办理流程处理")
    HAS_CHILDREN = "{entity}下还有{child}，不能删除，未写入"
    REFERENCE_OUT_OF_SCOPE = ("未写入：{label}「{uuid}」是「{owner}」的{entity}，"
                              "不在本设备所属单位「{office}」的范围内")
    NUMBER_FORMAT = ("未写入：投诉单号「{number}」格式不正确，应为“单位代码-日期-序号”，"
                     "例如 WZCQ01-20261120-0001")
    NUMBER_OFFICE_UNKNOWN = "未写入：投诉单号「{number}」开头的单位代码「{code}」在区局平台不存在"
    NUMBER_OTHER_OFFICE = ("未写入：投诉单号「{number}」以「{owner}」的单位代码开头，"
                           "不在本设备所属单位「{office}」的范围内；投诉单号只能用本单位或下属单位的代码")
    NUMBER_TAKEN = ("未写入：投诉单号「{number}」在区局平台已被另一件投诉使用。"
                    "本单位的程序将为该投诉另编新单号（原单号记入其历史）后重新发送")
