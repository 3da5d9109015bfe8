// 承租人对账单: a tenant's invoices, receipts and balance as of a date, with its open invoices aged.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS } from "./roles.js";

const kind = (k) => { const label = t(`line.${k}`); return label === `line.${k}` ? k : label; };

export default reportView({
  id: "tenant-statement", path: "/b/:book/tenants/:tenant", roles: READERS, label: "nav.tenants",
  api: (ctx) => path("books", ctx.book.book_code, "tenants", ctx.params.tenant, "statement"),
  params: [AS_OF],
  fileName: (ctx, s) => `tenant-statement-${ctx.book.book_code}-${s.tenant_code}-${s.as_of}`,
  draw(ctx, s) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("common.date"), nowrap: true, value: (r) => r.date },
      { label: t("ts.kind"), value: (r) => kind(r.kind) },
      { label: t("ts.reference"), value: (r) => r.reference },
      { label: t("ts.charge"), num: true, value: (r) => (r.charge !== "0.00" ? formatAmount(r.charge) : ""), csv: (r) => r.charge },
      { label: t("ts.credit"), num: true, value: (r) => (r.credit !== "0.00" ? formatAmount(r.credit) : ""), csv: (r) => r.credit },
      { label: t("ts.balance"), num: true, value: (r) => formatAmount(r.balance), csv: (r) => r.balance },
      { label: t("ts.voucher"), value: (r) => (r.voucher_number ? link(r.voucher_number,
        `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(r.voucher_number)}`) : ""), csv: (r) => r.voucher_number || "" },
    ];
    const openColumns = [
      { label: t("ts.invoice"), value: (r) => r.invoice_number },
      { label: t("ts.due_on"), value: (r) => r.due_on },
      { label: t("ts.amount_open"), num: true, value: (r) => formatAmount(r.amount_open), csv: (r) => r.amount_open },
      { label: t("ts.days"), num: true, value: (r) => String(r.days_overdue) },
      { label: t("ts.bucket"), value: (r) => t(`aging.${r.bucket}`) },
    ];
    const balance = s.balance_kind === "owes" ? t("ts.owes", { amount: formatAmount(s.balance), words: s.balance_uppercase })
      : s.balance_kind === "credit" ? t("ts.in_credit", { amount: formatAmount(s.balance), words: s.balance_uppercase })
        : t("ts.settled");
    return { title: `${t("ts.title")} · ${s.name}`, sub: `${ctx.book.name} · ${s.tenant_code} · ${s.as_of}`, body: [
      h("p", { class: "in-words" }, balance),
      dataTable({ caption: t("ts.title"), columns, rows: s.lines }),
      h("h2", {}, t("ts.open")),
      dataTable({ caption: t("ts.open"), columns: openColumns, rows: s.open_invoices, csv: `open-invoices-${code}-${s.tenant_code}-${s.as_of}` }),
      h("p", {}, link(t("nav.tenants"), `/b/${encodeURIComponent(code)}/tenants`))] };
  },
});
