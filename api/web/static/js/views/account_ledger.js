// 明细账: one account's postings with a running balance, from the trial balance's account codes.
import { get, path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, heading, link, paramsForm, route, todayCst, exportTools } from "../ui.js";
import { READERS } from "./roles.js";

const figure = (f) => (f.direction === "平" ? `平 0.00` : `${f.direction} ${formatAmount(f.direction === "借" ? f.debit : f.credit)}`);

export default {
  id: "account-ledger", path: "/b/:book/ledger/:account", roles: READERS, label: "ledger.title",
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const asOf = ctx.query.as_of || todayCst();
    const ledger = await get(path("books", code, "accounts", ctx.params.account, "ledger"),
      { as_of: asOf, from: ctx.query.from, subledger: ctx.query.subledger, cursor: ctx.query.cursor, limit: 200 });
    const columns = [
      { label: t("common.date"), value: (l) => l.voucher_date },
      { label: t("ledger.number"), value: (l) => link(l.number, `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(l.number)}`), csv: (l) => l.number },
      { label: t("ledger.summary"), value: (l) => l.summary },
      { label: t("ledger.subledger"), value: (l) => l.subledger },
      { label: t("common.debit"), num: true, value: (l) => (l.debit !== "0.00" ? formatAmount(l.debit) : ""), csv: (l) => l.debit },
      { label: t("common.credit"), num: true, value: (l) => (l.credit !== "0.00" ? formatAmount(l.credit) : ""), csv: (l) => l.credit },
      { label: t("ledger.balance"), num: true, value: (l) => figure(l.balance), csv: (l) => figure(l.balance) },
    ];
    const base = `/b/${encodeURIComponent(code)}/ledger/${encodeURIComponent(ctx.params.account)}`;
    const query = { as_of: asOf, from: ctx.query.from, subledger: ctx.query.subledger };
    return h("div", {},
      heading(`${t("ledger.title")} · ${ledger.account_code} ${pick(ledger.name_zh, ledger.name_en)}`,
        `${book.name} · ${ledger.period_start} – ${ledger.as_of}`),
      paramsForm(ctx, [{ name: "as_of", label: t("common.as_of"), value: asOf }, { name: "from", label: t("common.from") },
        { name: "subledger", label: t("ledger.subledger"), type: "text" }]),
      exportTools(path("books", code, "accounts", ctx.params.account, "ledger"), { ...query, as_of: ledger.as_of, cursor: ctx.query.cursor, limit: 200 }, `ledger-${code}-${ledger.account_code}-${ledger.as_of}`),
      h("p", {}, `${t("ledger.opening")}${t("common.colon")}${figure(ledger.opening)}`),
      dataTable({ caption: t("ledger.title"), columns, rows: ledger.lines }),
      h("p", {}, `${t("common.total")}${t("common.colon")}${t("common.debit")} ${formatAmount(ledger.period_debit)} · ${t("common.credit")} ${formatAmount(ledger.period_credit)} · ${t("ledger.closing")}${t("common.colon")}${figure(ledger.closing)}`),
      h("div", { class: "pager" },
        ctx.query.cursor ? link(t("common.first_page"), route(base, query)) : null,
        ledger.next_cursor ? link(t("common.next_page"), route(base, { ...query, cursor: ledger.next_cursor })) : null));
  },
};
