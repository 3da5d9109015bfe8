// 承租人: the book's tenants, each linked to its statement.
import { path } from "../api.js";
import { t } from "../i18n.js";
import { dataTable, link } from "../ui.js";
import { reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

export default reportView({
  id: "tenants", path: "/b/:book/tenants", roles: READERS, menu: "book", label: "nav.tenants", when: collective,
  api: (ctx) => path("books", ctx.book.book_code, "tenants"),
  pageSize: 200,
  fileName: (ctx) => `tenants-${ctx.book.book_code}`,
  draw(ctx, page) {
    const statement = (tenant) => `/b/${encodeURIComponent(ctx.book.book_code)}/tenants/${encodeURIComponent(tenant)}`;
    const columns = [
      { label: t("tenants.code"), value: (r) => r.tenant_code },
      { label: t("common.name"), value: (r) => link(r.name, statement(r.tenant_code)), csv: (r) => r.name },
      { label: t("tenants.kind"), value: (r) => t(`tenant.${r.kind}`) },
      { label: t("tenants.contact"), value: (r) => r.contact || "" },
    ];
    return { title: t("tenants.title"), sub: `${ctx.book.name} · ${ctx.book.book_code}`,
      body: [dataTable({ caption: t("tenants.title"), columns, rows: page.tenants })] };
  },
});
