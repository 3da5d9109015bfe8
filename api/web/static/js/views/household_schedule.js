// 物业服务费补贴明细表: one household month by month — fee, the ratios in force with their days, subsidy,
// household share and the policy version (DOMAIN.md §5 Schedule); billed months as billed, the others projected.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { reportView } from "./report.js";
import { READERS } from "./roles.js";
import { householdRoute } from "./households.js";

const FROM_MONTH = { name: "from", label: "sched.from", type: "month" };
const THROUGH_MONTH = { name: "through", label: "sched.through", type: "month" };

export default reportView({
  id: "household-schedule", path: "/b/:book/households/:household", roles: READERS, label: "nav.households",
  api: (ctx) => path("books", ctx.book.book_code, "households", ctx.params.household, "schedule"),
  params: [FROM_MONTH, THROUGH_MONTH],
  fileName: (ctx, s) => `subsidy-schedule-${ctx.book.book_code}-${s.household_id}`,
  draw(ctx, s) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("sched.month"), nowrap: true, value: (r) => (r.__footer ? t("common.total") : r.month) },
      { label: t("sched.days"), num: true, value: (r) => (r.__footer ? "" : `${r.occupied_days}/${r.days_in_month}`) },
      { label: t("sched.fee"), num: true, value: (r) => formatAmount(r.fee), csv: (r) => r.fee },
      { label: t("sched.ratios"), value: (r) => (r.__footer ? "" : r.ratios.map((q) => t("sched.ratio", { percent: q.percent, days: q.days })).join("；")),
        csv: (r) => (r.__footer ? "" : r.ratios.map((q) => `${q.percent}%×${q.days}`).join(" ")) },
      { label: t("sched.subsidy"), num: true, value: (r) => formatAmount(r.subsidy), csv: (r) => r.subsidy },
      { label: t("sched.share"), num: true, value: (r) => formatAmount(r.household_share), csv: (r) => r.household_share },
      { label: t("sched.policy"), value: (r) => (r.__footer ? "" : r.policy_versions.join(", ")) },
      { label: t("sched.billed"), value: (r) => (r.__footer ? "" : r.billed ? t("sched.billed_in", { run: r.run_month }) : t("sched.projected")),
        csv: (r) => (r.__footer ? "" : r.billed ? r.run_month : "") },
      { label: t("sched.adjustments"), value: (r) => (r.__footer ? "" : r.later_adjustments.map((a) =>
        t("sched.adjustment", { run: a.run_month, fee: formatAmount(a.fee), subsidy: formatAmount(a.subsidy) })).join("；")) },
    ];
    const rows = s.lines.map((r) => ({ ...r, rowClass: r.billed ? null : "muted" }));
    const footer = [{ __footer: true, fee: s.total_fee, subsidy: s.total_subsidy, household_share: s.total_household_share }];
    return { title: `${t("sched.title")} · ${s.household_id}`,
      sub: `${ctx.book.name} · ${t("hh.unit")} ${s.unit_number} · ${s.floor_area_m2} m² · ${t("hh.moved_in")} ${s.moved_in_on}`, body: [
        h("p", {}, t("sched.intro")),
        dataTable({ caption: `${t("sched.title")} ${s.household_id}`, columns, rows, footer, className: "report" }),
        h("p", {}, link(t("hh.statement"), householdRoute(code, s.household_id, "/bills")), " · ",
          link(t("nav.households"), `/b/${encodeURIComponent(code)}/households`))] };
  },
});
