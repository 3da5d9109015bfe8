// 住户登记簿 (物业服务费补贴): the book's households, each linked to its subsidy schedule and its statement.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, link } from "../ui.js";
import { reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

/** The page of one household: its schedule (补贴明细表) or, with "/bills", its statement. */
export const householdRoute = (book, household, tail = "") =>
  `/b/${encodeURIComponent(book)}/households/${encodeURIComponent(household)}${tail}`;

export const BUILDING_TYPES = { low_rise: "hh.low_rise", mid_rise: "hh.mid_rise", high_rise: "hh.high_rise" };

export default reportView({
  id: "households", path: "/b/:book/households", roles: READERS, menu: "book", label: "nav.households", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "households"),
  pageSize: 200,
  fileName: (ctx) => `households-${ctx.book.book_code}`,
  draw(ctx, page) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("hh.household"), nowrap: true, value: (r) => link(r.household_id, householdRoute(code, r.household_id)), csv: (r) => r.household_id },
      { label: t("hh.building"), value: (r) => r.building_code },
      { label: t("hh.building_type"), value: (r) => (BUILDING_TYPES[r.building_type] ? t(BUILDING_TYPES[r.building_type]) : r.building_type),
        csv: (r) => r.building_type },
      { label: t("hh.unit"), nowrap: true, value: (r) => r.unit_number },
      { label: t("hh.area"), num: true, value: (r) => r.floor_area_m2 },
      { label: t("hh.moved_in"), nowrap: true, value: (r) => r.moved_in_on },
      { label: t("hh.moved_out"), nowrap: true, value: (r) => r.moved_out_on || "" },
      { label: t("hh.billed_through"), nowrap: true, value: (r) => r.billed_through || t("hh.not_billed"), csv: (r) => r.billed_through || "" },
      { label: t("hh.balance"), num: true, value: (r) => formatAmount(r.balance), csv: (r) => r.balance },
      { label: t("hh.statement"), value: (r) => link(t("hh.statement"), householdRoute(code, r.household_id, "/bills")), csv: () => "" },
    ];
    return { title: t("hh.title"), sub: `${ctx.book.name} · ${code}`,
      body: [dataTable({ caption: t("hh.title"), columns, rows: page.households })] };
  },
});
