// A book's start page: what it is, how far it is closed, and what one can do with it.
import { t } from "../i18n.js";
import { h, heading, link, notice } from "../ui.js";
import { VIEWS } from "./index.js";
import { READERS } from "./roles.js";

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
