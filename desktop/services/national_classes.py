"""Each category's national (12315) class: the shipped mapping installed once, the
administrator's corrections, and the mapping the statistics read."""

from __future__ import annotations

import json

from desktop import shipped
from desktop.db.repositories import CodeRepository
from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.base import Service, require_role
from desktop.services.dto import Changed, CurrentUser

CATEGORY, NATIONAL_CLASS = "category", "national_class"


def shipped_mapping() -> dict[str, str]:
    tables = json.loads(shipped.path(shipped.CODE_TABLES).read_text("utf-8"))
    return dict(tables.get("_category_national", {}))


class NationalClassService(Service):
    def install_mapping(self) -> int:
        """At start: a database from before the national classes gets the shipped class of each
        shipped category it has, once (while no category has a class yet); after that the
        mapping is the administrator's. Returns how many categories were given a class."""
        from desktop.services.offices import LOCAL_OFFICE_KEY

        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            if codes.setting(LOCAL_OFFICE_KEY) is None:
                return 0  # not set up yet: initialisation writes the mapping
            if any(i.parent for i in codes.items(CATEGORY, include_inactive=True)):
                return 0
        mapping = shipped_mapping()
        with self._uow(None, "安装投诉分类与国家分类的对应") as uow:
            items = CodeRepository(uow.session).items(CATEGORY, include_inactive=True)
            if any(i.parent for i in items):  # another program did it meanwhile
                return 0
            count = 0
            for item in items:
                if item.code in mapping:
                    item.parent = mapping[item.code]
                    count += 1
            uow.commit()
        return count

    def mapping(self) -> dict[str, str | None]:
        """category code → national class code (None: not mapped)."""
        with self._uow(None, "", write=False) as uow:
            return {i.code: i.parent for i in
                    CodeRepository(uow.session).items(CATEGORY, include_inactive=True)}

    def set_class(self, admin: CurrentUser, category: str, national_class: str | None) -> Changed:
        require_role(admin, Role.ADMIN, doing="修改投诉分类对应的国家分类")
        with self._uow(admin, "修改国家分类对应") as uow:
            codes = CodeRepository(uow.session)
            item = codes.get(CATEGORY, category)
            if item is None:
                raise FieldError("投诉分类", f"没有代码为「{category}」的投诉分类")
            if national_class and codes.get(NATIONAL_CLASS, national_class) is None:
                raise FieldError("国家分类", f"没有代码为「{national_class}」的国家分类")
            item.parent = national_class or None
            uow.flush()
            changed = Changed("code", (item.id,))
            uow.commit()
        return changed
