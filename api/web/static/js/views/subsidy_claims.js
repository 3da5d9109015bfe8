// 补贴申领登记簿 (a community's book): each month's or quarter's claim to the township — status, households,
// claimed, approved, received and outstanding — and, opened, one claim's households and its history.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { reportView } from "./report.js";
import { READERS, collective } from "./roles.js";
import { householdRoute } from "./households.js";

const STATUS = { submitted: "status.submitted", approved: "status.approved", returned: "status.returned" };
const status = (c) => [STATUS[c.status] ? t(STATUS[c.status]) : c.status, c.returned_reason ? `${t("common.colon")}${c.returned_reason}` : ""].join("");
const months = (c) => (c.months.length > 1 ? `${c.months[0]} – ${c.months[c.months.length - 1]}` : c.months[0] || "");
const claimRoute = (book, claim) => `/b/${encodeURIComponent(book)}/subsidy-claims/${encodeURIComponent(claim)}`;

const register = reportView({
  id: "subsidy-claims", path: "/b/:book/subsidy-claims", roles: READERS, menu: "book", label: "nav.subsidy_claims", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "subsidy-claims"),
  fileName: (ctx) => `subsidy-claims-${ctx.book.book_code}`,
  draw(ctx, r) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("claims.code"), nowrap: true, value: (c) => (c.__footer ? t("common.total") : link(c.claim_code, claimRoute(code, c.claim_code))),
        csv: (c) => (c.__footer ? t("common.total") : c.claim_code) },
      { label: t("claims.months"), nowrap: true, value: (c) => (c.__footer ? "" : months(c)), csv: (c) => (c.__footer ? "" : c.months.join(" ")) },
      { label: t("claims.status"), value: (c) => (c.__footer ? "" : status(c)) },
      { label: t("claims.households"), num: true, value: (c) => (c.__footer ? "" : String(c.households)) },
      { label: t("claims.amount"), num: true, value: (c) => formatAmount(c.amount), csv: (c) => c.amount },
      { label: t("claims.approved"), num: true, value: (c) => formatAmount(c.approved), csv: (c) => c.approved },
      { label: t("claims.received"), num: true, value: (c) => formatAmount(c.received), csv: (c) => c.received },
      { label: t("claims.outstanding"), num: true, value: (c) => formatAmount(c.outstanding), csv: (c) => c.outstanding },
      { label: t("claims.submitted_on"), nowrap: true, value: (c) => c.submitted_on || "" },
      { label: t("sc.approved_on"), nowrap: true, value: (c) => c.approved_on || "" },
    ];
    const footer = [{ __footer: true, amount: r.claimed, approved: r.approved, received: r.received, outstanding: r.outstanding }];
    return { title: t("sc.title"), sub: `${ctx.book.name} · ${code} · ${ctx.book.township_id}`, body: [
      h("p", {}, t("claims.totals", { claimed: formatAmount(r.claimed), approved: formatAmount(r.approved),
        received: formatAmount(r.received), outstanding: formatAmount(r.outstanding) })),
      dataTable({ caption: t("sc.title"), columns, rows: r.claims, footer, className: "report" })] };
  },
});

const ACTIONS = { submitted: "sc.action_submitted", approved: "sc.action_approved", returned: "sc.action_returned",
  resubmitted: "sc.action_resubmitted", received: "sc.action_received" };

const claim = reportView({
  id: "subsidy-claim", path: "/b/:book/subsidy-claims/:claim", roles: READERS, label: "nav.subsidy_claims",
  api: (ctx) => path("books", ctx.book.book_code, "subsidy-claims", ctx.params.claim),
  pageSize: 200,
  fileName: (ctx, c) => `subsidy-claim-${ctx.book.book_code}-${c.claim_code}`,
  draw(ctx, c) {
    const code = ctx.book.book_code;
    const lineColumns = [
      { label: t("hh.household"), nowrap: true, value: (r) => link(r.household_id, householdRoute(code, r.household_id)), csv: (r) => r.household_id },
      { label: t("sc.subsidy"), num: true, value: (r) => formatAmount(r.amount), csv: (r) => r.amount },
    ];
    const historyColumns = [
      { label: t("common.date"), nowrap: true, value: (r) => r.date },
      { label: t("sc.action"), value: (r) => (ACTIONS[r.action] ? t(ACTIONS[r.action]) : r.action), csv: (r) => r.action },
      { label: t("sc.actor"), value: (r) => r.actor },
      { label: t("sc.note"), value: (r) => r.note },
    ];
    return { title: `${t("sc.claim")} ${c.claim_code}`, sub: `${ctx.book.name} · ${months(c)} · ${status(c)}`, body: [
      h("dl", { class: "facts" },
        h("dt", {}, t("claims.households")), h("dd", {}, String(c.households)),
        h("dt", {}, t("claims.amount")), h("dd", {}, `${formatAmount(c.amount)}（${c.amount_uppercase}）`),
        h("dt", {}, t("claims.approved")), h("dd", {}, formatAmount(c.approved)),
        h("dt", {}, t("claims.received")), h("dd", {}, formatAmount(c.received)),
        h("dt", {}, t("claims.outstanding")), h("dd", {}, formatAmount(c.outstanding))),
      h("h2", {}, t("sc.history")),
      dataTable({ caption: t("sc.history"), columns: historyColumns, rows: c.history }),
      h("h2", {}, t("sc.lines")),
      dataTable({ caption: t("sc.lines"), columns: lineColumns, rows: c.lines }),
      h("p", {}, link(t("sc.title"), `/b/${encodeURIComponent(code)}/subsidy-claims`))] };
  },
});

export default [register, claim];
