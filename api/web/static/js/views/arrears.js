// 欠租账龄: open rent invoices aged as of a date, per tenant and in total (DOMAIN.md §4 buckets).
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

const BUCKETS = ["not_due", "1-30", "31-90", "91-180", "over_180"];

export default reportView({
  id: "arrears", path: "/b/:book/arrears", roles: READERS, menu: "book", label: "nav.arrears", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "arrears-aging"),
  params: [AS_OF],
  fileName: (ctx, aging) => `arrears-aging-${ctx.book.book_code}-${aging.as_of}`,
  draw(ctx, aging, { as_of: asOf }) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("aging.tenant"), value: (r) => (r.__footer ? t("common.total")
        : link(`${r.name} (${r.tenant_code})`, `/b/${encodeURIComponent(code)}/tenants/${encodeURIComponent(r.tenant_code)}?as_of=${asOf}`)),
        csv: (r) => (r.__footer ? t("common.total") : `${r.name} (${r.tenant_code})`) },
      ...BUCKETS.map((bucket) => ({ label: t(`aging.${bucket}`), num: true, value: (r) => formatAmount(r.buckets[bucket] || "0.00"),
        csv: (r) => r.buckets[bucket] || "0.00" })),
      { label: t("aging.total"), num: true, value: (r) => formatAmount(r.total), csv: (r) => r.total },
    ];
    const footer = [{ __footer: true, buckets: aging.totals, total: aging.total }];
    return { title: t("aging.title"), sub: `${ctx.book.name} · ${aging.as_of}`, body: [
      dataTable({ caption: `${t("aging.title")} ${aging.as_of}`, columns, rows: aging.tenants, footer, className: "report" }),
      h("p", { class: "in-words" }, t("aging.words", { words: aging.total_uppercase }))] };
  },
});
