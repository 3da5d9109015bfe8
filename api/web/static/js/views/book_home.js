// A book's start page: what it is, how far it is closed, and what one can do with it.
import { t, addLabels } from "../i18n.js";
import { h, heading, link, notice } from "../ui.js";
import { VIEWS } from "./index.js";
import { READERS } from "./roles.js";

addLabels({
  "home.voucher_new": ["录入记账凭证，实时检查借贷平衡并显示大写金额", "Record a voucher with a live balance check and the total in words"],
  "home.vouchers": ["查看、打印凭证，红字冲销", "See and print vouchers; reverse one in red"],
  "home.periods": ["按月结账", "Close months in order"],
  "home.trial_balance": ["期初、本期发生、期末余额", "Opening, period and closing balances"],
  "home.balance_sheet": ["资产、负债与所有者权益", "Assets, liabilities and equity"],
  "home.income": ["收益及收益分配表", "Income and distribution statement"],
  "home.rent_roll": ["门面与租约", "Shop-fronts and leases"],
  "home.arrears": ["欠租按账龄分析", "Rent arrears by age"],
  "home.tenants": ["承租人及其对账单", "Tenants and their statements"],
  "home.imports": ["批量导入成员、住户、门面、承租人、维修资金分户或期初余额（XLSX / CSV），下载模板", "Import members, households, shop-fronts, tenants, fund units or opening balances (XLSX / CSV); templates"],
  "home.opening_balances": ["建账时录入期初余额，首月结账后锁定", "Enter the opening balances when the book starts; locked after the first close"],
});

export default {
  id: "book-home", path: "/b/:book", roles: READERS, label: "nav.books",
  async render(ctx) {
    const book = ctx.book;
    const closed = book.closed_months.length ? book.closed_months[book.closed_months.length - 1] : null;
    const cards = VIEWS.filter((view) => view.menu === "book" && ctx.allowed(view.id)).map((view) =>
      h("li", { class: "card link-card" }, link(t(view.label), view.path.replace(":book", encodeURIComponent(book.book_code))),
        h("p", {}, t(`home.${view.id.replace(/-/g, "_")}`))));
    return h("div", {},
      heading(book.name, `${book.book_code} · ${t(`kind.${book.entity_kind}`)} · ${t("books.community")} ${book.community_id} · ${t("books.township")} ${book.township_id}`),
      ctx.flash ? notice(ctx.flash) : null,
      h("dl", { class: "facts" },
        h("dt", {}, t("books.chart")), h("dd", {}, book.chart.title_zh),
        h("dt", {}, t("books.starts_on")), h("dd", {}, book.starts_on),
        h("dt", {}, t("book.closed_through")), h("dd", {}, closed || t("book.nothing_closed"))),
      h("p", {}, t("book.what_next")),
      h("ul", { class: "cards" }, cards));
  },
};
