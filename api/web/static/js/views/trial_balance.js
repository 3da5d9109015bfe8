// 科目余额表: opening balances, the period's debits and credits, closing balances, as of a date.
import { path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link, route } from "../ui.js";
import { AS_OF, FROM, reportView } from "./report.js";
import { READERS } from "./roles.js";

const amount = (value) => (value && value !== "0.00" ? formatAmount(value) : "");

export default reportView({
  id: "trial-balance", path: "/b/:book/trial-balance", roles: READERS, menu: "book", label: "nav.trial_balance",
  api: (ctx) => path("books", ctx.book.book_code, "trial-balance"),
  params: [AS_OF, FROM],
  fileName: (ctx, tb) => `trial-balance-${ctx.book.book_code}-${tb.as_of}`,
  draw(ctx, tb) {
    const book = ctx.book;
    const columns = [
      { label: t("tb.account"), value: (r) => (r.__footer ? r.account_code : link(r.account_code,
        route(`/b/${encodeURIComponent(book.book_code)}/ledger/${encodeURIComponent(r.account_code)}`, { as_of: tb.as_of, from: ctx.query.from }))),
        csv: (r) => r.account_code },
      { label: t("tb.name"), value: (r) => h("span", { class: `level-${r.level || 1}` }, pick(r.name_zh, r.name_en)),
        csv: (r) => pick(r.name_zh, r.name_en) },
      { label: t("tb.opening_debit"), num: true, value: (r) => amount(r.opening.debit), csv: (r) => r.opening.debit },
      { label: t("tb.opening_credit"), num: true, value: (r) => amount(r.opening.credit), csv: (r) => r.opening.credit },
      { label: t("tb.period_debit"), num: true, value: (r) => amount(r.period_debit), csv: (r) => r.period_debit },
      { label: t("tb.period_credit"), num: true, value: (r) => amount(r.period_credit), csv: (r) => r.period_credit },
      { label: t("tb.closing_debit"), num: true, value: (r) => amount(r.closing.debit), csv: (r) => r.closing.debit },
      { label: t("tb.closing_credit"), num: true, value: (r) => amount(r.closing.credit), csv: (r) => r.closing.credit },
    ];
    const totals = tb.totals;
    const footer = [{ __footer: true, account_code: t("common.total"), name_zh: "", name_en: "", level: 1,
      opening: { debit: totals.opening_debit, credit: totals.opening_credit },
      period_debit: totals.period_debit, period_credit: totals.period_credit,
      closing: { debit: totals.closing_debit, credit: totals.closing_credit } }];
    const rows = tb.rows.map((r) => ({ ...r, rowClass: r.level > 1 ? "sub" : null }));
    return { title: t("tb.title"), sub: `${book.name} · ${t("tb.period", { start: tb.period_start, end: tb.as_of })}`, body: [
      h("p", { class: `balance-status ${tb.balanced ? "ok" : "bad"}`, role: "status" }, t(tb.balanced ? "tb.balanced" : "tb.unbalanced")),
      dataTable({ caption: `${t("tb.title")} ${tb.as_of}`, columns, rows, footer, className: "report" }),
      h("p", { class: "in-words" }, t("tb.closing_words", { words: totals.closing_debit_uppercase })),
      h("p", { class: "sub" }, `${t("common.log_position")} ${tb.log_position}`)] };
  },
});
