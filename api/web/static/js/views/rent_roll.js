// 租金清册: each shop-front with its lease, tenant and monthly rent in force on a date, or vacant.
import { get, path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, heading, link, paramsForm, todayCst, exportTools } from "../ui.js";
import { READERS, collective } from "./roles.js";

export default {
  id: "rent-roll", path: "/b/:book/rent-roll", roles: READERS, menu: "book", label: "nav.rent_roll", when: collective,
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const asOf = ctx.query.as_of || todayCst();
    const roll = await get(path("books", code, "rent-roll"), { as_of: asOf, cursor: ctx.query.cursor, limit: 200 });
    const tenantRoute = (tenant) => `/b/${encodeURIComponent(code)}/tenants/${encodeURIComponent(tenant)}`;
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
    const base = `/b/${encodeURIComponent(code)}/rent-roll`;
    return h("div", {},
      heading(t("rr.title"), `${book.name} · ${roll.as_of}`),
      paramsForm(ctx, [{ name: "as_of", label: t("common.as_of"), value: asOf }]),
      exportTools(path("books", code, "rent-roll"), { as_of: roll.as_of, cursor: ctx.query.cursor, limit: 200 }, `rent-roll-${code}-${roll.as_of}`),
      h("p", {}, t("rr.summary", { leased: roll.leased, vacant: roll.vacant, total: formatAmount(roll.monthly_rent_total),
        words: roll.monthly_rent_total_uppercase })),
      dataTable({ caption: `${t("rr.title")} ${roll.as_of}`, columns, rows }),
      h("div", { class: "pager" },
        ctx.query.cursor ? link(t("common.first_page"), `${base}?as_of=${asOf}`) : null,
        roll.next_cursor ? link(t("common.next_page"), `${base}?as_of=${asOf}&cursor=${encodeURIComponent(roll.next_cursor)}`) : null));
  },
};
