// The accountant's way in (api/imports, api/books): import a roster file (XLSX or CSV) — a rejected file
// shows every bad row and column, nothing recorded — and enter the book's opening balances (期初余额).
import { download, get, newKey, path, post, upload } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { problemBlock } from "../problems.js";
import { dataTable, field, h, heading, notice } from "../ui.js";
import { ACCOUNTANT, READERS } from "./roles.js";

function rowErrors(problem) {
  const items = problem.errors.filter((e) => e.row !== undefined);
  if (!items.length) return null;
  const columns = [
    { label: t("imp.row"), num: true, value: (e) => String(e.row) },
    { label: t("imp.column"), value: (e) => e.column || "" },
    { label: t("imp.rule"), value: (e) => h("code", {}, e.rule || e.type || "") },
    { label: t("imp.message"), value: (e) => e.message || e.msg || "" },
  ];
  return dataTable({ caption: t("imp.errors", { n: items.length }), columns, rows: items, className: "import-errors" });
}

const imports = {
  id: "imports", path: "/b/:book/imports", roles: ACCOUNTANT, menu: "book", label: "nav.imports",
  async render(ctx) {
    const code = ctx.book.book_code;
    const { kinds, max_rows: maxRows, max_file_bytes: maxBytes } = await get("/imports/kinds");
    const chosen = kinds.find((k) => k.kind === ctx.query.kind) || kinds[0];
    const kind = h("select", { name: "kind" }, kinds.map((k) => h("option", { value: k.kind, selected: k === chosen }, `${k.title_zh} ${k.title_en}`)));
    kind.addEventListener("change", () => ctx.go(ctx.pathname, { kind: kind.value }));
    const file = h("input", { type: "file", name: "file", accept: ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    const reason = h("input", { type: "text", name: "reason" });
    const outcome = h("div", { class: "outcome", "aria-live": "polite" });
    const button = h("button", { type: "submit" }, t("imp.submit"));
    const form = h("form", { class: "card", novalidate: true },
      h("div", { class: "params" }, field(t("imp.kind"), kind), field(t("imp.file"), file, { hint: t("imp.max", { rows: maxRows, mib: Math.round(maxBytes / 1048576) }) }), field(t("imp.reason"), reason)),
      h("div", { class: "actions" }, button), outcome);
    // One key per chosen file and kind: the same upload twice (a double click) is recorded once; another file is another action.
    let key = newKey();
    file.addEventListener("change", () => { key = newKey(); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      outcome.replaceChildren();
      const chosenFile = file.files[0];
      if (!chosenFile) return outcome.replaceChildren(notice(t("imp.choose_file"), "bad"));
      button.disabled = true;
      try {
        const result = await upload(path("books", code, "imports", chosen.kind), chosenFile,
          { key, query: { file_name: chosenFile.name, reason: reason.value.trim() } });
        key = newKey();
        outcome.replaceChildren(notice(result.already_imported ? t("imp.already")
          : t("imp.applied", { file: result.file_name, rows: result.rows, applied: result.applied, skipped: result.skipped })));
      } catch (problem) {
        key = newKey(); // nothing was recorded: the corrected file is a new action
        outcome.replaceChildren(problemBlock(problem), rowErrors(problem) || "");
      } finally {
        button.disabled = false;
      }
    });
    const templateButton = (format) => h("button", { type: "button", class: "secondary", onclick: async () => {
      try {
        await download(`/imports/templates/${chosen.kind}.${format}`, {}, `anju-${chosen.kind}.${format}`);
      } catch (problem) {
        outcome.replaceChildren(problemBlock(problem));
      }
    } }, t("imp.template", { title: chosen.title_zh, format: format.toUpperCase() }));
    const columns = [
      { label: t("imp.header"), value: (c) => c.header },
      { label: t("imp.required"), value: (c) => (c.required ? t("common.yes") : t("common.no")) },
      { label: t("imp.example"), value: (c) => c.example || "" },
      { label: t("imp.note"), value: (c) => c.note || "" },
    ];
    return h("div", {}, heading(t("imp.title"), `${ctx.book.name} · ${t("imp.intro")}`),
      form,
      h("h2", {}, t("imp.templates")),
      h("div", { class: "export-tools" }, templateButton("xlsx"), templateButton("csv")),
      dataTable({ caption: `${t("imp.columns")} · ${pick(chosen.title_zh, chosen.title_en)}`, columns, rows: chosen.columns }));
  },
};

function lineInputs(n, line = {}) {
  const input = (name, what, attrs = {}) => field(t("ob.line", { n, what }),
    h("input", { type: "text", name, value: line[name] && line[name] !== "0.00" ? line[name] : "", ...attrs }), { hideLabel: true });
  return h("tr", { class: "ob-line" },
    h("td", {}, input("account_code", t("ob.account"), { spellcheck: "false" })),
    h("td", {}, input("subledger", t("ob.subledger"))),
    h("td", {}, input("debit", t("common.debit"), { inputmode: "decimal", class: "num" })),
    h("td", {}, input("credit", t("common.credit"), { inputmode: "decimal", class: "num" })),
    h("td", {}, input("memo", t("ob.memo"))));
}

const openingBalances = {
  id: "opening-balances", path: "/b/:book/opening-balances", roles: READERS, menu: "book", label: "nav.opening_balances",
  async render(ctx) {
    const code = ctx.book.book_code;
    const current = await get(path("books", code, "opening-balances"));
    const columns = [
      { label: t("ob.account"), value: (l) => l.account_code },
      { label: t("ob.subledger"), value: (l) => l.subledger || "" },
      { label: t("common.debit"), num: true, value: (l) => (l.debit && l.debit !== "0.00" ? formatAmount(l.debit) : "") },
      { label: t("common.credit"), num: true, value: (l) => (l.credit && l.credit !== "0.00" ? formatAmount(l.credit) : "") },
      { label: t("ob.memo"), value: (l) => l.memo || "" },
    ];
    const footer = [{ __footer: true, account_code: t("common.total"), subledger: "", debit: current.total_debit, credit: current.total_credit, memo: "" }];
    const parts = [heading(t("ob.title"), `${ctx.book.name} · ${t("ob.date", { date: current.opening_date })}`),
      ctx.flash ? notice(ctx.flash) : null,
      current.locked ? notice(t("ob.locked"), "info") : null,
      dataTable({ caption: t("ob.current"), columns, rows: current.lines, footer: current.lines.length ? footer : [], className: "report opening" }),
      current.lines.length ? h("p", { class: "in-words" }, t("ob.words", { words: current.total_uppercase })) : null];
    if (ctx.me.role !== "accountant" || current.locked) return h("div", {}, parts);

    const starting = current.lines.length ? current.lines : [{}, {}];
    const body = h("tbody", {}, starting.map((line, i) => lineInputs(i + 1, line)));
    const reason = h("input", { type: "text", name: "reason", value: current.lines.length ? "" : "建账录入期初余额" });
    const outcome = h("div", { class: "outcome", "aria-live": "polite" });
    const button = h("button", { type: "submit" }, t("ob.submit"));
    const add = h("button", { type: "button", class: "secondary", onclick: () => body.append(lineInputs(body.children.length + 1)) }, t("ob.add"));
    const form = h("form", { class: "card opening-form", novalidate: true },
      h("div", { class: "table-scroll" }, h("table", {}, h("thead", {}, h("tr", {},
        [t("ob.account"), t("ob.subledger"), t("common.debit"), t("common.credit"), t("ob.memo")].map((label) => h("th", { scope: "col" }, label)))), body)),
      h("div", { class: "actions" }, add), field(t("ob.reason"), reason), h("div", { class: "actions" }, button), outcome,
      h("p", { class: "hint" }, t("ob.import_hint")));
    let key = newKey();
    form.addEventListener("input", () => { key = newKey(); }); // a changed set is another action
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      outcome.replaceChildren();
      const lines = [...body.querySelectorAll("tr")].map((tr) => {
        const value = (name) => tr.querySelector(`[name=${name}]`).value.trim().replace(/,/g, "");
        const line = { account_code: value("account_code") };
        if (value("subledger")) line.subledger = value("subledger");
        if (value("debit")) line.debit = value("debit");
        if (value("credit")) line.credit = value("credit");
        if (value("memo")) line.memo = value("memo");
        return line;
      }).filter((line) => line.account_code || line.debit || line.credit);
      button.disabled = true;
      try {
        const saved = await post(path("books", code, "opening-balances"), { lines, reason: reason.value.trim() || "录入期初余额" }, key);
        ctx.setFlash(saved.changed === false ? t("ob.unchanged")
          : t("ob.saved", { debit: formatAmount(saved.total_debit), credit: formatAmount(saved.total_credit) }));
        ctx.go(ctx.pathname, { saved: String(Date.now()) });
      } catch (problem) {
        outcome.replaceChildren(problemBlock(problem));
      } finally {
        button.disabled = false;
      }
    });
    parts.push(form);
    return h("div", {}, parts);
  },
};

export default [imports, openingBalances];
