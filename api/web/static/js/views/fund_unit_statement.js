// 住宅专项维修资金分户账: one unit's year (Arts. 30–31) — opening, deposits by source, value-added income, uses by
// works, refunds, closing — with its owners over time and its replenishment figures.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, YEAR, reportView } from "./report.js";
import { READERS } from "./roles.js";
import { fundRoute, named } from "./funds.js";
import { OWNER_KINDS, UNIT_KINDS, ownerText } from "./fund_units.js";
import { figuresTable } from "./fund_figures.js";

export default reportView({
  id: "fund-unit-statement", path: "/b/:book/fund-units/:unit", roles: READERS, label: "nav.fund_units",
  api: (ctx) => path("maintenance-funds", ctx.book.book_code, "units", ctx.params.unit, "statement"),
  params: [YEAR, AS_OF],
  fileName: (ctx, s) => `unit-statement-${ctx.book.book_code}-${s.unit.unit_id}-${s.year}`,
  draw(ctx, s) {
    const u = s.unit;
    const ownerColumns = [
      { label: t("common.date"), nowrap: true, value: (r) => r.on_date },
      { label: t("mf.owner"), value: (r) => r.name || r.owner_id },
      { label: t("mf.owner_kind"), value: (r) => named(OWNER_KINDS, r.kind), csv: (r) => r.kind },
      { label: t("ts.reference"), value: (r) => r.reference || "" },
    ];
    return { title: `${t("mf.unit_title")} · ${u.unit_id}`,
      sub: `${ctx.book.name} · ${s.year} · ${s.period_start} – ${s.period_end}`, body: [
        h("dl", { class: "facts" },
          h("dt", {}, t("mf.kind")), h("dd", {}, named(UNIT_KINDS, u.kind)),
          h("dt", {}, t("mf.building")), h("dd", {}, [u.building, u.stairwell, u.room].filter(Boolean).join(" / ") || t("common.none")),
          h("dt", {}, t("hh.area")), h("dd", {}, `${u.floor_area_m2} m²`),
          h("dt", {}, t("mf.owner")), h("dd", {}, ownerText(u.owner)),
          h("dt", {}, t("mf.first_deposit")), h("dd", {}, u.first_deposit ? formatAmount(u.first_deposit) : t("common.none")),
          h("dt", {}, t("mf.line")), h("dd", {}, u.replenishment_line ? formatAmount(u.replenishment_line) : t("common.none")),
          h("dt", {}, t("mf.replenish")), h("dd", {}, u.needs_replenishment ? formatAmount(u.amount_to_restore) : t("common.no")),
          u.closed_on ? [h("dt", {}, t("mf.closed_on")), h("dd", {}, u.closed_on)] : null),
        figuresTable(`${t("mf.unit_title")} ${u.unit_id} ${s.year}`, s.figures),
        h("h2", {}, t("mf.owners")),
        dataTable({ caption: t("mf.owners"), columns: ownerColumns, rows: s.owners }),
        h("p", {}, link(t("mf.units_title"), fundRoute(ctx.book.book_code)), " · ",
          link(t("mf.statement_title"), `/b/${encodeURIComponent(ctx.book.book_code)}/fund-statement?year=${s.year}`))] };
  },
});
