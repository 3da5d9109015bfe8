// 乡镇汇总报表: the township's consolidated statements (api/township) — one column per community, then
// the township's total — as of a date, with the API's XLSX / PDF / CSV exports of the same statement.
import { get, path } from "../api.js";
import { addLabels, pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { field, h, heading, notice, todayCst, exportTools } from "../ui.js";

addLabels({
  "ts2.title": ["乡镇汇总报表", "Township consolidated statements"],
  "ts2.intro": ["本乡镇各社区集体经济组织的报表并列，最后一列为乡镇合计。", "Every community's statement side by side; the last column is the township's total."],
  "ts2.township": ["乡镇", "Township"],
  "ts2.statement": ["报表", "Statement"],
  "ts2.balance-sheet": ["资产负债表", "Balance sheet"],
  "ts2.income": ["收益及收益分配表", "Income and distribution"],
  "ts2.overview": ["汇总概览（分红、租金、补贴、维修资金）", "Overview (dividends, rent, subsidies, funds)"],
  "ts2.item": ["项目", "Item"],
  "ts2.total": ["乡镇合计", "Township total"],
  "ts2.total_opening": ["乡镇合计（年初）", "Township total (opening)"],
  "ts2.as_of": ["截至 {as_of}（年初 {opening}）", "As of {as_of} (opening {opening})"],
  "ts2.year": ["{year} 年度，{start} 至 {end}", "Year {year}, {start} to {end}"],
  "ts2.in_losses": ["亏损", "in losses"],
  "ts2.none": ["本令牌没有可查看的乡镇。", "No township in this token's scope."],
  "ts2.unbalanced": ["不平衡", "not balanced"],
  "ov.dividends_declared": ["已宣告分红", "Dividends declared"],
  "ov.dividends_paid": ["已支付分红", "Dividends paid"],
  "ov.dividends_unpaid": ["未付分红", "Dividends unpaid"],
  "ov.shop_fronts": ["门面数", "Shop-fronts"],
  "ov.shop_fronts_leased": ["在租门面", "Leased"],
  "ov.monthly_rent_in_force": ["月租金合计", "Monthly rent in force"],
  "ov.rent_open": ["未收租金", "Rent open"],
  "ov.rent_overdue": ["逾期租金", "Rent overdue"],
  "ov.arrears_aging.not_due": ["未到期", "Not yet due"],
  "ov.arrears_aging.days_1_30": ["欠租1–30天", "1–30 days"],
  "ov.arrears_aging.days_31_90": ["欠租31–90天", "31–90 days"],
  "ov.arrears_aging.days_91_180": ["欠租91–180天", "91–180 days"],
  "ov.arrears_aging.over_180": ["欠租180天以上", "Over 180 days"],
  "ov.tenants_in_arrears": ["欠租租户", "Tenants in arrears"],
  "ov.claims_awaiting_approval": ["待审核补贴申领", "Claims awaiting approval"],
  "ov.claims_approved_unpaid": ["已核准未拨付", "Approved, not received"],
  "ov.claims_outstanding": ["补贴未到账", "Claims outstanding"],
  "ov.claims_returned": ["已退回申领", "Claims returned"],
  "ov.fund_units": ["维修资金单元", "Fund units"],
  "ov.fund_balance": ["维修资金余额", "Fund balance"],
  "ov.fund_receivable": ["应收业主", "Receivable from owners"],
  "ov.units_to_replenish": ["需续交单元", "Units to replenish"],
  "ov.amount_to_restore": ["应续交金额", "Amount to restore"],
});

const STATEMENTS = {
  "balance-sheet": ["statements", "balance-sheet"],
  income: ["statements", "income"],
  overview: ["overview"],
};
const OVERVIEW = [
  ["dividends_declared", true], ["dividends_paid", true], ["dividends_unpaid", true], ["shop_fronts", false],
  ["shop_fronts_leased", false], ["monthly_rent_in_force", true], ["rent_open", true], ["rent_overdue", true],
  ["arrears_aging.not_due", true], ["arrears_aging.days_1_30", true], ["arrears_aging.days_31_90", true],
  ["arrears_aging.days_91_180", true], ["arrears_aging.over_180", true], ["tenants_in_arrears", false],
  ["claims_awaiting_approval", true], ["claims_approved_unpaid", true], ["claims_outstanding", true],
  ["claims_returned", true], ["fund_units", false], ["fund_balance", true], ["fund_receivable", true],
  ["units_to_replenish", false], ["amount_to_restore", true],
];

const at = (row, key) => key.split(".").reduce((v, k) => (v == null ? v : v[k]), row);

/** Statement lines down, communities across (the same pivot as the export's, api/exports/tables.py). */
function pivot(data, value) {
  const rows = [];
  for (const group of ["lines", "totals"]) {
    for (const line of data.total[group] || []) {
      rows.push({ key: line.key, label: pick(line.name_zh, line.name_en), grand: group === "totals",
        cells: data.communities.map((c) => (c[group] || []).find((x) => x.key === line.key)?.[value]),
        total: line[value], opening: line.opening });
    }
  }
  return rows;
}

function communityHead(c) {
  return h("th", { scope: "col", class: "num" }, c.book_name || c.name, h("br"),
    h("small", {}, `${c.community_id}${c.book_code ? ` · ${c.book_code}` : ""}`),
    c.in_losses ? [h("br"), h("small", { class: "bad" }, t("ts2.in_losses"))] : null,
    c.balanced === false ? [h("br"), h("small", { class: "bad" }, t("ts2.unbalanced"))] : null);
}

function table(caption, heads, rows) {
  return h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h("table", { class: "report township consolidated" }, h("caption", {}, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("ts2.item")), heads)),
      h("tbody", {}, rows)));
}

export default {
  id: "township-statements", path: "/township/statements", roles: ["township", "auditor"], menu: "top",
  label: "nav.township_statements",
  async render(ctx) {
    const { townships } = await get("/townships");
    if (!townships.length) return h("div", {}, heading(t("ts2.title")), notice(t("ts2.none"), "info"));
    const township = townships.some((x) => x.township_id === ctx.query.township) ? ctx.query.township : townships[0].township_id;
    const statement = STATEMENTS[ctx.query.statement] ? ctx.query.statement : "balance-sheet";
    const asOf = ctx.query.as_of || todayCst();
    const apiPath = path("townships", township, ...STATEMENTS[statement]);
    const data = await get(apiPath, { as_of: asOf });

    const form = h("form", { class: "params", novalidate: true });
    const townshipSelect = h("select", { name: "township" }, townships.map((x) =>
      h("option", { value: x.township_id, selected: x.township_id === township }, `${x.township_id}（${x.communities}）`)));
    const statementSelect = h("select", { name: "statement" }, Object.keys(STATEMENTS).map((key) =>
      h("option", { value: key, selected: key === statement }, t(`ts2.${key}`))));
    const date = h("input", { type: "date", name: "as_of", value: asOf });
    form.append(field(t("ts2.township"), townshipSelect), field(t("ts2.statement"), statementSelect),
      field(t("common.as_of"), date), h("div", { class: "field actions" }, h("button", { type: "submit" }, t("common.show"))));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      ctx.go(ctx.pathname, { township: townshipSelect.value, statement: statementSelect.value, as_of: date.value });
    });

    let body;
    let sub;
    const title = `${pick(data.title_zh, data.title_en)} · ${township}`;
    if (statement === "overview") {
      sub = `${t("common.as_of")} ${data.as_of}`;
      const heads = [...data.communities.map((c) => communityHead(c)), h("th", { scope: "col", class: "num" }, t("ts2.total"))];
      body = table(title, heads, OVERVIEW.map(([key, money]) => {
        const show = (row) => { const v = at(row, key); return money ? formatAmount(v) : String(v ?? ""); };
        return h("tr", { dataset: { key } }, h("th", { scope: "row" }, t(`ov.${key}`)),
          data.communities.map((c) => h("td", { class: "num" }, show(c))), h("td", { class: "num total" }, show(data.total)));
      }));
    } else {
      const value = statement === "income" ? "amount" : "closing";
      sub = statement === "income" ? t("ts2.year", { year: data.year, start: data.period_start, end: data.period_end })
        : t("ts2.as_of", { as_of: data.as_of, opening: data.opening_as_of });
      const heads = [...data.communities.map((c) => communityHead(c)), h("th", { scope: "col", class: "num" }, t("ts2.total")),
        statement === "balance-sheet" ? h("th", { scope: "col", class: "num" }, t("ts2.total_opening")) : null];
      body = table(title, heads, pivot(data, value).map((row) => h("tr", { class: row.grand ? "grand" : null, dataset: { key: row.key } },
        h("th", { scope: "row" }, row.label),
        row.cells.map((v) => h("td", { class: "num" }, v == null ? "" : formatAmount(v))),
        h("td", { class: "num total" }, formatAmount(row.total)),
        statement === "balance-sheet" ? h("td", { class: "num" }, formatAmount(row.opening)) : null)));
    }
    return h("div", {},
      heading(t("ts2.title"), t("ts2.intro")),
      form,
      exportTools(apiPath, { as_of: data.as_of }, `${statement}-${township}-${data.as_of}`),
      h("p", { class: "sub" }, `${sub} · ${t("common.log_position")} ${data.log_position}`),
      body);
  },
};
