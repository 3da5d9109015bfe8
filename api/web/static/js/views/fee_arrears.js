// 物业服务费欠费明细: households owing their share as of a date, with the oldest open run and the days since it
// was billed. Recorded and reminded only (民法典 Art. 944), never a reason to refuse a claim.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h, link } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, collective } from "./roles.js";
import { householdRoute } from "./households.js";

const LIMIT = 1000; // the API's largest page: the read has no cursor, so the page asks for all it may

export default reportView({
  id: "fee-arrears", path: "/b/:book/fee-arrears", roles: READERS, menu: "book", label: "nav.fee_arrears", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "property-fee-arrears"),
  params: [AS_OF],
  fixed: { limit: LIMIT },
  fileName: (ctx, a) => `property-fee-arrears-${ctx.book.book_code}-${a.as_of}`,
  draw(ctx, a) {
    const code = ctx.book.book_code;
    const columns = [
      { label: t("hh.household"), nowrap: true, value: (r) => (r.__footer ? t("common.total")
        : link(r.household_id, householdRoute(code, r.household_id, `/bills?as_of=${a.as_of}`))),
        csv: (r) => (r.__footer ? t("common.total") : r.household_id) },
      { label: t("hh.unit"), nowrap: true, value: (r) => r.unit_number || "" },
      { label: t("fa.oldest"), nowrap: true, value: (r) => r.oldest_open_run || "" },
      { label: t("fa.days"), num: true, value: (r) => (r.__footer ? "" : String(r.days_overdue)) },
      { label: t("fa.owed"), num: true, value: (r) => formatAmount(r.owed), csv: (r) => r.owed },
      { label: t("fa.last_reminded"), nowrap: true, value: (r) => r.last_reminded_on || "" },
      { label: t("fa.reminders"), num: true, value: (r) => (r.__footer ? "" : String(r.reminders)) },
    ];
    const footer = [{ __footer: true, owed: a.total }];
    return { title: t("fa.title"), sub: `${ctx.book.name} · ${a.as_of}`, body: [
      h("p", { class: "notice info" }, t("fa.note")),
      h("p", {}, t("fa.summary", { count: a.households.length, total: formatAmount(a.total) })),
      a.households.length >= LIMIT ? h("p", { class: "notice bad" }, t("fa.truncated", { limit: LIMIT })) : null,
      dataTable({ caption: `${t("fa.title")} ${a.as_of}`, columns, rows: a.households, footer, className: "report" })] };
  },
});
