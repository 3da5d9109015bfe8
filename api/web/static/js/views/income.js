// 收益及收益分配表: every line of the formulas of DOMAIN.md §2, for the year of the as-of date.
import { path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

export default reportView({
  id: "income", path: "/b/:book/income", roles: READERS, menu: "book", label: "nav.income", when: collective,
  api: (ctx) => path("collective", "organisations", ctx.book.book_code, "statements", "income"),
  params: [AS_OF],
  fileName: (ctx, statement) => `income-${ctx.book.book_code}-${statement.as_of}`,
  draw(ctx, statement) {
    const columns = [
      { label: t("income.item"), value: (r) => pick(r.name_zh, r.name_en) },
      { label: t("common.amount"), num: true, value: (r) => formatAmount(r.amount), csv: (r) => r.amount },
    ];
    const rows = statement.lines.map((line) => ({ ...line, rowClass: /^[一二三四五六]、/.test(line.name_zh) ? "subtotal" : null }));
    return { title: t("income.title"),
      sub: `${ctx.book.name} · ${t("income.period", { start: statement.period_start, end: statement.period_end })}`, body: [
        h("p", { class: `balance-status ${statement.reconciles_with_balance_sheet ? "ok" : "bad"}`, role: "status" },
          t(statement.reconciles_with_balance_sheet ? "income.reconciles" : "income.differs")),
        dataTable({ caption: `${t("income.title")} ${statement.year}`, columns, rows, className: "report narrow-report" }),
        h("p", { class: "in-words" }, t("income.net_words", { words: statement.net_income_uppercase })),
        h("p", { class: "in-words" }, t("income.closing_words", { words: statement.closing_undistributed_uppercase }))] };
  },
});
