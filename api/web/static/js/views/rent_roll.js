// 租金清册: each shop-front with its lease, tenant and monthly rent in force on a date, or vacant.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

export default reportView({
  id: "rent-roll", path: "/b/:book/rent-roll", roles: READERS, menu: "book", label: "nav.rent_roll", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "rent-roll"),
  params: [AS_OF],
  pageSize: 200,
  fileName: (ctx, roll) => `rent-roll-${ctx.book.book_code}-${roll.as_of}`,
  draw(ctx, roll) {
    const tenantRoute = (tenant) => `/b/${encodeURIComponent(ctx.book.book_code)}/tenants/${encodeURIComponent(tenant)}`;
    const columns = [
      { label: t("rr.unit"), value: (r) => r.unit_number },
      { label: t("rr.location"), value: (r) => r.location },
      { label: t("rr.area"), num: true, value: (r) => r.floor_area_m2 },
      { label: t("rr.tenant"), value: (r) => (r.vacant ? t("rr.vacant") : link(`${r.tenant_name} (${r.tenant_code})`, tenantRoute(r.tenant_code))),
        csv: (r) => (r.vacant ? t("rr.vacant") : `${r.tenant_name} (${r.tenant_code})`) },
      { label: t("rr.lease"), value: (r) => r.lease_code || "" },
      { label: t("rr.term"), value: (r) => (r.start_on ? `${r.start_on} – ${r.end_on}` : "") },
      { label: t("rr.frequency"), value: (r) => (r.billing_frequency ? t(`freq.${r.billing_frequency}`) : "") },
      { label: t("rr.rent"), num: true, value: (r) => (r.monthly_rent ? formatAmount(r.monthly_rent) : ""), csv: (r) => r.monthly_rent || "" },
    ];
    const rows = roll.shop_fronts.map((r) => ({ ...r, rowClass: r.vacant ? "muted" : null }));
    return { title: t("rr.title"), sub: `${ctx.book.name} · ${roll.as_of}`, body: [
      h("p", {}, t("rr.summary", { leased: roll.leased, vacant: roll.vacant, total: formatAmount(roll.monthly_rent_total),
        words: roll.monthly_rent_total_uppercase })),
      dataTable({ caption: `${t("rr.title")} ${roll.as_of}`, columns, rows })] };
  },
});
