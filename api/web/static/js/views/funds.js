// 维修资金 (住宅专项维修资金): the funds within the token's scope, each opening its units (分户账户) and its
// annual statement. A fund is kept in its own book, whose code is the fund's: its pages live under /b/<fund>/….
import { get } from "../api.js";
import { t } from "../i18n.js";
import { dataTable, h, heading, link } from "../ui.js";
import { READERS } from "./roles.js";

export const fundRoute = (fund, tail = "") => `/b/${encodeURIComponent(fund)}/fund-units${tail}`;
export const AREA_KINDS = { management_area: "mf.area_kind_area", building: "mf.area_kind_building" };
export const BASES = { period_end: "mf.basis_period_end", daily_product: "mf.basis_daily_product" };
export const named = (labels, key) => (labels[key] ? t(labels[key]) : key);

export default {
  id: "funds", path: "/funds", roles: READERS, menu: "top", label: "nav.funds",
  async render() {
    const { funds } = await get("/maintenance-funds");
    const columns = [
      { label: t("mf.fund"), nowrap: true, value: (f) => link(f.fund_code, fundRoute(f.fund_code)), csv: (f) => f.fund_code },
      { label: t("common.name"), value: (f) => f.name },
      { label: t("books.community"), value: (f) => f.community_id },
      { label: t("books.township"), value: (f) => f.township_id },
      { label: t("mf.area_kind"), value: (f) => [named(AREA_KINDS, f.area_kind), f.building ? ` ${f.building}` : ""].join(""),
        csv: (f) => [f.area_kind, f.building].filter(Boolean).join(" ") },
      { label: t("mf.opened_on"), nowrap: true, value: (f) => f.opened_on },
      { label: t("mf.basis"), value: (f) => named(BASES, f.interest_basis), csv: (f) => f.interest_basis },
      { label: t("mf.standard"), num: true, value: (f) => (f.deposit_standards.length ? f.deposit_standards[f.deposit_standards.length - 1].yuan_per_m2 : ""),
        csv: (f) => f.deposit_standards.map((s) => `${s.effective_on} ${s.yuan_per_m2}`).join("; ") },
      { label: t("mf.statement"), value: (f) => link(t("mf.statement"), `/b/${encodeURIComponent(f.fund_code)}/fund-statement`), csv: () => "" },
    ];
    return h("div", {}, heading(t("mf.funds_title"), t("mf.funds_intro")),
      funds.length ? dataTable({ caption: t("mf.funds_title"), columns, rows: funds, csv: "maintenance-funds" }) : h("p", {}, t("mf.none")));
  },
};
