// 欠租账龄: open rent invoices aged as of a date, per tenant and in total (DOMAIN.md §4 buckets).
import { get, path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, heading, link, paramsForm, todayCst, exportTools } from "../ui.js";
import { READERS, collective } from "./roles.js";

export default {
  id: "arrears", path: "/b/:book/arrears", roles: READERS, menu: "book", label: "nav.arrears", when: collective,
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const asOf = ctx.query.as_of || todayCst();
    const aging = await get(path("books", code, "arrears-aging"), { as_of: asOf });
    const buckets = ["not_due", "1-30", "31-90", "91-180", "over_180"];
    const columns = [
      { label: t("aging.tenant"), value: (r) => (r.__footer ? t("common.total")
        : link(`${r.name} (${r.tenant_code})`, `/b/${encodeURIComponent(code)}/tenants/${encodeURIComponent(r.tenant_code)}?as_of=${asOf}`)),
        csv: (r) => (r.__footer ? t("common.total") : `${r.name} (${r.tenant_code})`) },
      ...buckets.map((bucket) => ({ label: t(`aging.${bucket}`), num: true, value: (r) => formatAmount(r.buckets[bucket] || "0.00"),
        csv: (r) => r.buckets[bucket] || "0.00" })),
      { label: t("aging.total"), num: true, value: (r) => formatAmount(r.total), csv: (r) => r.total },
    ];
    const footer = [{ __footer: true, buckets: aging.totals, total: aging.total }];
    return h("div", {},
      heading(t("aging.title"), `${book.name} · ${aging.as_of}`),
      paramsForm(ctx, [{ name: "as_of", label: t("common.as_of"), value: asOf }]),
      exportTools(path("books", code, "arrears-aging"), { as_of: aging.as_of }, `arrears-aging-${code}-${aging.as_of}`),
      dataTable({ caption: `${t("aging.title")} ${aging.as_of}`, columns, rows: aging.tenants, footer, className: "report" }),
      h("p", { class: "in-words" }, t("aging.words", { words: aging.total_uppercase })));
  },
};
