// 乡镇汇总报表: the township's consolidated statements (api/township) — one column per community, then
// the township's total — as of a date, with the API's XLSX / PDF / CSV exports of the same statement.
import { get, path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { field, h, heading, notice, todayCst, exportTools } from "../ui.js";

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
