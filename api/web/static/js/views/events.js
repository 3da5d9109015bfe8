// 事件历史 (auditor): every event in log order with actor, time, reason, idempotency key and chain link.
import { get } from "../api.js";
import { t } from "../i18n.js";
import { dataTable, field, formatTime, h, heading, link, route } from "../ui.js";
import { AUDITOR } from "./roles.js";

const PAGE = 50;

export default {
  id: "events", path: "/events", roles: AUDITOR, menu: "top", label: "nav.events",
  async render(ctx) {
    const book = ctx.query.book_code || "";
    let after = ctx.query.after;
    if (after === undefined) {
      const probe = await get("/events", { after: 0, limit: 1, book_code: book || undefined });
      after = String(Math.max(0, (probe.log_position || 0) - PAGE));
    }
    const page = await get("/events", { after, limit: PAGE, book_code: book || undefined });
    const columns = [
      { label: t("events.position"), num: true, value: (e) => String(e.position) },
      { label: t("events.time"), nowrap: true, value: (e) => formatTime(e.recorded_at), csv: (e) => e.recorded_at },
      { label: t("events.type"), value: (e) => h("code", {}, e.event_type), csv: (e) => e.event_type },
      { label: t("events.book"), value: (e) => e.book_code || "" },
      { label: t("events.actor"), value: (e) => (e.actor ? `${e.actor}（${e.role ? t(`role.${e.role}`) : ""}）` : ""), csv: (e) => `${e.actor || ""} ${e.role || ""}` },
      { label: t("events.reason"), value: (e) => e.reason || "" },
      { label: t("events.key"), value: (e) => (e.idempotency_key ? h("code", { title: e.idempotency_key }, e.idempotency_key.slice(0, 8)) : ""),
        csv: (e) => e.idempotency_key || "" },
      { label: t("events.link"), value: (e) => (e.chain_link ? h("code", { class: "hash", title: e.chain_link }, `${e.chain_link.slice(0, 12)}…`) : ""),
        csv: (e) => e.chain_link || "" },
    ];
    const bookSelect = h("select", { name: "book_code" }, h("option", { value: "" }, t("events.all_books")),
      ctx.books.map((b) => h("option", { value: b.book_code, selected: b.book_code === book }, `${b.name} (${b.book_code})`)));
    bookSelect.addEventListener("change", () => ctx.go("/events", { book_code: bookSelect.value }));
    const afterInput = h("input", { type: "number", name: "after", min: "0", value: after });
    const form = h("form", { class: "params" }, field(t("events.filter_book"), bookSelect), field(t("events.after"), afterInput),
      h("div", { class: "field actions" }, h("button", { type: "submit" }, t("common.show"))));
    form.addEventListener("submit", (event) => { event.preventDefault(); ctx.go("/events", { book_code: book, after: afterInput.value || "0" }); });
    const first = page.events.length ? page.events[0].position : 0;
    const last = page.events.length ? page.events[page.events.length - 1].position : 0;
    return h("div", {},
      heading(t("events.title"), t("events.intro")),
      form,
      h("p", { class: "sub" }, t("events.range", { first, last, head: page.log_position })),
      dataTable({ caption: t("events.title"), columns, rows: page.events, csv: `events-${after}`, className: "events" }),
      h("div", { class: "pager" },
        link(t("events.from_start"), route("/events", { book_code: book, after: "0" })),
        Number(after) > 0 ? link(t("common.prev_page"), route("/events", { book_code: book, after: String(Math.max(0, Number(after) - PAGE)) })) : null,
        page.next_cursor ? link(t("common.next_page"), route("/events", { book_code: book, after: String(page.next_cursor) })) : null,
        link(t("events.latest"), route("/events", { book_code: book }))));
  },
};
