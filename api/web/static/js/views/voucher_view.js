// A voucher as printed (记账凭证), with its uppercase total and who recorded it when and why;
// an accountant may cancel it by a red voucher (红字冲销) with the reason.
import { get, newKey, path, post } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { chartIndex, accountName } from "../account_search.js";
import { actionForm, field, formatTime, h, heading, link, notice, todayCst, exportTools } from "../ui.js";
import { READERS } from "./roles.js";

const reversalKeys = new Map(); // one Idempotency-Key per reversal form, kept until it succeeds

export default {
  id: "voucher", path: "/b/:book/vouchers/:number", roles: READERS, label: "nav.vouchers",
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const v = await get(path("books", code, "vouchers", ctx.params.number));
    const index = chartIndex(book);
    const red = v.kind === "red";
    const lines = v.lines.map((line) => h("tr", {},
      h("td", {}, line.memo || v.summary),
      h("td", {}, `${line.account_code} ${accountName(index, line.account_code)}`),
      h("td", {}, line.subledger),
      h("td", { class: "num" }, line.debit !== "0.00" ? formatAmount(line.debit) : ""),
      h("td", { class: "num" }, line.credit !== "0.00" ? formatAmount(line.credit) : "")));
    const sheet = h("article", { class: `voucher-print ${red ? "red" : ""}`, "aria-labelledby": "print-title" },
      h("header", {},
        h("h2", { id: "print-title" }, t(red ? "print.red_title" : "print.title")),
        h("dl", { class: "print-facts" },
          h("dt", {}, t("print.book")), h("dd", {}, book.name),
          h("dt", {}, t("print.date")), h("dd", {}, v.voucher_date),
          h("dt", {}, t("print.number")), h("dd", { class: "voucher-number" }, v.number),
          h("dt", { class: "visually-hidden" }, t("voucher.attachments")), h("dd", {}, t("print.attachments", { n: v.attachments })))),
      h("table", {},
        h("thead", {}, h("tr", {}, ["print.summary", "print.account", "print.subledger", "print.debit", "print.credit"]
          .map((key, i) => h("th", { scope: "col", class: i > 2 ? "num" : null }, t(key))))),
        h("tbody", {}, lines),
        h("tfoot", {}, h("tr", {},
          h("th", { scope: "row" }, t("print.total")),
          h("td", { colspan: "2", class: "in-words" }, `${t("common.uppercase")}${t("common.colon")}${v.total_uppercase}`),
          h("td", { class: "num" }, formatAmount(v.total)), h("td", { class: "num" }, formatAmount(v.total))))),
      h("footer", {},
        h("p", {}, `${t("print.recorded_by")}${t("common.colon")}${v.recorded_by} · ${formatTime(v.recorded_at)}${t("common.paren_open")}${t("common.cst")}${t("common.paren_close")}`),
        v.reason ? h("p", {}, `${t("print.reason")}${t("common.colon")}${v.reason}`) : null,
        v.reverses ? h("p", { class: "red-note" }, t("print.reverses", { number: v.reverses }), " ",
          link(v.reverses, `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(v.reverses)}`)) : null,
        v.reversed_by ? h("p", { class: "red-note" }, t("print.reversed_by", { number: v.reversed_by }), " ",
          link(v.reversed_by, `/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(v.reversed_by)}`)) : null));
    const canReverse = ctx.me.role === "accountant" && !red && !v.reversed_by;
    return h("div", {},
      heading(`${t("print.title")} ${v.number}`, `${book.name} · ${book.book_code}`),
      ctx.flash ? notice(ctx.flash) : null,
      h("div", { class: "actions no-print" },
        h("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("common.print")),
        link(t("print.back"), `/b/${encodeURIComponent(code)}/vouchers?month=${v.voucher_date.slice(0, 7)}`)),
      exportTools(path("books", code, "vouchers", ctx.params.number), {}, `voucher-${code}-${v.number}`),
      sheet,
      canReverse ? reversalForm(ctx, v) : null);
  },
};

function reversalForm(ctx, v) {
  const code = ctx.book.book_code;
  const keyName = `${code}/${v.number}`;
  if (!reversalKeys.has(keyName)) reversalKeys.set(keyName, newKey());
  const date = h("input", { type: "date", name: "red_date", value: todayCst(), required: true });
  const reason = h("input", { type: "text", name: "reason", required: true, maxlength: "200" });
  return actionForm({
    id: "reversal-title", className: "card no-print reversal", title: t("reversal.title"), intro: t("reversal.intro"),
    fields: { red_date: field(t("reversal.red_date"), date), reason: field(t("reversal.reason"), reason, { className: "grow" }) },
    submit: { label: t("reversal.submit"), busyLabel: t("reversal.submitting"), kind: "danger" },
    async send() {
      const result = await post(path("books", code, "vouchers", v.number, "reversal"),
        { red_date: date.value, reason: reason.value.trim() }, reversalKeys.get(keyName));
      reversalKeys.delete(keyName);
      ctx.setFlash(t("reversal.done", { number: result.red.number }));
      ctx.go(`/b/${encodeURIComponent(code)}/vouchers/${encodeURIComponent(result.red.number)}`);
    },
    locate: (loc) => (loc[0] === "red_date" ? "red_date" : loc[0] === "reason" ? "reason" : null),
    place: (p) => (["period-closed", "voucher-before-book-start", "voucher-date-out-of-range", "correction-date-before-original"]
      .includes(p.slug) ? [{ field: "red_date", message: t(`problem.${p.slug}`) }] : []),
  });
}
