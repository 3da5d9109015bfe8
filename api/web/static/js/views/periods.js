// 结账: months with their closed state; an accountant closes the next month (months close in order).
import { get, newKey, path, post } from "../api.js";
import { t } from "../i18n.js";
import { actionForm, dataTable, field, formatTime, h, heading, notice } from "../ui.js";
import { READERS } from "./roles.js";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function nextMonth(month) {
  const [year, m] = month.split("-").map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
}

export default {
  id: "periods", path: "/b/:book/periods", roles: READERS, menu: "book", label: "nav.periods",
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const { periods } = await get(path("books", code, "periods"));
    const closed = periods.filter((p) => p.closed).map((p) => p.month);
    const next = closed.length ? nextMonth(closed[closed.length - 1]) : book.starts_on.slice(0, 7);
    const columns = [
      { label: t("periods.month"), value: (p) => p.month },
      { label: t("periods.state"), value: (p) => (p.closed ? t("periods.closed") : t("periods.open")) },
      { label: t("periods.changed_by"), value: (p) => p.changed_by || "" },
      { label: t("periods.changed_at"), value: (p) => formatTime(p.changed_at) },
    ];
    const rows = [...periods].reverse().map((p) => ({ ...p, rowClass: p.closed ? "muted" : null }));
    return h("div", {},
      heading(t("periods.title"), `${book.name} · ${book.book_code}`),
      ctx.flash ? notice(ctx.flash) : null,
      ctx.me.role === "accountant" ? closeForm(ctx, next) : null,
      dataTable({ caption: t("periods.title"), columns, rows, csv: `periods-${code}` }));
  },
};

function closeForm(ctx, next) {
  const code = ctx.book.book_code;
  let key = newKey();
  const month = h("input", { type: "text", name: "month", value: next, inputmode: "numeric", pattern: "\\d{4}-\\d{2}",
    maxlength: "7", required: true });
  const reason = h("input", { type: "text", name: "reason", value: `结账 ${next}`, maxlength: "200", required: true });
  month.addEventListener("input", () => { reason.value = `结账 ${month.value}`; key = newKey(); });
  return actionForm({
    id: "close-title", className: "card", title: t("periods.close_title"), intro: t("periods.close_intro"),
    fields: { month: field(t("periods.close_month"), month), reason: field(t("periods.reason"), reason, { className: "grow" }) },
    submit: { label: t("periods.submit"), kind: "primary" },
    check: () => (MONTH.test(month.value.trim()) ? null
      : { slug: "invalid-request", status: 0, detail: "", errors: [{ loc: ["month"], type: "date_parsing" }] }),
    async send() {
      await post(path("books", code, "periods", month.value.trim(), "close"), { reason: reason.value.trim() || `结账 ${month.value}` }, key);
      await ctx.refreshBook();
      ctx.setFlash(t("periods.done", { month: month.value.trim() }));
      ctx.go(ctx.pathname);
    },
    locate: (loc) => (loc[0] === "reason" ? "reason" : "month"),
    place: (p) => (["period-closed", "period-close-out-of-order", "period-not-closed", "invalid-request"].includes(p.slug)
      ? [{ field: "month", message: t(`problem.${p.slug}`) }] : []),
  });
}
