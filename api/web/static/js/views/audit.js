// The auditor's workflow (api/audit): an aggregate's history with its states before and after; the trial
// balance as recorded by a past log position beside the same statement as corrected since; sealed checkpoints.
import { get, newKey, path, post } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { problemBlock } from "../problems.js";
import { dataTable, exportTools, field, formatTime, h, heading, notice, todayCst } from "../ui.js";
import { AUDITOR } from "./roles.js";

const KINDS = ["voucher", "book", "month", "organisation", "member", "lease", "tenant", "shop-front", "household", "fund",
  "works", "distribution", "project", "billing-run", "subsidy-claim"];

function bookSelect(ctx, name, value, { optional = false } = {}) {
  return h("select", { name }, optional ? h("option", { value: "" }, t("common.none")) : null,
    ctx.books.map((b) => h("option", { value: b.book_code, selected: b.book_code === value }, `${b.name} (${b.book_code})`)));
}

function queryForm(ctx, fields, names) {
  const form = h("form", { class: "params", novalidate: true }, fields,
    h("div", { class: "field actions" }, h("button", { type: "submit" }, t("common.show"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = {};
    for (const name of names) query[name] = form.elements[name].value.trim();
    ctx.go(ctx.pathname, query);
  });
  return form;
}

/**
 * An audit query's page: its heading and query form, then, once the address holds the query, the
 * answer under them — or, when the API refuses it, its problem there, the form kept to correct it.
 */
async function queryPage(head, form, asked, answer) {
  const parts = [head, form];
  if (asked) {
    try {
      parts.push(...(await answer()));
    } catch (problem) {
      parts.push(problemBlock(problem));
    }
  }
  return h("div", {}, parts);
}

function stateView(state) {
  if (state == null) return t("common.none");
  return h("details", {}, h("summary", {}, t("common.open")), h("pre", { class: "state" }, JSON.stringify(state, null, 2)));
}

const history = {
  id: "audit-history", path: "/audit/history", roles: AUDITOR, menu: "top", label: "nav.audit_history",
  async render(ctx) {
    const book = ctx.query.book || ctx.books[0]?.book_code || "";
    const kind = KINDS.includes(ctx.query.kind) ? ctx.query.kind : "voucher";
    const form = queryForm(ctx, [
      field(t("ah.book"), bookSelect(ctx, "book", book)),
      field(t("ah.kind"), h("select", { name: "kind" }, KINDS.map((k) => h("option", { value: k, selected: k === kind }, t(`kind.${k}`))))),
      field(t("ah.id"), h("input", { type: "text", name: "id", value: ctx.query.id || "", spellcheck: "false" })),
    ], ["book", "kind", "id"]);
    return queryPage(heading(t("ah.title"), t("ah.intro")), form, ctx.query.book, async () => {
      const found = await get("/audit/history", { book, kind, id: ctx.query.id, cursor: ctx.query.cursor, limit: 50 });
      const columns = [
        { label: t("ah.position"), num: true, value: (e) => String(e.position) },
        { label: t("ah.type"), value: (e) => h("code", {}, e.event_type) },
        { label: t("ah.who"), value: (e) => (e.actor ? `${e.actor}（${e.role ? t(`role.${e.role}`) : ""}）` : "") },
        { label: t("ah.when"), nowrap: true, value: (e) => formatTime(e.recorded_at) },
        { label: t("ah.why"), value: (e) => e.reason || "" },
        { label: t("ah.key"), value: (e) => h("code", { class: "hash", title: e.idempotency_key || "" }, (e.idempotency_key || "").slice(0, 8)) },
        { label: t("ah.link"), value: (e) => h("code", { class: "hash", title: e.chain_link || "" }, (e.chain_link || "").slice(0, 12)) },
        { label: t("ah.before"), value: (e) => stateView(e.state_before) },
        { label: t("ah.after"), value: (e) => stateView(e.state_after) },
      ];
      return [h("p", { class: "sub" }, t("ah.stream", { stream: found.stream_id })),
        dataTable({ caption: `${t("ah.title")} · ${found.kind} ${found.code || ""}`, columns, rows: found.events, className: "history" }),
        found.next_cursor != null ? h("div", { class: "pager" }, h("a", { href: `#/audit/history?book=${encodeURIComponent(book)}&kind=${kind}&id=${encodeURIComponent(ctx.query.id || "")}&cursor=${found.next_cursor}` }, t("ah.more"))) : null];
    });
  },
};

const asRecorded = {
  id: "audit-as-recorded", path: "/audit/as-recorded", roles: AUDITOR, menu: "top", label: "nav.as_recorded",
  async render(ctx) {
    const book = ctx.query.book || ctx.books[0]?.book_code || "";
    const asOf = ctx.query.as_of || todayCst();
    const form = queryForm(ctx, [
      field(t("ah.book"), bookSelect(ctx, "book", book)),
      field(t("common.as_of"), h("input", { type: "date", name: "as_of", value: asOf })),
      field(t("ar.recorded_at"), h("input", { type: "text", name: "as_recorded_at", value: ctx.query.as_recorded_at || "", spellcheck: "false" })),
    ], ["book", "as_of", "as_recorded_at"]);
    return queryPage(heading(t("ar.title"), t("ar.intro")), form, ctx.query.as_recorded_at, async () => {
      const apiPath = path("audit", "books", book, "trial-balance");
      const query = { as_of: asOf, as_recorded_at: ctx.query.as_recorded_at };
      const tb = await get(apiPath, query);
      const corrected = new Map(tb.corrected.rows.map((r) => [r.account_code, r]));
      const recordedCodes = new Set(tb.recorded.rows.map((r) => r.account_code));
      const rows = [...tb.recorded.rows, ...tb.corrected.rows.filter((r) => !recordedCodes.has(r.account_code))];
      const amt = (v) => (v && v !== "0.00" ? formatAmount(v) : "");
      const columns = [
        { label: t("tb.account"), value: (r) => r.account_code },
        { label: t("tb.name"), value: (r) => h("span", { class: `level-${r.level || 1}` }, pick(r.name_zh, r.name_en)) },
        { label: `${t("ar.recorded", { position: tb.recorded.position })} ${t("ar.closing_dr")}`, num: true, value: (r) => amt(tb.recorded.rows.find((x) => x.account_code === r.account_code)?.closing.debit) },
        { label: `${t("ar.recorded", { position: tb.recorded.position })} ${t("ar.closing_cr")}`, num: true, value: (r) => amt(tb.recorded.rows.find((x) => x.account_code === r.account_code)?.closing.credit) },
        { label: `${t("ar.corrected", { position: tb.corrected.position })} ${t("ar.closing_dr")}`, num: true, value: (r) => amt(corrected.get(r.account_code)?.closing.debit) },
        { label: `${t("ar.corrected", { position: tb.corrected.position })} ${t("ar.closing_cr")}`, num: true, value: (r) => amt(corrected.get(r.account_code)?.closing.credit) },
      ];
      const diffColumns = [
        { label: t("tb.account"), value: (d) => d.account_code },
        { label: t("tb.name"), value: (d) => pick(d.name_zh, d.name_en) },
        { label: t("ar.recorded", { position: tb.recorded.position }), num: true, value: (d) => formatAmount(d.recorded.closing_balance) },
        { label: t("ar.corrected", { position: tb.corrected.position }), num: true, value: (d) => formatAmount(d.corrected.closing_balance) },
        { label: t("ar.difference"), num: true, value: (d) => formatAmount(d.difference.closing_balance) },
      ];
      const changeColumns = [
        { label: t("ah.position"), num: true, value: (c) => String(c.position) },
        { label: t("vouchers.number"), nowrap: true, value: (c) => h("a", { href: `#/audit/history?book=${encodeURIComponent(book)}&kind=voucher&id=${encodeURIComponent(c.number)}` }, c.number) },
        { label: t("common.date"), value: (c) => c.voucher_date },
        { label: t("ledger.summary"), value: (c) => [c.summary, c.back_dated ? h("small", { class: "flag" }, ` ${t("ar.back_dated")}`) : null,
          c.reverses ? h("small", { class: "flag" }, ` ${t("ar.reverses", { number: c.reverses })}`) : null] },
        { label: t("common.amount"), num: true, value: (c) => formatAmount(c.total) },
        { label: t("ah.who"), value: (c) => c.recorded_by },
        { label: t("ah.when"), nowrap: true, value: (c) => formatTime(c.recorded_at) },
        { label: t("ah.why"), value: (c) => c.reason },
      ];
      return [exportTools(apiPath, query, `trial-balance-as-recorded-${book}-${tb.as_of}`),
        h("p", { class: "sub" }, `${tb.book_code} · ${t("tb.period", { start: tb.period_start, end: tb.as_of })} · ${t("common.log_position")} ${tb.log_position}`),
        dataTable({ caption: `${t("ar.title")} ${tb.as_of}`, columns, rows: rows.map((r) => ({ ...r, rowClass: r.level > 1 ? "sub" : null })), className: "report as-recorded" }),
        h("h2", {}, t("ar.differences")),
        tb.differences.length ? dataTable({ caption: t("ar.differences"), columns: diffColumns, rows: tb.differences, className: "report differences" })
          : notice(t("ar.no_differences"), "info"),
        h("h2", {}, t("ar.changes")),
        dataTable({ caption: t("ar.changes"), columns: changeColumns, rows: tb.changes, className: "changes" }),
        tb.changes_truncated ? notice(t("ar.truncated"), "info") : null];
    });
  },
};

const checkpoints = {
  id: "audit-checkpoints", path: "/audit/checkpoints", roles: AUDITOR, menu: "top", label: "nav.checkpoints",
  async render(ctx) {
    const list = await get("/audit/checkpoints", { limit: 100 });
    const reason = h("input", { type: "text", name: "reason", required: true });
    const book = bookSelect(ctx, "book", "", { optional: true });
    const asOf = h("input", { type: "date", name: "as_of", value: todayCst() });
    const outcome = h("div", { class: "outcome", "aria-live": "polite" });
    const button = h("button", { type: "submit" }, t("cp.seal"));
    const form = h("form", { class: "card", novalidate: true }, field(t("cp.reason"), reason),
      h("div", { class: "params" }, field(t("cp.book"), book), field(t("cp.as_of"), asOf)),
      h("div", { class: "actions" }, button), outcome);
    let key = newKey(); // one per sealing: a double submit seals once
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      outcome.replaceChildren();
      if (!reason.value.trim()) {
        outcome.replaceChildren(notice(`${t("cp.reason")}${t("common.colon")}${t("field.missing")}`, "bad"));
        return;
      }
      button.disabled = true;
      try {
        const body = { reason: reason.value.trim() };
        if (book.value) body.statement = { book_code: book.value, as_of: asOf.value };
        const sealed = await post("/audit/checkpoints", body, key);
        key = newKey();
        ctx.setFlash(t("cp.sealed", { number: sealed.number, position: sealed.head_position, link: sealed.head_link }));
        ctx.go(ctx.pathname, { sealed: String(sealed.number) });
      } catch (problem) {
        outcome.replaceChildren(problemBlock(problem));
      } finally {
        button.disabled = false;
      }
    });
    const columns = [
      { label: t("cp.number"), num: true, value: (c) => String(c.number) },
      { label: t("cp.head"), num: true, value: (c) => String(c.head_position) },
      { label: t("cp.link"), value: (c) => h("code", { class: "hash full" }, c.head_link) },
      { label: t("cp.by"), value: (c) => c.sealed_by },
      { label: t("cp.at"), nowrap: true, value: (c) => formatTime(c.sealed_at) },
      { label: t("common.reason"), value: (c) => c.reason },
      { label: t("cp.statement"), value: (c) => (c.statement ? `${c.statement.book_code} ${c.statement.as_of} · ${c.statement.still_matches === false ? t("cp.differs") : t("cp.matches")}` : "") },
    ];
    return h("div", {}, heading(t("cp.title"), t("cp.intro")), ctx.flash ? notice(ctx.flash) : null, form,
      dataTable({ caption: t("cp.title"), columns, rows: list.checkpoints, className: "checkpoints" }));
  },
};

export default [history, asRecorded, checkpoints];
