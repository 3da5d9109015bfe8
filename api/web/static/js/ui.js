// Small DOM helpers: elements, labelled fields, action forms, tables with a CSV download, pagers, dates.

import { t, lang } from "./i18n.js";
import { download } from "./api.js";
import { clearProblems, problemBlock, showProblem } from "./problems.js";

/** h("p", {class: "x", onclick: fn}, "text", child, [more]) — text is always text, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "value") element.value = value;
    else if (name === "checked" || name === "disabled" || name === "hidden" || name === "required") element[name] = !!value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let sequence = 0;
export function uid(prefix = "f") {
  sequence += 1;
  return `${prefix}${sequence}`;
}

/** A labelled field: <div class="field"><label for=…>…</label><input …><p class="hint"><p class="error"></div>. */
export function field(label, input, { hint, className = "", hideLabel = false } = {}) {
  if (!input.id) input.id = uid();
  const described = [];
  const hintNode = hint ? h("p", { class: "hint", id: `${input.id}-hint` }, hint) : null;
  if (hintNode) described.push(hintNode.id);
  const error = h("p", { class: "error", id: `${input.id}-error`, hidden: true });
  described.push(error.id);
  input.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: `field ${className}`.trim() },
    h("label", { for: input.id, class: hideLabel ? "visually-hidden" : null }, label), input, hintNode, error);
}

/** A form's summary line for problems that belong to no one field. */
export function formProblem() {
  return h("p", { class: "form-problem", role: "alert", tabindex: "-1", hidden: true });
}

/**
 * A card form of one action (结账, 红字冲销): its title, intro, problem summary, a row of fields and one
 * submit button. A submit while one is under way is ignored; ``check()`` may answer a problem before
 * anything is sent; ``send()`` does the action; a problem (from either) is shown at the fields by
 * showProblem's ``locate`` / ``place``, and the button is enabled again.
 */
export function actionForm({ id, className, title, intro, fields, submit, check = () => null, send, locate, place }) {
  const button = h("button", { type: "submit", class: submit.kind }, submit.label);
  const form = h("form", { class: className, novalidate: true, "aria-labelledby": id },
    h("h2", { id }, title), h("p", { class: "sub" }, intro),
    formProblem(), h("div", { class: "row" }, Object.values(fields)), h("div", { class: "actions" }, button));
  let busy = false;
  const working = (yes) => {
    busy = yes;
    button.disabled = yes;
    if (submit.busyLabel) button.textContent = yes ? submit.busyLabel : submit.label;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    clearProblems(form);
    const refused = check();
    if (refused) return showProblem(form, refused, { fields, locate, place });
    working(true);
    try {
      await send();
    } catch (problem) {
      working(false);
      showProblem(form, problem, { fields, locate, place });
    }
  });
  return form;
}

export function notice(text, kind = "ok") {
  return h("p", { class: `notice ${kind}`, role: kind === "ok" ? "status" : "alert" }, text);
}

export function loading() {
  return h("p", { class: "loading", role: "status" }, t("app.loading"));
}

/** A link inside the page (hash route). */
export function link(text, route, attrs = {}) {
  return h("a", { href: `#${route}`, ...attrs }, text);
}

export function route(pathname, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `${pathname}?${search}` : pathname;
}

/**
 * A table from columns [{label, value(row) → text|Node, csv?(row) → text, num?: bool}] and rows.
 * With ``csv`` (a file name), a button downloads exactly the rows shown as CSV (UTF-8 with BOM, for Excel).
 */
export function dataTable({ caption, columns, rows, footer = [], csv, className = "" }) {
  const head = h("thead", {}, h("tr", {}, columns.map((column) =>
    h("th", { scope: "col", class: column.num ? "num" : null }, column.label))));
  const body = h("tbody", {}, rows.length ? rows.map((row) => h("tr", { class: row.rowClass || null },
    columns.map((column) => cell(column, row)))) : h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, t("common.empty"))));
  const foot = footer.length ? h("tfoot", {}, footer.map((row) => h("tr", {}, columns.map((column) => cell(column, row, "th"))))) : null;
  const table = h("table", { class: className || null }, caption ? h("caption", {}, caption) : null, head, body, foot);
  const tools = csv ? h("div", { class: "table-tools" },
    h("button", { type: "button", class: "secondary", onclick: () => downloadCsv(csv, columns, [...rows, ...footer]) },
      t("common.download_csv"))) : null;
  return h("div", { class: "table-block" }, tools, h("div", { class: "table-scroll", tabindex: "0", role: "region",
    "aria-label": caption || t("common.empty") }, table));
}

function cell(column, row, tag = "td") {
  const value = row.__footer && column.footer ? column.footer(row) : column.value(row);
  return h(tag, { class: column.num ? "num" : column.nowrap ? "nowrap" : null, scope: tag === "th" ? "row" : null }, value ?? "");
}

function csvText(value) {
  const text = value instanceof Node ? value.textContent : String(value ?? "");
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function downloadCsv(name, columns, rows) {
  const lines = [columns.map((column) => csvText(column.label)).join(",")];
  for (const row of rows) {
    lines.push(columns.map((column) => csvText(column.csv ? column.csv(row) : (row.__footer && column.footer ? column.footer(row) : column.value(row)))).join(","));
  }
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const anchor = h("a", { href: URL.createObjectURL(blob), download: `${name}.csv` });
  document.body.append(anchor);
  anchor.click();
  setTimeout(() => { URL.revokeObjectURL(anchor.href); anchor.remove(); }, 1000);
}

/** Today's date in China Standard Time (business dates are CST calendar dates), as YYYY-MM-DD. */
export function todayCst() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date());
}

/** A recorded-at time (UTC, ISO) shown in China Standard Time. */
export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(date);
  const part = (type) => parts.find((p) => p.type === type)?.value;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

/**
 * Download buttons (XLSX / PDF / CSV) for an exportable API read: the same GET with ``format=…``
 * (api/exports/tables.py declares which routes export), fetched with the bearer token as a blob.
 */
export function exportTools(apiPath, query = {}, name = "anju") {
  const status = h("span", { class: "export-status", role: "status" });
  const box = h("div", { class: "export-tools no-print", role: "group", "aria-label": t("export.label") });
  const button = (format) => h("button", { type: "button", class: "secondary", dataset: { format },
    onclick: async (event) => {
      const self = event.currentTarget;
      box.querySelector(".problem")?.remove();
      self.disabled = true;
      status.textContent = t("export.working");
      try {
        const saved = await download(apiPath, { ...query, format }, `${name}.${format}`);
        status.textContent = t("export.done", { name: saved });
      } catch (problem) {
        status.textContent = "";
        box.append(problemBlock(problem));
      } finally {
        self.disabled = false;
      }
    } }, t(`export.${format}`));
  box.append(button("xlsx"), button("pdf"), button("csv"), status);
  return box;
}

export function dateInput(value, attrs = {}) {
  return h("input", { type: "date", value, ...attrs });
}

/**
 * A small form of report parameters (as_of, from …) that navigates to the same route with them,
 * so the address always says what is shown and Back works.
 */
export function paramsForm(ctx, inputs, { submitLabel = t("common.show") } = {}) {
  const form = h("form", { class: "params", novalidate: true });
  const fields = inputs.map(({ name, label, type = "date", value = "" }) => {
    const input = h("input", { type, name, value: ctx.query[name] ?? value });
    return field(label, input);
  });
  form.append(...fields, h("div", { class: "field actions" }, h("button", { type: "submit" }, submitLabel)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = { ...ctx.query };
    for (const { name } of inputs) query[name] = form.elements[name].value;
    ctx.go(ctx.pathname, query);
  });
  return form;
}

/** First / next page links of a cursor-paged read: the same route and query, with the answer's next cursor. */
export function pager(ctx, query, nextCursor) {
  return h("div", { class: "pager" },
    ctx.query.cursor ? link(t("common.first_page"), route(ctx.pathname, query)) : null,
    nextCursor ? link(t("common.next_page"), route(ctx.pathname, { ...query, cursor: nextCursor })) : null);
}

export function heading(text, sub) {
  return h("div", { class: "view-head" }, h("h1", { tabindex: "-1" }, text), sub ? h("p", { class: "sub" }, sub) : null);
}

export function docLang() {
  return lang();
}
