// 住户物业费对账单: one household's bills (fee, subsidy, household share per billed month), receipts and balance as of a date.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { fenOf, formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS } from "./roles.js";
import { householdRoute } from "./households.js";

const LINE_KINDS = { bill: "hb.line_bill", receipt: "hb.line_receipt" };
const BILL_KINDS = { month: "hb.bill_month", adjustment: "hb.bill_adjustment" };
const named = (labels, kind) => (labels[kind] ? t(labels[kind]) : kind);

export default reportView({
  id: "household-bills", path: "/b/:book/households/:household/bills", roles: READERS, label: "nav.households",
  api: (ctx) => path("books", ctx.book.book_code, "households", ctx.params.household, "bills"),
  params: [AS_OF],
  fileName: (ctx, s) => `household-statement-${ctx.book.book_code}-${s.household_id}-${s.as_of}`,
  draw(ctx, s) {
    const code = ctx.book.book_code;
    const voucher = (number) => (number ? link(number, `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(number)}`) : "");
    const billColumns = [
      { label: t("hb.run"), nowrap: true, value: (r) => (r.__footer ? t("common.total") : r.run_month) },
      { label: t("hb.kind"), value: (r) => (r.__footer ? "" : named(BILL_KINDS, r.kind)), csv: (r) => r.kind || "" },
      { label: t("sched.month"), nowrap: true, value: (r) => r.month || "" },
      { label: t("hb.billed_on"), nowrap: true, value: (r) => r.billed_on || "" },
      { label: t("sched.fee"), num: true, value: (r) => formatAmount(r.fee), csv: (r) => r.fee },
      { label: t("sched.subsidy"), num: true, value: (r) => formatAmount(r.subsidy), csv: (r) => r.subsidy },
      { label: t("sched.share"), num: true, value: (r) => formatAmount(r.household_share), csv: (r) => r.household_share },
      { label: t("ts.voucher"), value: (r) => voucher(r.voucher_number), csv: (r) => r.voucher_number || "" },
    ];
    const sum = (key) => s.bills.reduce((total, bill) => total + fenOf(bill[key]), 0n);
    const billFooter = s.bills.length ? [{ __footer: true, fee: sum("fee"), subsidy: sum("subsidy"), household_share: sum("household_share") }] : [];
    const columns = [
      { label: t("common.date"), nowrap: true, value: (r) => r.date },
      { label: t("ts.kind"), value: (r) => named(LINE_KINDS, r.kind), csv: (r) => r.kind },
      { label: t("ts.reference"), value: (r) => r.reference },
      { label: t("ts.charge"), num: true, value: (r) => (r.charge !== "0.00" ? formatAmount(r.charge) : ""), csv: (r) => r.charge },
      { label: t("ts.credit"), num: true, value: (r) => (r.credit !== "0.00" ? formatAmount(r.credit) : ""), csv: (r) => r.credit },
      { label: t("ts.balance"), num: true, value: (r) => formatAmount(r.balance), csv: (r) => r.balance },
      { label: t("ts.voucher"), value: (r) => voucher(r.voucher_number), csv: (r) => r.voucher_number || "" },
    ];
    const owes = !s.balance.startsWith("-") && s.balance !== "0.00";
    const balance = s.balance === "0.00" ? t("ts.settled")
      : t(owes ? "ts.owes" : "ts.in_credit", { amount: formatAmount(s.balance.replace(/^-/, "")), words: s.balance_uppercase });
    return { title: `${t("hb.title")} · ${s.household_id}`, sub: `${ctx.book.name} · ${s.as_of}`, body: [
      h("p", { class: "in-words" }, t("hb.summary", { billed: formatAmount(s.billed), paid: formatAmount(s.paid) }), " ", balance),
      h("h2", {}, t("hb.bills")),
      dataTable({ caption: t("hb.bills"), columns: billColumns, rows: s.bills, footer: billFooter, className: "report" }),
      h("h2", {}, t("hb.lines")),
      dataTable({ caption: t("hb.lines"), columns, rows: s.lines }),
      h("p", {}, link(t("sched.title"), householdRoute(code, s.household_id)), " · ",
        link(t("nav.households"), `/b/${encodeURIComponent(code)}/households`))] };
  },
});
