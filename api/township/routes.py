"""Township statements (乡镇汇总报表): ``/townships`` and ``/townships/{township}/…``, read only.

Who may read (DOMAIN.md §7): a township office its own township; an auditor whose scope is ``all``
(every township) or that township. Anyone else gets 403 *before anything is looked up*, so a
refusal says nothing about whether the township exists: a township office asking for another
township, an auditor of another scope and every accountant (whose books are read through
``/books/{book}/…`` and ``/collective/organisations/{book}/…``) are answered alike. Only a caller
allowed to read the township learns that it has no books: 404 ``township-not-found``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.auth import AUDITOR, TOWNSHIP, Who
from api.collective import render
from api.errors import ApiProblem
from api.http import YEAR_MAX, YEAR_MIN, AsOf, income_period, read, reading_date
from api.runtime import Principal
from api.schemas import money
from api.township import schemas as out
from ledger.book import CODE_PATTERN
from ledger.money import from_fen, uppercase_amount
from ledger.sqldb import Transaction
from projections import statements
from projections import township as reports

router = APIRouter(tags=["township 乡镇汇总"])
TownshipId = Annotated[str, Path(pattern=CODE_PATTERN.pattern, description="乡镇 Township id")]
YearQuery = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX, description="年度 Year (default: as_of's year)")]


def may_read_township(who: Principal, township_id: str) -> bool:
    """Township offices read their township; auditors any township their scope covers (``all`` or it)."""
    return who.role in (TOWNSHIP, AUDITOR) and who.scope.kind in ("township", "all") and \
        who.scope.covers("", township_id)


def township_places(tx: Transaction, who: Principal, township_id: str) -> list[reports.CommunityBooks]:
    """The township's communities, if the caller may read it: 403 first (no existence leak), then 404."""
    if not may_read_township(who, township_id):
        raise ApiProblem(403, "out-of-scope", "Forbidden", f"township {township_id} is outside this token's scope")
    places = reports.communities(tx, township_id)
    if not places:
        raise ApiProblem(404, "township-not-found", "Township not found", f"no book belongs to township {township_id}")
    return places


@router.get("/townships", summary="乡镇列表 Townships in scope", response_model=out.TownshipsOut)
def list_townships(request: Request, who: Who):
    """本令牌可查看的乡镇及其社区数。The townships this token may read, with their communities and books."""
    if who.role not in (TOWNSHIP, AUDITOR) or who.scope.kind not in ("township", "all"):
        raise ApiProblem(403, "forbidden-role", "Forbidden", "township statements are for township offices and auditors")
    with read(request) as (tx, position):
        rows = []
        for township_id in reports.township_ids(tx):
            if may_read_township(who, township_id):
                places = reports.communities(tx, township_id)
                rows.append({"township_id": township_id, "communities": len(places),
                             "books": sum(len(p.collective_books) + len(p.other_books) for p in places)})
    return {"townships": rows, "log_position": position}


def _book_ref(book: Any) -> dict[str, str]:
    return {"book_code": book.book_code, "name": book.name, "entity_kind": book.entity_kind,
            "chart_name": book.chart_name}


@router.get("/townships/{township_id}/communities", summary="乡镇所辖社区 Communities of a township",
            response_model=out.CommunitiesOut)
def list_communities(township_id: TownshipId, request: Request, who: Who):
    """乡镇所辖各社区及其账套（集体经济组织账套、维修资金账套）。The township's communities and their books."""
    with read(request) as (tx, position):
        places = township_places(tx, who, township_id)
    return {"title_zh": "乡镇所辖社区", "title_en": "Communities of the township", "township_id": township_id,
            "communities": [{"community_id": p.community_id, "name": p.name,
                             "collective_books": [_book_ref(b) for b in p.collective_books],
                             "other_books": [_book_ref(b) for b in p.other_books]} for p in places],
            "log_position": position}


def _sheet_column(community_id: str | None, book_code: str | None, book_name: str,
                  sheet: statements.BalanceSheet) -> dict[str, Any]:
    return {"community_id": community_id, "book_code": book_code, "book_name": book_name,
            "lines": render.sheet_rows(sheet), "totals": render.sheet_totals(sheet), "balanced": sheet.balanced}


def _sum_sheets(sheets: list[statements.BalanceSheet], as_of: date) -> statements.BalanceSheet:
    closing: dict[str, int] = defaultdict(int)
    opening: dict[str, int] = defaultdict(int)
    for sheet in sheets:
        for key, amount in sheet.closing.items():
            closing[key] += amount
        for key, amount in sheet.opening.items():
            opening[key] += amount
    for line in statements.BALANCE_SHEET_LINES:
        closing.setdefault(line.key, 0)
        opening.setdefault(line.key, 0)
    return statements.BalanceSheet(as_of, date(as_of.year, 1, 1), dict(closing), dict(opening),
                                   statements.balance_sheet_totals(closing), statements.balance_sheet_totals(opening))


@router.get("/townships/{township_id}/statements/balance-sheet", summary="乡镇汇总资产负债表 Township balance sheet",
            response_model=out.TownshipBalanceSheetOut)
def get_balance_sheet(township_id: TownshipId, request: Request, who: Who, as_of: AsOf = None):
    """各社区集体经济组织资产负债表（期末数、年初数）及乡镇合计。
    Each community collective's balance sheet (closing at as_of, opening at the start of the year) and the total."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        found = reports.balance_sheets(tx, township_places(tx, who, township_id), as_of)
    total = _sum_sheets([f.sheet for f in found], as_of)
    return {"title_zh": "乡镇汇总资产负债表", "title_en": "Township consolidated balance sheet",
            "township_id": township_id, "as_of": as_of.isoformat(),
            "opening_as_of": (date(as_of.year, 1, 1) - timedelta(days=1)).isoformat(),
            "communities": [_sheet_column(f.community_id, f.book.book_code, f.book.name, f.sheet) for f in found],
            "total": _sheet_column(None, None, "合计 Total", total), "log_position": position}


def _income_column(community_id: str | None, book_code: str | None, book_name: str, lines_fen: dict[str, int],
                   reconciles: bool) -> dict[str, Any]:
    return {"community_id": community_id, "book_code": book_code, "book_name": book_name,
            "lines": [{"key": key, "name_zh": zh, "name_en": en, "amount": money(from_fen(lines_fen[key]))}
                      for key, zh, en in statements.INCOME_STATEMENT_LINES],
            "net_income_uppercase": uppercase_amount(from_fen(lines_fen["net_income"])),
            "in_losses": lines_fen["net_income"] < 0, "reconciles_with_balance_sheet": reconciles}


@router.get("/townships/{township_id}/statements/income",
            summary="乡镇汇总收益及收益分配表 Township income and distribution statement",
            response_model=out.TownshipIncomeOut)
def get_income_statement(township_id: TownshipId, request: Request, who: Who, year: YearQuery = None,
                         as_of: AsOf = None):
    """各社区集体经济组织收益及收益分配表（每一项）及乡镇合计；净收益为负者标明亏损。
    Each community collective's income and distribution statement, every line, and the township total."""
    year, as_of = income_period(year, as_of)
    with read(request) as (tx, position):
        found = reports.income_statements(tx, township_places(tx, who, township_id), year, as_of)
    total: dict[str, int] = {key: sum(f.statement.lines[key] for f in found)
                             for key, _, _ in statements.INCOME_STATEMENT_LINES}
    end = min(as_of, date(year, 12, 31))
    return {"title_zh": "乡镇汇总收益及收益分配表", "title_en": "Township consolidated income and distribution statement",
            "township_id": township_id, "year": year, "period_start": date(year, 1, 1).isoformat(),
            "period_end": end.isoformat(), "as_of": as_of.isoformat(),
            "communities": [_income_column(f.community_id, f.book.book_code, f.book.name, f.statement.lines,
                                           f.statement.reconciles) for f in found],
            "total": _income_column(None, None, "合计 Total", total, all(f.statement.reconciles for f in found)),
            "log_position": position}


def _overview_row(row: reports.Overview) -> dict[str, Any]:
    aging = row.arrears
    return {
        "community_id": row.community_id, "name": row.name, "collective_books": row.collective_books,
        "dividends_declared": money(row.dividends_declared), "dividends_paid": money(row.dividends_paid),
        "dividends_unpaid": money(row.dividends_unpaid), "shop_fronts": row.shop_fronts,
        "shop_fronts_leased": row.shop_fronts_leased, "monthly_rent_in_force": money(row.monthly_rent_in_force),
        "rent_open": money(row.rent_open), "rent_overdue": money(row.rent_overdue),
        "arrears_aging": {"not_due": money(aging["not_due"]), "days_1_30": money(aging["1-30"]),
                          "days_31_90": money(aging["31-90"]), "days_91_180": money(aging["91-180"]),
                          "over_180": money(aging["over_180"])},
        "tenants_in_arrears": row.tenants_in_arrears,
        "claims_awaiting_approval": money(row.claims_awaiting_approval),
        "claims_approved_unpaid": money(row.claims_approved_unpaid),
        "claims_outstanding": money(row.claims_outstanding), "claims_returned": money(row.claims_returned),
        "maintenance_funds": row.funds, "fund_units": row.fund_units, "fund_balance": money(row.fund_balance),
        "fund_receivable": money(row.fund_receivable), "units_to_replenish": row.units_to_replenish,
        "amount_to_restore": money(row.amount_to_restore),
    }


@router.get("/townships/{township_id}/overview", summary="乡镇汇总概览 Township overview",
            response_model=out.TownshipOverviewOut)
def get_overview(township_id: TownshipId, request: Request, who: Who, as_of: AsOf = None):
    """截至 as_of 各社区：分红（已宣告、已付、未付）、租金清册与欠租账龄、物业补贴申领未到账、维修资金余额与需续交单元，及乡镇合计。
    Per community as of a date: dividends declared and unpaid, rent roll and arrears aging, subsidy claims
    outstanding, maintenance-fund balances and units needing replenishment; and the township's totals."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        rows, total = reports.overview(tx, township_places(tx, who, township_id), as_of)
    return {"title_zh": "乡镇汇总概览", "title_en": "Township overview", "township_id": township_id,
            "as_of": as_of.isoformat(), "communities": [_overview_row(r) for r in rows],
            "total": _overview_row(total), "log_position": position}
