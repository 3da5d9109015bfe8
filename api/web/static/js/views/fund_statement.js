// 住宅专项维修资金年度账目: the fund's year (Arts. 30–31), Σ sub-ledgers reconciled with the fund's book
// (Σ sub-ledgers = 201, Σ receivables = 112, 102 + 111 + 112 = 201 + 202 + 211).
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link, notice } from "../ui.js";
import { AS_OF, YEAR, reportView } from "./report.js";
import { READERS, fund } from "./roles.js";
import { fundRoute } from "./funds.js";
import { figuresTable } from "./fund_figures.js";

const BOOK = [["bank", "mf.book_bank"], ["bonds", "mf.book_bonds"], ["receivables", "mf.book_receivables"],
  ["funds_held", "mf.book_funds_held"], ["value_added_income", "mf.book_value_added"], ["payables", "mf.book_payables"]];

export default reportView({
  id: "fund-statement", path: "/b/:book/fund-statement", roles: READERS, menu: "book", label: "nav.fund_statement", when: fund,
  api: (ctx) => path("maintenance-funds", ctx.book.book_code, "statement"),
  params: [YEAR, AS_OF],
  fileName: (ctx, s) => `fund-statement-${ctx.book.book_code}-${s.year}`,
  draw(ctx, s) {
    const bookColumns = [
      { label: t("mf.book_account"), value: (r) => t(r.label) },
      { label: t("common.amount"), num: true, value: (r) => formatAmount(r.amount), csv: (r) => r.amount },
    ];
    const bookRows = BOOK.map(([key, label]) => ({ label, amount: s.book[key] }));
    return { title: t("mf.statement_title"), sub: `${ctx.book.name} · ${s.year} · ${s.period_start} – ${s.period_end}`, body: [
      h("p", {}, t("mf.statement_units", { units: s.open_units, area: s.floor_area_m2 })),
      figuresTable(`${t("mf.statement_title")} ${s.year}`, s.figures),
      h("h2", {}, t("mf.reconciliation")),
      notice(t(s.reconciles ? "mf.reconciles" : "mf.not_reconciled"), s.reconciles ? "ok" : "bad"),
      dataTable({ caption: t("mf.reconciliation"), columns: bookColumns, rows: bookRows }),
      h("p", {}, link(t("mf.units_title"), fundRoute(ctx.book.book_code)))] };
  },
});
