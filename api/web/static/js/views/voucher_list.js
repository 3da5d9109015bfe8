// 凭证列表: the book's vouchers of a month in number order, with their reversal state.
import { get, path } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, field, formatTime, h, heading, link, notice, pager, todayCst, exportTools } from "../ui.js";
import { READERS } from "./roles.js";

export default {
  id: "vouchers", path: "/b/:book/vouchers", roles: READERS, menu: "book", label: "nav.vouchers",
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const { periods } = await get(path("books", code, "periods"));
    const months = [...new Set([todayCst().slice(0, 7), ...periods.map((p) => p.month)])].sort().reverse();
    const latest = periods.length ? periods[periods.length - 1].month : todayCst().slice(0, 7);
    const month = ctx.query.month || latest;
    const page = await get(path("books", code, "vouchers"), { month, cursor: ctx.query.cursor, limit: 100 });
    const base = `/b/${encodeURIComponent(code)}/vouchers`;
    const select = h("select", { name: "month" }, months.map((m) => h("option", { value: m, selected: m === month }, m)));
    select.addEventListener("change", () => ctx.go(ctx.pathname, { month: select.value }));
    const columns = [
      { label: t("vouchers.number"), nowrap: true, value: (v) => link(v.number, `${base}/${encodeURIComponent(v.number)}`), csv: (v) => v.number },
      { label: t("common.date"), nowrap: true, value: (v) => v.voucher_date },
      { label: t("vouchers.summary"), value: (v) => v.summary },
      { label: t("common.amount"), num: true, value: (v) => formatAmount(v.total), csv: (v) => v.total },
      { label: t("vouchers.state"), value: (v) => (v.reverses ? t("vouchers.reverses", { number: v.reverses })
        : v.reversed_by ? t("vouchers.reversed_by", { number: v.reversed_by }) : t("vouchers.normal")) },
      { label: t("vouchers.recorded_by"), value: (v) => v.recorded_by },
      { label: t("vouchers.recorded_at"), nowrap: true, value: (v) => formatTime(v.recorded_at) },
    ];
    const rows = page.vouchers.map((v) => ({ ...v, rowClass: v.reverses ? "red" : v.reversed_by ? "reversed" : null }));
    return h("div", {},
      heading(t("vouchers.title"), `${book.name} · ${book.book_code}`),
      ctx.flash ? notice(ctx.flash) : null,
      h("div", { class: "params" }, field(t("vouchers.month"), select),
        ctx.allowed("voucher-new") ? h("div", { class: "field actions" }, link(t("vouchers.new"), `/b/${encodeURIComponent(code)}/voucher/new`, { class: "button" })) : null),
      exportTools(path("books", code, "vouchers"), { month, cursor: ctx.query.cursor, limit: 100 }, `vouchers-${code}-${month}`),
      dataTable({ caption: `${t("vouchers.title")} ${month}`, columns, rows }),
      pager(ctx, { month }, page.next_cursor));
  },
};
