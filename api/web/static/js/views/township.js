// 辖区社区: every community of the township side by side, with key figures from each book's trial balance.
import { get, path } from "../api.js";
import { t } from "../i18n.js";
import { fenOf, formatAmount } from "../money.js";
import { h, heading, link, notice, paramsForm, todayCst } from "../ui.js";
import { problemText } from "../problems.js";

/** Key figures of one trial balance, in fen, from its first-level accounts (so nothing counts twice). */
export function keyFigures(tb) {
  const figures = { cash: 0n, assets: 0n, liabilities: 0n, income: 0n, expenses: 0n, receivables: 0n };
  for (const row of tb.rows) {
    if ((row.level || 1) !== 1) continue;
    const closingDr = fenOf(row.closing.debit) - fenOf(row.closing.credit);
    if (row.class === "asset") figures.assets += closingDr;
    if (row.class === "liability") figures.liabilities -= closingDr;
    if (row.class === "income") figures.income += fenOf(row.period_credit);
    if (row.class === "expense" || row.class === "cost") figures.expenses += fenOf(row.period_debit);
    if (["101", "102"].includes(row.account_code)) figures.cash += closingDr;
    if (row.account_code === "112") figures.receivables += closingDr;
  }
  figures.net_assets = figures.assets - figures.liabilities;
  return figures;
}

const FIGURES = ["cash", "receivables", "assets", "liabilities", "net_assets", "income", "expenses"];

export default {
  id: "township", path: "/township", roles: ["township", "auditor"], menu: "top", label: "nav.township",
  async render(ctx) {
    const asOf = ctx.query.as_of || todayCst();
    const books = ctx.books;
    const results = await Promise.all(books.map((book) =>
      get(path("books", book.book_code, "trial-balance"), { as_of: asOf }).then((tb) => ({ book, tb, figures: keyFigures(tb) }),
        (problem) => ({ book, problem }))));
    const columns = results.map((r) => r);
    const total = Object.fromEntries(FIGURES.map((key) => [key, results.reduce((sum, r) => sum + (r.figures ? r.figures[key] : 0n), 0n)]));
    const head = h("tr", {}, h("th", { scope: "col" }, t("township.figure")),
      columns.map(({ book }) => h("th", { scope: "col", class: "num" },
        link(book.name, `/b/${encodeURIComponent(book.book_code)}`), h("br"),
        h("small", {}, `${t("township.community", { id: book.community_id })} · ${book.township_id}`))),
      h("th", { scope: "col", class: "num" }, t("township.total")));
    const body = FIGURES.map((key) => h("tr", {}, h("th", { scope: "row" }, t(`township.${key}`)),
      columns.map((r) => h("td", { class: "num" }, r.figures ? formatAmount(r.figures[key]) : "—")),
      h("td", { class: "num total" }, formatAmount(total[key]))));
    body.push(h("tr", {}, h("th", { scope: "row" }, t("township.balanced")),
      columns.map((r) => h("td", { class: "num" }, r.tb ? (r.tb.balanced ? `✓ ${t("common.yes")}` : `✗ ${t("common.no")}`) : problemText(r.problem))),
      h("td")));
    body.push(h("tr", { class: "no-print" }, h("th", { scope: "row" }, t("township.statements")),
      columns.map(({ book }) => h("td", { class: "num links" },
        link(t("nav.trial_balance"), `/b/${encodeURIComponent(book.book_code)}/trial-balance?as_of=${asOf}`),
        book.entity_kind === "collective" ? [" · ", link(t("nav.balance_sheet"), `/b/${encodeURIComponent(book.book_code)}/balance-sheet?as_of=${asOf}`),
          " · ", link(t("nav.income"), `/b/${encodeURIComponent(book.book_code)}/income?as_of=${asOf}`)] : null)),
      h("td")));
    return h("div", {},
      heading(t("township.title"), t("township.intro")),
      paramsForm(ctx, [{ name: "as_of", label: t("common.as_of"), value: asOf }]),
      books.length ? h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("township.title") },
        h("table", { class: "report township" }, h("caption", { class: "visually-hidden" }, `${t("township.title")} ${asOf}`),
          h("thead", {}, head), h("tbody", {}, body))) : notice(t("township.none"), "info"));
  },
};
