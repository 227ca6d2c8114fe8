"""Which column holds which field: guessed from the header's wording, correctable by the user,
and saved as a named profile ("12345 工单导出") to be used again.

A mapping goes by a column's header text, not its position, so a profile still fits next year's
workbook where someone inserted a column."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desktop.domain.errors import FieldError

IGNORE = ""  # a column not imported


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    words: tuple[str, ...]  # header wordings, the most telling first


# What a ledger's columns can become. The keys are the complaint's fields where one column is
# one field, and five of the importer's own: `result_text` (处理结果, read into status and
# result), `handler` (承办人, a user by name), `remarks` (备注), `category` (分类, a code by
# label), `kind` (类型: 投诉/举报/咨询).
TARGETS: tuple[Target, ...] = (
    Target("received_at", "登记日期", ("登记日期", "受理日期", "投诉日期", "登记时间", "受理时间",
                                     "投诉时间", "接收时间", "收到日期", "来电时间", "日期",
                                     "工单创建时间", "创建时间", "派单时间", "交办时间")),
    Target("original_number", "原始编号", ("投诉单号", "工单编号", "工单号", "单号", "编号",
                                       "投诉编号", "案件编号", "登记编号", "序号编号")),
    Target("complainant_name", "投诉人", ("投诉人姓名", "投诉人", "姓名", "诉求人", "来电人",
                                        "反映人", "消费者", "举报人", "联系人")),
    Target("complainant_phone", "联系电话", ("联系电话", "投诉人电话", "电话", "手机", "手机号",
                                         "来电号码", "联系方式", "电话号码")),
    Target("complainant_address", "投诉人地址", ("投诉人地址", "联系地址", "住址", "地址")),
    Target("respondent_name", "被投诉方", ("被投诉方", "被投诉单位", "被投诉人", "被投诉企业",
                                        "被投诉商家", "被举报方", "被举报单位", "涉及企业",
                                        "经营者", "商家名称", "企业名称", "被反映对象",
                                        "被反映单位", "被反映人", "反映对象", "涉事企业")),
    Target("respondent_address", "被投诉方地址", ("被投诉方地址", "被投诉单位地址", "经营地址",
                                             "企业地址", "商家地址")),
    Target("subject", "商品或服务", ("商品或服务", "商品名称", "服务项目", "商品", "涉及商品",
                                  "涉及产品", "产品名称")),
    Target("category", "投诉分类", ("投诉分类", "分类", "投诉类别", "类别", "问题分类")),
    Target("facts", "投诉内容", ("投诉内容", "事由", "投诉事由", "事实与理由", "主要内容",
                                "诉求内容", "工单内容", "来电内容", "反映内容", "内容",
                                "问题描述", "简要案情")),
    Target("request", "诉求", ("诉求", "投诉诉求", "消费者诉求", "要求", "诉求要求")),
    Target("amount", "涉案金额", ("涉案金额", "涉及金额", "争议金额", "金额", "标的额")),
    Target("result_text", "处理结果", ("处理结果", "办理结果", "处理情况", "办结情况",
                                   "调解结果", "办理情况", "结果", "处理状态", "工单状态",
                                   "办理状态", "办结结果")),
    Target("closed_on", "办结日期", ("办结日期", "办结时间", "结案日期", "处理日期",
                                  "完成时间", "办结")),
    Target("recovered", "挽回损失", ("挽回损失", "挽回经济损失", "挽回金额", "为消费者挽回损失",
                                  "挽回")),
    Target("handler", "承办人", ("承办人", "经办人", "处理人", "办理人", "承办人员")),
    Target("remarks", "备注", ("备注", "说明", "其他")),
    Target("kind", "类型", ("类型", "诉求类型", "工单类型", "件类型")),
)
BY_KEY: Mapping[str, Target] = {t.key: t for t in TARGETS}
LABELS: Mapping[str, str] = {t.key: t.label for t in TARGETS}

_NOISE = re.compile(r"[\s\u3000*＊:：()（）\[\]【】]|（?元）?$")


def normalized(header: str) -> str:
    """A header's wording without spaces, brackets, colons or a trailing 元 unit."""
    s = unicodedata.normalize("NFKC", header or "")
    s = re.sub(r"[(（][^)）]*[)）]", "", s)  # 金额（元）, 联系电话(手机)
    return _NOISE.sub("", s)


def _word_score(header: str) -> tuple[str, int]:
    """The target a header names and how surely (3 exact, 2 begins or ends with a wording,
    1 contains one), or ("", 0)."""
    h = normalized(header)
    if not h or len(h) > 20:  # a title or a note, not a column's name
        return IGNORE, 0
    best, score = IGNORE, 0
    for t in TARGETS:
        for w in t.words:
            s = 3 if h == w else 2 if (h.startswith(w) or h.endswith(w)) else \
                1 if w in h and len(w) >= 2 else 0
            if s > score:
                best, score = t.key, s
    return best, score


def header_score(header: Sequence[str]) -> int:
    """How many distinct known columns a row names: a header names several, a title none."""
    return len({key for key, score in map(_word_score, header) if score >= 2})


def guess(header: Sequence[str]) -> dict[int, str]:
    """Column index → target, each target taken by the column that names it most surely
    (the first of equals): 投诉日期 and 办结日期 both hold 日期, and each goes where it belongs."""
    ranked = sorted(((score, -i, i, key) for i, (key, score) in
                     enumerate(map(_word_score, header)) if score > 0), reverse=True)
    taken: dict[str, int] = {}
    for _score, _neg, i, key in ranked:
        if key not in taken:
            taken[key] = i
    return {i: key for key, i in taken.items()}


PROFILE_PREFIX = "import_profile:"
KINDS = (("ledger", "历史台账（本单位自行接收）"), ("hotline", "热线工单（12345/12315，区局分流）"))


@dataclass
class Profile:
    """A named mapping: header text → target, and what the rows are (ledger or hotline)."""

    name: str
    kind: str = "ledger"
    columns: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "columns": self.columns}, ensure_ascii=False,
                          sort_keys=True)

    @classmethod
    def from_json(cls, name: str, text: str) -> Profile:
        data = json.loads(text)
        columns = {str(k): str(v) for k, v in dict(data.get("columns", {})).items()
                   if str(v) in BY_KEY or str(v) == IGNORE}
        kind = data.get("kind") if data.get("kind") in dict(KINDS) else "ledger"
        return cls(name, kind, columns)

    def apply(self, header: Sequence[str]) -> dict[int, str]:
        """The profile's mapping on this header; a column the profile does not name is guessed."""
        guessed = guess(header)
        out: dict[int, str] = {}
        named = {normalized(k): v for k, v in self.columns.items()}
        for i, h in enumerate(header):
            key = named.get(normalized(h))
            if key is not None:
                if key != IGNORE:
                    out[i] = key
            elif i in guessed and guessed[i] not in named.values():
                out[i] = guessed[i]
        return out

    @staticmethod
    def of(name: str, kind: str, header: Sequence[str], columns: Mapping[int, str]) -> Profile:
        """A profile remembering `columns` by the header's wording (unmapped columns ignored)."""
        clean = check_profile_name(name)
        return Profile(clean, kind, {h: columns.get(i, IGNORE) for i, h in enumerate(header)
                                     if h.strip()})


def check_profile_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean:
        raise FieldError("方案名称", "不能为空")
    if len(clean) > 40:
        raise FieldError("方案名称", "不能超过 40 个字")
    return clean


def check_mapping(columns: Mapping[int, str]) -> None:
    """A mapping must say where the date is, and name each field once."""
    keys = list(columns.values())
    doubled = sorted({LABELS[k] for k in keys if keys.count(k) > 1 and k in LABELS})
    if doubled:
        raise FieldError("列对应", f"「{'、'.join(doubled)}」对应了不止一列")
    if "received_at" not in keys:
        raise FieldError("列对应", "没有指定「登记日期」所在的列：没有日期无法编号")
