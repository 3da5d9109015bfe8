// 分户账户: a maintenance fund's units with owner, first deposit, balance, receivable and the replenishment flag
// (below 30 % of the first deposit, Art. 17) as of a date; each unit opens its 分户账.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, fund } from "./roles.js";
import { fundRoute, named } from "./funds.js";

export const UNIT_KINDS = { flat: "mf.kind_flat", shop_front: "mf.kind_shop_front" };
export const OWNER_KINDS = { owner: "mf.owner_owner", developer: "mf.owner_developer", collective: "mf.owner_collective" };
export const ownerText = (o) => [o.name || o.owner_id || "", `（${named(OWNER_KINDS, o.kind)}）`].join("");

export default reportView({
  id: "fund-units", path: "/b/:book/fund-units", roles: READERS, menu: "book", label: "nav.fund_units", when: fund,
  api: (ctx) => path("maintenance-funds", ctx.book.book_code, "units"),
  params: [AS_OF],
  pageSize: 200,
  fileName: (ctx, u) => `fund-units-${ctx.book.book_code}-${u.as_of}`,
  draw(ctx, page, { as_of: asOf }) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("mf.unit"), nowrap: true, value: (r) => link(r.unit_id, fundRoute(code, `/${encodeURIComponent(r.unit_id)}?as_of=${page.as_of || asOf}`)),
        csv: (r) => r.unit_id },
      { label: t("mf.kind"), value: (r) => named(UNIT_KINDS, r.kind), csv: (r) => r.kind },
      { label: t("mf.building"), value: (r) => [r.building, r.stairwell, r.room].filter(Boolean).join(" / ") },
      { label: t("hh.area"), num: true, value: (r) => r.floor_area_m2 },
      { label: t("mf.owner"), value: (r) => ownerText(r.owner), csv: (r) => `${r.owner.owner_id} ${r.owner.kind} ${r.owner.name}`.trim() },
      { label: t("mf.first_deposit"), num: true, value: (r) => (r.first_deposit ? formatAmount(r.first_deposit) : ""), csv: (r) => r.first_deposit || "" },
      { label: t("mf.balance"), num: true, value: (r) => formatAmount(r.balance), csv: (r) => r.balance },
      { label: t("mf.receivable"), num: true, value: (r) => (r.receivable !== "0.00" ? formatAmount(r.receivable) : ""), csv: (r) => r.receivable },
      { label: t("mf.replenish"), num: true, value: (r) => (r.needs_replenishment ? formatAmount(r.amount_to_restore) : ""),
        csv: (r) => (r.needs_replenishment ? r.amount_to_restore : "") },
      { label: t("mf.closed_on"), nowrap: true, value: (r) => r.closed_on || "" },
    ];
    const rows = page.units.map((r) => ({ ...r, rowClass: r.closed_on ? "muted" : null }));
    return { title: t("mf.units_title"), sub: `${ctx.book.name} · ${code} · ${page.as_of}`,
      body: [dataTable({ caption: `${t("mf.units_title")} ${page.as_of}`, columns, rows })] };
  },
});
