"""The kinds of import: for each, its template columns, the request schema a row must pass (the
capability's own, from ``api/<cap>/schemas.py``), how an existing record is recognised, and the
capability's use case (``domain/<cap>/application.py``) that records one row.

No rule is copied here: a row is turned into the request the single-record endpoint takes, checked
by that endpoint's schema, and recorded by the same use case, so an imported row and a row entered by
hand meet exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from api.auth import require_write
from api.books.schemas import LineIn
from api.collective.schemas import MemberIn, ResolutionIn
from api.imports.files import Column
from api.leases.schemas import ShopFrontIn, TenantIn
from api.maintenance_fund.schemas import UnitIn
from api.runtime import Principal
from api.schemas import Model, StrictDate
from api.subsidies.schemas import HouseholdIn
from domain.collective import application as collective
from domain.collective.identity import protect_identity_number
from domain.collective.membership import Membership, membership_id
from domain.leases import application as leasing
from domain.leases.shop_front import ShopFront, shop_front_id
from domain.leases.tenant import Tenant, tenant_id
from domain.maintenance_fund import application as mf
from domain.maintenance_fund.unit import Owner
from domain.subsidies import application as subsidies
from domain.subsidies.household import Household, household_stream_id
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.writer import UnitOfWork


@dataclass(frozen=True)
class Context:
    """What a row's use case needs beyond the row: the book, the caller, the identity key."""

    book_code: str
    who: Principal
    identity_key: bytes


class MemberRowIn(MemberIn):
    """A roster row: the member and the members' assembly resolution that confirmed them."""

    resolution: ResolutionIn


class UnitRowIn(UnitIn):
    """A fund-unit row: the unit and the date it is registered in the fund."""

    registered_on: StrictDate


@dataclass(frozen=True)
class Kind:
    name: str
    title_zh: str
    title_en: str
    capability: str
    columns: tuple[Column, ...]
    schema: type[Model]
    key_column: str
    #: the book's write check (who may record), before any row is looked at
    authorise: Callable[[UnitOfWork, Context], None]
    #: the request dict the schema validates, from a row's text cells
    to_request: Callable[[dict[str, str]], dict[str, Any]]
    #: the natural key of a validated row
    key_of: Callable[[BaseModel], str]
    #: (what is recorded, what the row asks), comparable; None when nothing is recorded under the key
    compare: Callable[[UnitOfWork, Context, BaseModel], tuple[Any, Any] | None]
    #: record one row through the capability's use case
    apply: Callable[[UnitOfWork, Audit, Context, BaseModel], Any]
    #: a pydantic error location (beyond one field name) → the column it names
    loc_columns: dict[tuple, str] = field(default_factory=dict)
    #: a rule (slug) → the column it is about, where the rule's message does not name it
    rule_columns: dict[str, str] = field(default_factory=dict)


# --- cell text → request values (the schema then checks every value) ----------------------------
TRUE, FALSE = {"true", "yes", "y", "1", "是", "有"}, {"false", "no", "n", "0", "否", "无"}


def _int(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() and len(text) <= 12 else text


def _bool(text: str) -> Any:
    lowered = text.lower()
    return True if lowered in TRUE else False if lowered in FALSE else text


def _plain(cells: dict[str, str], *keys: str, ints: tuple[str, ...] = (), bools: tuple[str, ...] = ()) -> dict:
    """The non-empty cells under their keys (an empty cell takes the schema's default)."""
    request: dict[str, Any] = {}
    for key in keys:
        text = cells.get(key, "")
        if text == "":
            continue
        request[key] = _int(text) if key in ints else _bool(text) if key in bools else text
    return request


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def _require(uow: UnitOfWork, who: Principal, community_id: str, township_id: str) -> None:
    require_write(who, community_id, township_id)


def _book_writable(uow: UnitOfWork, ctx: Context) -> None:
    book = bookkeeping.get_book(uow, ctx.book_code)
    _require(uow, ctx.who, book.community_id, book.township_id)


# --- members (成员名册, collective) -------------------------------------------------------------
RESOLUTION_COLUMNS = {"resolution_reference": "reference", "resolved_on": "resolved_on",
                      "members_total": "members_total", "members_with_full_capacity": "members_with_full_capacity",
                      "present": "present", "in_favour": "in_favour"}


def _member_request(cells: dict[str, str]) -> dict:
    request = _plain(cells, "member_id", "name", "household_id", "identity_number")
    request["resolution"] = {field_name: _int(cells[column]) if column not in ("resolution_reference", "resolved_on")
                             else cells[column]
                             for column, field_name in RESOLUTION_COLUMNS.items() if cells.get(column, "") != ""}
    return request


def _member_authorise(uow: UnitOfWork, ctx: Context) -> None:
    organisation = collective.get_organisation(uow, ctx.book_code)
    _require(uow, ctx.who, organisation.community_id, organisation.township_id)


def _member_compare(uow: UnitOfWork, ctx: Context, row: MemberRowIn) -> tuple | None:
    recorded = uow.get_optional(Membership, membership_id(ctx.book_code, row.member_id))
    if recorded is None:
        return None
    asked_hash = protect_identity_number(ctx.identity_key, row.identity_number).keyed_hash_hex
    return ((recorded.name, recorded.household_id, recorded.line.identity.keyed_hash_hex),
            (row.name, row.household_id, asked_hash))


def _member_apply(uow: UnitOfWork, audit: Audit, ctx: Context, row: MemberRowIn) -> Any:
    candidate = collective.MemberCandidate(row.member_id, row.name, row.household_id, row.identity_number)
    return collective.confirm_members(uow, audit, ctx.identity_key, ctx.book_code, row.resolution.to_domain(),
                                      [candidate])


MEMBERS = Kind(
    "members", "成员名册", "Member roster", "collective",
    (Column("member_id", "成员编号", example="M0001"),
     Column("name", "姓名", example="张三"),
     Column("household_id", "户号", example="H001"),
     Column("identity_number", "公民身份号码", example="110101199003070000",
            note="仅存掩码与密钥散列 stored only masked plus a keyed hash"),
     Column("resolution_reference", "确认决议文号", example="成员大会决议〔2024〕1号"),
     Column("resolved_on", "决议日期", example="2024-01-05"),
     Column("members_total", "成员总数", example="120"),
     Column("members_with_full_capacity", "完全民事行为能力成员数", required=False, example=""),
     Column("present", "出席人数", example="100"),
     Column("in_favour", "赞成票", example="95")),
    MemberRowIn, "member_id", _member_authorise, _member_request, lambda r: r.member_id, _member_compare,
    _member_apply, loc_columns={("resolution", f): c for c, f in RESOLUTION_COLUMNS.items()},
    rule_columns={"quorum-not-met": "present", "resolution-not-passed": "in_favour",
                  "inconsistent-resolution": "members_total", "invalid-member-details": "name"},
)


# --- households (住户登记簿, subsidies) ----------------------------------------------------------
def _household_compare(uow: UnitOfWork, ctx: Context, row: HouseholdIn) -> tuple | None:
    recorded = uow.get_optional(Household, household_stream_id(ctx.book_code, row.household_id))
    if recorded is None:
        return None
    return ((recorded.building_code, recorded.unit_number, _decimal(recorded.areas[0].floor_area_m2),
             recorded.move_ins[0].moved_in_on),
            (row.building_code, row.unit_number, _decimal(row.floor_area_m2), row.moved_in_on))


def _household_apply(uow: UnitOfWork, audit: Audit, ctx: Context, row: HouseholdIn) -> Any:
    item = subsidies.HouseholdInput(row.household_id, row.building_code, row.unit_number, row.floor_area_m2,
                                    row.moved_in_on, row.persons, row.labourers, row.head_identity_number,
                                    row.billing_from_month)
    return subsidies.register_household(uow, audit, ctx.identity_key, ctx.book_code, item)


HOUSEHOLDS = Kind(
    "households", "住户登记簿", "Household register", "subsidies",
    (Column("household_id", "户编号", example="H001"),
     Column("building_code", "楼栋", example="B1", note="须先登记楼栋 the building must be registered first"),
     Column("unit_number", "房号", example="1-2-301"),
     Column("floor_area_m2", "建筑面积（平方米）", example="80.00"),
     Column("moved_in_on", "入住日期", example="2019-06-20"),
     Column("head_identity_number", "户主身份证号", required=False, example=""),
     Column("persons", "家庭人口", required=False, example="4"),
     Column("labourers", "劳动力", required=False, example="2"),
     Column("billing_from_month", "起始计费月", required=False, example="")),
    HouseholdIn, "household_id", _book_writable,
    lambda cells: _plain(cells, "household_id", "building_code", "unit_number", "floor_area_m2", "moved_in_on",
                         "head_identity_number", "persons", "labourers", "billing_from_month",
                         ints=("persons", "labourers")),
    lambda r: r.household_id, _household_compare, _household_apply,
)


# --- shop-fronts and tenants (门面登记簿, 承租人, leases) ----------------------------------------------
def _shop_front_compare(uow: UnitOfWork, ctx: Context, row: ShopFrontIn) -> tuple | None:
    recorded = uow.get_optional(ShopFront, shop_front_id(ctx.book_code, row.unit_number))
    if recorded is None:
        return None
    holders = recorded.rights[0].holders
    return ((recorded.location, _decimal(recorded.floor_area_m2), holders.owner, holders.operator, holders.manager),
            (row.location, _decimal(row.floor_area_m2), row.owner, row.operator, row.manager))


def _shop_front_apply(uow: UnitOfWork, audit: Audit, ctx: Context, row: ShopFrontIn) -> Any:
    from api.leases.routes import _percent

    return leasing.register_shop_front(
        uow, audit, ctx.book_code, unit_number=row.unit_number, location=row.location,
        floor_area_m2=row.floor_area_m2, owner=row.owner, operator=row.operator, manager=row.manager,
        rights_effective_on=row.rights_effective_on, collective_share_percent=_percent(row.collective_share_percent))


SHOP_FRONTS = Kind(
    "shop-fronts", "门面登记簿", "Shop-front register", "leases",
    (Column("unit_number", "门面编号", example="A-101"),
     Column("location", "位置", example="安置区1号楼临街"),
     Column("floor_area_m2", "面积（平方米）", example="50.00"),
     Column("owner", "所有权人", example="county-platform"),
     Column("operator", "经营权人", example="c001-collective", note="集体以其账套编码表示 the collective: its book code"),
     Column("manager", "管理权人", example="c001-property"),
     Column("collective_share_percent", "集体计提比例（%）", required=False, example=""),
     Column("rights_effective_on", "权属生效日期", example="2024-01-01")),
    ShopFrontIn, "unit_number", _book_writable,
    lambda cells: _plain(cells, "unit_number", "location", "floor_area_m2", "owner", "operator", "manager",
                         "collective_share_percent", "rights_effective_on"),
    lambda r: r.unit_number, _shop_front_compare, _shop_front_apply,
)


def _tenant_compare(uow: UnitOfWork, ctx: Context, row: TenantIn) -> tuple | None:
    recorded = uow.get_optional(Tenant, tenant_id(ctx.book_code, row.tenant_code))
    if recorded is None:
        return None
    return (recorded.name, recorded.kind, recorded.contact), (row.name, row.kind, row.contact)


TENANTS = Kind(
    "tenants", "承租人", "Tenants", "leases",
    (Column("tenant_code", "承租人编号", example="T001"),
     Column("name", "名称", example="张三便利店"),
     Column("kind", "类型", example="business", note="person（个人）| business（企业）"),
     Column("contact", "联系方式", example="13800000000")),
    TenantIn, "tenant_code", _book_writable,
    lambda cells: _plain(cells, "tenant_code", "name", "kind", "contact"),
    lambda r: r.tenant_code, _tenant_compare,
    lambda uow, audit, ctx, r: leasing.register_tenant(uow, audit, ctx.book_code, tenant_code=r.tenant_code,
                                                       name=r.name, kind=r.kind, contact=r.contact),
)


# --- fund units (分户账, maintenance fund) ---------------------------------------------------------
OWNER_COLUMNS = {"owner_id": "owner_id", "owner_kind": "kind", "owner_name": "name"}


def _unit_request(cells: dict[str, str]) -> dict:
    request = _plain(cells, "unit_id", "kind", "floor_area_m2", "building", "stairwell", "room", "household_id",
                     "shop_front", "registered_on")
    request["owner"] = {f: cells[c] for c, f in OWNER_COLUMNS.items() if cells.get(c, "") != ""}
    return request


def _unit_authorise(uow: UnitOfWork, ctx: Context) -> None:
    fund = mf.get_fund(uow, ctx.book_code)
    _require(uow, ctx.who, fund.community_id, fund.township_id)


def _unit_compare(uow: UnitOfWork, ctx: Context, row: UnitRowIn) -> tuple | None:
    state = mf.get_fund(uow, ctx.book_code).units.get(row.unit_id)
    if state is None:
        return None
    r = state.record
    asked_area = _decimal(row.floor_area_m2) if row.floor_area_m2 not in (None, "") else r.floor_area_m2
    return ((r.kind, _decimal(r.floor_area_m2), r.building, r.stairwell, r.room, r.owner.owner_id, r.owner.kind),
            (row.kind, _decimal(asked_area), row.building, row.stairwell, row.room, row.owner.owner_id,
             row.owner.kind))


def _unit_apply(uow: UnitOfWork, audit: Audit, ctx: Context, row: UnitRowIn) -> Any:
    unit = mf.UnitInput(unit_id=row.unit_id, kind=row.kind, floor_area_m2=row.floor_area_m2, building=row.building,
                        stairwell=row.stairwell, owner=Owner.named(*row.owner.parts()), room=row.room,
                        household_id=row.household_id, shop_front=row.shop_front)
    return mf.register_units(uow, audit, ctx.book_code, registered_on=row.registered_on, units=[unit])


FUND_UNITS = Kind(
    "fund-units", "维修资金分户", "Maintenance-fund units", "maintenance_fund",
    (Column("unit_id", "房屋单元编号", example="1-1-101"),
     Column("kind", "类型", required=False, example="flat", note="flat（住宅）| shop_front（门面）"),
     Column("floor_area_m2", "建筑面积（平方米）", required=False, example="80.00"),
     Column("building", "幢", example="1"),
     Column("stairwell", "单元", required=False, example="1"),
     Column("room", "室", required=False, example="101"),
     Column("owner_id", "业主编号", required=False, example="H001", note="空：开发建设单位未售 empty: the developer"),
     Column("owner_kind", "业主类型", required=False, example="owner", note="owner | developer | collective"),
     Column("owner_name", "业主姓名", required=False, example="张三"),
     Column("household_id", "住户编号", required=False, example=""),
     Column("shop_front", "门面", required=False, example="", note="'<账套>/<门面编号>'"),
     Column("registered_on", "登记日期", example="2024-01-01")),
    UnitRowIn, "unit_id", _unit_authorise, _unit_request, lambda r: r.unit_id, _unit_compare, _unit_apply,
    loc_columns={("owner", f): c for c, f in OWNER_COLUMNS.items()},
)


# --- opening balances (期初余额) ------------------------------------------------------------------
class OpeningRowIn(LineIn):
    """One opening line: the voucher line of the books' schema (account, sub-ledger, debit or credit)."""


OPENING_BALANCES = Kind(
    "opening-balances", "期初余额", "Opening balances", "books",
    (Column("account_code", "科目编码", example="102", note="末级科目 leaf accounts only"),
     Column("subledger", "辅助核算", required=False, example="", note="如 member:M0001、tenant:T001"),
     Column("debit", "借方余额", required=False, example="58800.00"),
     Column("credit", "贷方余额", required=False, example=""),
     Column("memo", "备注", required=False, example="")),
    OpeningRowIn, "account_code", _book_writable,
    lambda cells: _plain(cells, "account_code", "subledger", "debit", "credit", "memo"),
    lambda r: f"{r.account_code}|{r.subledger}",
    lambda uow, ctx, row: None,  # the whole file is one entry (see api.imports.service)
    lambda uow, audit, ctx, row: None,
)

KINDS: dict[str, Kind] = {k.name: k for k in (MEMBERS, HOUSEHOLDS, SHOP_FRONTS, TENANTS, FUND_UNITS,
                                              OPENING_BALANCES)}
