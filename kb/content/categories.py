"""The article categories: folder name, Chinese label, and whether the category is about talking to customers
(those articles must carry a `## 话术示例` section with lines to say and lines to avoid)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    description: str
    needs_scripts: bool


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in [
        Category("phone", "电话礼仪", "接听、问候、稍候转接、留言、结束通话", True),
        Category("communication", "倾听与沟通", "倾听、说话技巧、情绪沟通、建立好感", True),
        Category("service", "服务技巧", "服务理念与方法：人性化、个性化、超越期望", False),
        Category("complaints", "抱怨与投诉", "接住情绪、道歉、解决、跟进", True),
        Category("customer-types", "客户类型", "识别并应对不同性格的客户", True),
        Category("objections", "异议应对话术", "太贵、再考虑、找领导、退款、要投诉", True),
        Category("loyalty", "期望、满意与忠诚", "期望管理、满意度、挽回流失客户", False),
        Category("professionalism", "职业素养", "职业守则、诚信、保密、服务意识", False),
        Category("key-accounts", "大客户服务", "大客户分级、回访维护与关系管理", False),
    ]
}

LEVELS = {"basic": "基础", "advanced": "进阶"}
