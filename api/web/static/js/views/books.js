// 账套: the books within the token's scope.
import { t } from "../i18n.js";
import { dataTable, h, heading, link } from "../ui.js";
import { READERS } from "./roles.js";

export default {
  id: "books", path: "/books", roles: READERS, menu: "top", label: "nav.books",
  async render(ctx) {
    const columns = [
      { label: t("common.code"), value: (b) => link(b.book_code, `/b/${encodeURIComponent(b.book_code)}`), csv: (b) => b.book_code },
      { label: t("common.name"), value: (b) => b.name },
      { label: t("books.kind"), value: (b) => t(`kind.${b.entity_kind}`) },
      { label: t("books.community"), value: (b) => b.community_id },
      { label: t("books.township"), value: (b) => b.township_id },
      { label: t("books.starts_on"), value: (b) => b.starts_on },
    ];
    return h("div", {}, heading(t("books.title"), t("books.intro")),
      ctx.books.length ? dataTable({ caption: t("books.title"), columns, rows: ctx.books, csv: "books" }) : h("p", {}, t("books.none")));
  },
};
