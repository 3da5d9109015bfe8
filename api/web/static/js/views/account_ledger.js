// 明细账: one account's postings with a running balance, from the trial balance's account codes.
import { path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, FROM, reportView } from "./report.js";
import { READERS } from "./roles.js";

const figure = (f) => (f.direction === "平" ? `平 0.00` : `${f.direction} ${formatAmount(f.direction === "借" ? f.debit : f.credit)}`);

export default reportView({
  id: "account-ledger", path: "/b/:book/ledger/:account", roles: READERS, label: "ledger.title",
  api: (ctx) => path("books", ctx.book.book_code, "accounts", ctx.params.account, "ledger"),
  params: [AS_OF, FROM, { name: "subledger", label: "ledger.subledger", type: "text" }],
  pageSize: 200,
  fileName: (ctx, ledger) => `ledger-${ctx.book.book_code}-${ledger.account_code}-${ledger.as_of}`,
  draw(ctx, ledger) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("common.date"), value: (l) => l.voucher_date },
      { label: t("ledger.number"), value: (l) => link(l.number, `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(l.number)}`), csv: (l) => l.number },
      { label: t("ledger.summary"), value: (l) => l.summary },
      { label: t("ledger.subledger"), value: (l) => l.subledger },
      { label: t("common.debit"), num: true, value: (l) => (l.debit !== "0.00" ? formatAmount(l.debit) : ""), csv: (l) => l.debit },
      { label: t("common.credit"), num: true, value: (l) => (l.credit !== "0.00" ? formatAmount(l.credit) : ""), csv: (l) => l.credit },
      { label: t("ledger.balance"), num: true, value: (l) => figure(l.balance), csv: (l) => figure(l.balance) },
    ];
    return { title: `${t("ledger.title")} · ${ledger.account_code} ${pick(ledger.name_zh, ledger.name_en)}`,
      sub: `${ctx.book.name} · ${ledger.period_start} – ${ledger.as_of}`, body: [
        h("p", {}, `${t("ledger.opening")}${t("common.colon")}${figure(ledger.opening)}`),
        dataTable({ caption: t("ledger.title"), columns, rows: ledger.lines }),
        h("p", {}, `${t("common.total")}${t("common.colon")}${t("common.debit")} ${formatAmount(ledger.period_debit)} · ${t("common.credit")} ${formatAmount(ledger.period_credit)} · ${t("ledger.closing")}${t("common.colon")}${figure(ledger.closing)}`)] };
  },
});
