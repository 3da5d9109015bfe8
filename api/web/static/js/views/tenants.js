// 承租人: the book's tenants, each linked to its statement.
import { get, path } from "../api.js";
import { t } from "../i18n.js";
import { dataTable, h, heading, link, exportTools } from "../ui.js";
import { READERS, collective } from "./roles.js";

export default {
  id: "tenants", path: "/b/:book/tenants", roles: READERS, menu: "book", label: "nav.tenants", when: collective,
  async render(ctx) {
    const book = ctx.book;
    const code = book.book_code;
    const page = await get(path("books", code, "tenants"), { cursor: ctx.query.cursor, limit: 200 });
    const statement = (tenant) => `/b/${encodeURIComponent(code)}/tenants/${encodeURIComponent(tenant)}`;
    const columns = [
      { label: t("tenants.code"), value: (r) => r.tenant_code },
      { label: t("common.name"), value: (r) => link(r.name, statement(r.tenant_code)), csv: (r) => r.name },
      { label: t("tenants.kind"), value: (r) => t(`tenant.${r.kind}`) },
      { label: t("tenants.contact"), value: (r) => r.contact || "" },
    ];
    const base = `/b/${encodeURIComponent(code)}/tenants`;
    return h("div", {},
      heading(t("tenants.title"), `${book.name} · ${book.book_code}`),
      exportTools(path("books", code, "tenants"), { cursor: ctx.query.cursor, limit: 200 }, `tenants-${code}`),
      dataTable({ caption: t("tenants.title"), columns, rows: page.tenants }),
      h("div", { class: "pager" },
        ctx.query.cursor ? link(t("common.first_page"), base) : null,
        page.next_cursor ? link(t("common.next_page"), `${base}?cursor=${encodeURIComponent(page.next_cursor)}`) : null));
  },
};
