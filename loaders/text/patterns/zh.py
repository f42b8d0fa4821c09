"""Chinese: the suffixes of organisation, initiative and event names, the characters that end a
name on its left, and the verbs of signing and joining."""

from __future__ import annotations

import re

from climatekg.graph.model import EntityKind
from climatekg.loaders.text.patterns.names import GENERIC_AGREEMENTS

#: Suffixes of Chinese organisation, initiative and event names.
ZH_HEADS: dict[str, EntityKind] = {
    "基金会": EntityKind.ORGANISATION,
    "协会": EntityKind.ORGANISATION,
    "研究院": EntityKind.ORGANISATION,
    "研究所": EntityKind.ORGANISATION,
    "大学": EntityKind.ORGANISATION,
    "公司": EntityKind.ORGANISATION,
    "集团": EntityKind.ORGANISATION,
    "联盟": EntityKind.ORGANISATION,
    "委员会": EntityKind.ORGANISATION,
    "政府": EntityKind.ORGANISATION,
    "中心": EntityKind.ORGANISATION,
    "合作项目": EntityKind.INITIATIVE,
    "倡议": EntityKind.INITIATIVE,
    "计划": EntityKind.INITIATIVE,
    "峰会": EntityKind.EVENT,
    "论坛": EntityKind.EVENT,
    "大会": EntityKind.EVENT,
    "博览会": EntityKind.EVENT,
}
#: Characters that end a Chinese name on its left (punctuation and function words).
ZH_BREAKS = "，。、；：！？“”《》（）()「」 \t\n与和及同在于由将已并为的了是把对向从"
#: The suffixes, longest first (so "合作项目" is tried before a shorter suffix it ends with).
ZH_HEADS_LONGEST_FIRST = tuple(sorted(ZH_HEADS, key=len, reverse=True))
ZH_NAME_RE = re.compile(rf"(?<![^{ZH_BREAKS}])[^{ZH_BREAKS}]{{1,24}}?(?:{'|'.join(ZH_HEADS_LONGEST_FIRST)})")
ZH_SIGN_RE = re.compile(r"签署|签订|签约")
ZH_JOIN_RE = re.compile(r"加入")
ZH_AGREEMENT_RE = re.compile(
    "|".join(sorted((k for k in GENERIC_AGREEMENTS if not k.isascii()), key=len, reverse=True))
)
