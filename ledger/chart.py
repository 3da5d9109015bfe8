"""Charts of accounts, kept as data (``ledger/charts/*.json``), not code.

Source: DOMAIN.md §2 — 农村集体经济组织会计制度 (财会〔2023〕14号) lists 42 first-level
accounts; codes come from a secondary transcription, so the chart is data that can be
corrected without touching code. A book may add sub-accounts, never remove or rename.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, cached_property
from pathlib import Path

CHARTS_DIR = Path(__file__).parent / "charts"
ACCOUNT_CODE_PATTERN = re.compile(r"^\d{3}(\.\d{2}){0,3}$")


class AccountClass(str, Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    COST = "cost"
    INCOME = "income"
    EXPENSE = "expense"


class NormalBalance(str, Enum):
    DEBIT = "debit"
    CREDIT = "credit"
    EITHER = "either"


CLASS_LABELS = {
    AccountClass.ASSET: ("资产类", "Assets"),
    AccountClass.LIABILITY: ("负债类", "Liabilities"),
    AccountClass.EQUITY: ("所有者权益类", "Equity"),
    AccountClass.COST: ("成本类", "Costs"),
    AccountClass.INCOME: ("收入类", "Income"),
    AccountClass.EXPENSE: ("支出类", "Expenses"),
}


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    name_zh: str
    name_en: str
    account_class: AccountClass
    normal_balance: NormalBalance

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


class UnknownAccount(ValueError):
    type_slug = "unknown-account"


class AccountNotPostable(ValueError):
    type_slug = "account-not-postable"


class InvalidSubAccount(ValueError):
    type_slug = "invalid-sub-account"


class UnknownChart(ValueError):
    type_slug = "unknown-chart"


class UnknownAccountRole(LookupError):
    """Code asked the chart for a role it does not name (a programming error, not user input)."""

    type_slug = "unknown-account-role"


@dataclass(frozen=True)
class Chart:
    """A chart: accounts by code, plus the sub-accounts a book added."""

    name: str
    title_zh: str
    title_en: str
    accounts: dict[str, Account]
    #: Named account roles ("receivable", "rent_income", …) → account code, kept in the
    #: chart's data so no capability hard-codes a code (the codes await confirmation, §2).
    roles: dict[str, str] = field(default_factory=dict)

    def code_for(self, role: str) -> str:
        """The account code that plays ``role`` in this chart (``"payable"`` → ``"211"``)."""
        try:
            return self.roles[role]
        except KeyError:
            raise UnknownAccountRole(f"chart {self.name} names no account for role {role!r}") from None

    def account(self, code: str) -> Account:
        try:
            return self.accounts[code]
        except KeyError:
            raise UnknownAccount(f"account {code!r} is not in chart {self.name}") from None

    def children(self, code: str) -> list[Account]:
        return list(self._children_by_parent.get(code, ()))

    @cached_property
    def _children_by_parent(self) -> dict[str, tuple[Account, ...]]:
        """Each parent's direct children, indexed once per chart (every posted line asks)."""
        index: dict[str, list[Account]] = {}
        for account in self.accounts.values():
            if account.parent_code is not None:
                index.setdefault(account.parent_code, []).append(account)
        return {parent: tuple(children) for parent, children in index.items()}

    def check_postable(self, code: str) -> Account:
        """Only leaf accounts (末级科目) take postings: a parent is a sum of its children."""
        account = self.account(code)
        children = self.children(code)
        if children:
            names = ", ".join(f"{c.code} {c.name_zh}" for c in children)
            raise AccountNotPostable(f"account {code} has sub-accounts; post to one of: {names}")
        return account

    def with_sub_account(self, code: str, name_zh: str, name_en: str) -> Chart:
        """A book may add sub-accounts under an existing account (DOMAIN.md §2)."""
        check_sub_account(self, code, name_zh)
        parent = self.account(code.rsplit(".", 1)[0])
        added = Account(code, name_zh, name_en, parent.account_class, parent.normal_balance)
        return Chart(self.name, self.title_zh, self.title_en, {**self.accounts, code: added}, self.roles)

    def ordered(self) -> list[Account]:
        return sorted(self.accounts.values(), key=lambda a: a.code)


def check_sub_account(chart: Chart, code: str, name_zh: str) -> None:
    """A sub-account is new, well-formed, named, and sits under an existing account."""
    if not ACCOUNT_CODE_PATTERN.match(code) or "." not in code:
        raise InvalidSubAccount(f"sub-account code {code!r} must look like 501.03")
    if code in chart.accounts:
        raise InvalidSubAccount(f"account {code} already exists (accounts are never renamed)")
    if not name_zh.strip():
        raise InvalidSubAccount("a sub-account needs a Chinese name")
    chart.account(code.rsplit(".", 1)[0])


@cache
def load_chart(name: str) -> Chart:
    """Load a chart shipped in ``ledger/charts``."""
    path = CHARTS_DIR / f"{name}.json"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.exists():
        raise UnknownChart(f"no chart named {name!r}; known: {', '.join(chart_names())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    accounts = {
        row[0]: Account(row[0], row[1], row[2], AccountClass(row[3]), NormalBalance(row[4]))
        for row in data["accounts"]
    }
    roles = dict(data.get("roles", {}))
    missing = sorted(code for code in roles.values() if code not in accounts)
    if missing:
        raise UnknownAccount(f"chart {name} names roles for accounts it lacks: {', '.join(missing)}")
    return Chart(data["name"], data["title_zh"], data["title_en"], accounts, roles)


def account_code(chart_name: str, role: str) -> str:
    """The code of ``role`` in a shipped chart: how capabilities name accounts (never literals)."""
    return load_chart(chart_name).code_for(role)


def chart_names() -> list[str]:
    return sorted(p.stem for p in CHARTS_DIR.glob("*.json"))


def chart_with_additions(name: str, additions: tuple[tuple[str, str, str], ...]) -> Chart:
    chart = load_chart(name)
    for code, name_zh, name_en in additions:
        chart = chart.with_sub_account(code, name_zh, name_en)
    return chart
