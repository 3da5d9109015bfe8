"""The JSON bodies of the collective's responses, from aggregates (writes) or read-model rows (reads).

Each function returns exactly the fields of its response model in ``schemas.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from api.schemas import money
from domain.collective.distribution import Distribution
from domain.collective.membership import Membership
from domain.collective.organisation import Organisation
from ledger.journal import Voucher
from ledger.money import from_fen, uppercase_amount
from projections import collective as reports
from projections import statements
from projections.ledger_reports import BalanceFigure

FIGURE_LABELS = {
    "net_income": ("净收益", "Net income"),
    "opening_undistributed": ("年初未分配收益及其他转入", "Opening undistributed income and other transfers in"),
    "distributable_income": ("可分配收益", "Distributable income"),
    "loss_covered": ("弥补以前年度亏损", "Prior losses covered"),
    "withdrawal_base": ("提取基数", "Withdrawal base"),
    "reserve_withdrawal": ("提取公积公益金", "Reserve and public-welfare fund withdrawal"),
    "distributable_to_members": ("可向成员分配", "Distributable to members"),
    "declared": ("向成员分配", "Declared to members"),
    "collective_share_amount": ("集体股分红（留归集体）", "Collective share (stays with the collective)"),
    "undistributed_after": ("年末未分配收益", "Undistributed after the distribution"),
}

TOTAL_LABELS = {
    "current_assets": ("流动资产合计", "Total current assets"),
    "non_current_assets": ("非流动资产合计", "Total non-current assets"),
    "assets": ("资产总计", "Total assets"),
    "current_liabilities": ("流动负债合计", "Total current liabilities"),
    "non_current_liabilities": ("非流动负债合计", "Total non-current liabilities"),
    "liabilities": ("负债合计", "Total liabilities"),
    "equity": ("所有者权益合计", "Total owners' equity"),
    "liabilities_and_equity": ("负债和所有者权益总计", "Total liabilities and owners' equity"),
}


def fen(amount: int) -> str:
    return money(from_fen(int(amount)))


def organisation_json(organisation: Organisation | reports.OrganisationInfo) -> dict[str, Any]:
    if isinstance(organisation, Organisation):
        charter = organisation.charter
        return {"book_code": organisation.book_code, "name": organisation.name,
                "community_id": organisation.community_id, "township_id": organisation.township_id,
                "credit_code": organisation.credit_code,
                "reserve_rate_percent": str(charter.reserve_rate_percent),
                "collective_share_class": charter.collective_share_class,
                "share_management": charter.share_management,
                "registered_on": organisation.registered_on.isoformat(), "book_adopted": organisation.book_adopted,
                "members_confirmed": organisation.members_confirmed,
                "quantified_on": organisation.quantified_on.isoformat() if organisation.quantified_on else None}
    return {"book_code": organisation.book_code, "name": organisation.name,
            "community_id": organisation.community_id, "township_id": organisation.township_id,
            "credit_code": organisation.credit_code, "reserve_rate_percent": organisation.reserve_rate_percent,
            "collective_share_class": organisation.collective_share_class,
            "share_management": organisation.share_management, "registered_on": organisation.registered_on,
            "book_adopted": organisation.book_adopted, "members_confirmed": organisation.members_confirmed,
            "quantified_on": organisation.quantified_on}


def membership_json(membership: Membership) -> dict[str, Any]:
    line = membership.line
    return {"member_id": membership.member_id, "name": membership.name, "household_id": membership.household_id,
            "identity_masked": line.identity.masked, "confirmed_on": line.confirmed_on.isoformat(),
            "confirmation_reference": line.confirmation_reference,
            "status": "current" if line.is_current else "ended",
            "ended_on": line.ended_on.isoformat() if line.ended_on else None,
            "end_reason": line.end_reason.value if line.end_reason else None}


def voucher_brief(voucher: Voucher) -> dict[str, Any]:
    return {"number": voucher.number, "voucher_date": voucher.voucher_date.isoformat(), "summary": voucher.summary,
            "lines": len(voucher.lines), "total": money(voucher.lines_total),
            "total_uppercase": uppercase_amount(voucher.lines_total)}


def shares_json(organisation: Organisation) -> dict[str, Any]:
    total = sum(organisation.holdings.values(), Decimal(0))
    return {"book_code": organisation.book_code, "holders": len(organisation.holdings),
            "member_units": format(total, "f"), "collective_units": format(organisation.collective_units, "f"),
            "quantified_on": organisation.quantified_on.isoformat() if organisation.quantified_on else None}


def figures_json(figures: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if key in FIGURE_LABELS:
            zh, en = FIGURE_LABELS[key]
            out[key] = {"amount": value, "name_zh": zh, "name_en": en}
        else:
            out[key] = value
    return out


def distribution_json(distribution: Distribution, vouchers: tuple[Voucher, ...] = ()) -> dict[str, Any]:
    figures = {name: str(getattr(distribution.figures, name)) for name in distribution.figures.__dataclass_fields__}
    return {"book_code": distribution.book_code, "year": distribution.year, "attempt": distribution.attempt,
            "record_date": distribution.record_date.isoformat(), "voucher_date": distribution.voucher_date.isoformat(),
            "resolution_reference": distribution.resolution.reference, "figures": figures_json(figures),
            "members": len(distribution.lines), "voucher_numbers": list(distribution.voucher_numbers),
            "vouchers": [voucher_brief(v) for v in vouchers],
            "reversed_on": distribution.reversed_on.isoformat() if distribution.reversed_on else None,
            "red_numbers": list(distribution.red_numbers)}


def dividend_row(row: dict) -> dict[str, Any]:
    return {"year": row["year"], "member_id": row["member_id"], "name": row["name"],
            "units": reports.format_units(int(row["units"])), "declared": fen(row["declared_fen"]),
            "paid": fen(row["paid_fen"]), "outstanding": fen(row["outstanding_fen"])}


def dividend_year(year: int, totals: dict[str, int]) -> dict[str, Any]:
    return {"year": year, "members": totals["members"], "declared": fen(totals["declared_fen"]),
            "paid": fen(totals["paid_fen"]), "outstanding": fen(totals["outstanding_fen"]),
            "outstanding_uppercase": uppercase_amount(from_fen(totals["outstanding_fen"]))}


def project_json(project: dict[str, Any]) -> dict[str, Any]:
    return {**{k: project[k] for k in ("project_code", "name", "method")},
            "amount_per_unit": fen(project["amount_per_unit_fen"]), "started_on": project["started_on"],
            "participants": project["participants"],
            "cycles": [{"cycle": c["cycle"], "paid_on": c["paid_on"], "total": fen(c["total_fen"]),
                        "method": c["method"], "voucher_number": c["voucher_number"], "payouts": c["payouts"]}
                       for c in project["cycles"]]}


def sheet_rows(sheet: statements.BalanceSheet) -> list[dict[str, Any]]:
    rows = []
    for line in statements.BALANCE_SHEET_LINES:
        rows.append({"key": line.key, "name_zh": line.name_zh, "name_en": line.name_en, "side": line.side,
                     "group_zh": line.group_zh, "group_en": line.group_en, "accounts": list(line.accounts),
                     "closing": fen(sheet.closing[line.key]), "opening": fen(sheet.opening[line.key])})
    for key, zh, en, side in (("other_assets", "其他资产", "Other assets", statements.ASSETS),
                              ("other_liabilities", "其他负债", "Other liabilities", statements.LIABILITIES)):
        if sheet.closing.get(key) or sheet.opening.get(key):
            rows.append({"key": key, "name_zh": zh, "name_en": en, "side": side, "accounts": [],
                         "closing": fen(sheet.closing.get(key, 0)), "opening": fen(sheet.opening.get(key, 0))})
    return rows


def sheet_totals(sheet: statements.BalanceSheet) -> list[dict[str, Any]]:
    return [{"key": key, "name_zh": zh, "name_en": en, "closing": fen(sheet.closing_totals[key]),
             "opening": fen(sheet.opening_totals[key]),
             "closing_uppercase": uppercase_amount(from_fen(sheet.closing_totals[key]))}
            for key, (zh, en) in TOTAL_LABELS.items()]


def balance_json(figure: BalanceFigure) -> dict[str, str]:
    return {"direction": figure.direction, "debit": money(figure.debit), "credit": money(figure.credit)}
