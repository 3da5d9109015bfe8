// 记账凭证: record a voucher. Accounts are searched in the book's chart; the debit and credit totals,
// their balance and the total in words (大写) follow what is typed; one Idempotency-Key per form,
// so a double click (or a retry after a lost answer) records once; the API's problems are shown
// next to the field they concern, and a rejected form records nothing.

import { newKey, path, post } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount, normaliseAmount, parseAmount, plain, uppercaseAmount } from "../money.js";
import { clearProblems, markField, showProblem } from "../problems.js";
import { accountInput, chartIndex, describeResolution, resolveAccount } from "../account_search.js";
import { field, formProblem, h, heading, link, notice, todayCst } from "../ui.js";
import { ACCOUNTANT } from "./roles.js";

/** A form's draft survives a language switch or a visit elsewhere, with its Idempotency-Key. */
const drafts = new Map();

function newDraft() {
  return { key: newKey(), voucher_date: todayCst(), summary: "", attachments: "0",
    lines: [blankLine(), blankLine()], recorded: null };
}

function blankLine() {
  return { account_code: "", subledger: "", debit: "", credit: "" };
}

function isBlank(line) {
  return !line.account_code.trim() && !line.subledger.trim() && !line.debit.trim() && !line.credit.trim();
}

/** The body the API receives: blank rows left out, amounts as typed (normalised), never rounded. */
export function voucherBody(draft) {
  const rows = [];
  const lines = [];
  draft.lines.forEach((line, row) => {
    if (isBlank(line)) return;
    const out = { account_code: line.account_code.trim().split(/\s+/)[0] || "", subledger: line.subledger.trim() };
    if (line.debit.trim()) out.debit = normaliseAmount(line.debit);
    if (line.credit.trim()) out.credit = normaliseAmount(line.credit);
    rows.push(row);
    lines.push(out);
  });
  const attachments = draft.attachments.trim();
  return {
    body: { voucher_date: draft.voucher_date, summary: draft.summary.trim(),
      attachments: /^\d+$/.test(attachments) ? Number(attachments) : attachments === "" ? 0 : attachments, lines },
    rows,
  };
}

export default {
  id: "voucher-new", path: "/b/:book/voucher/new", roles: ACCOUNTANT, menu: "book", label: "nav.voucher_new",
  async render(ctx) {
    const book = ctx.book;
    const index = chartIndex(book);
    const draft = drafts.get(book.book_code) || newDraft();
    drafts.set(book.book_code, draft);
    const fields = {};
    let busy = false;

    const dateInput = h("input", { type: "date", name: "voucher_date", value: draft.voucher_date, required: true,
      oninput: () => { draft.voucher_date = dateInput.value; } });
    const summaryInput = h("input", { type: "text", name: "summary", value: draft.summary, required: true,
      maxlength: "200", "data-autofocus": true, oninput: () => { draft.summary = summaryInput.value; } });
    const attachmentsInput = h("input", { type: "number", name: "attachments", value: draft.attachments, min: "0",
      max: "999", step: "1", inputmode: "numeric", oninput: () => { draft.attachments = attachmentsInput.value; } });
    fields.date = field(t("voucher.date"), dateInput);
    fields.summary = field(t("voucher.summary"), summaryInput, { className: "grow" });
    fields.attachments = field(t("voucher.attachments"), attachmentsInput, { className: "narrow" });

    const linesBody = h("tbody");
    const debitTotal = h("output", { class: "num", "aria-live": "polite" });
    const creditTotal = h("output", { class: "num", "aria-live": "polite" });
    const status = h("p", { class: "balance-status", role: "status" });
    const words = h("output", { class: "in-words", "aria-live": "polite" });
    fields.totals = h("div", { class: "totals-field" }, status, h("p", { class: "error", hidden: true }));
    fields.lines = h("div", { class: "lines-field" }, h("p", { class: "error", hidden: true }));

    function renderLines() {
      for (const name of Object.keys(fields)) if (name.startsWith("line")) delete fields[name];
      linesBody.replaceChildren(...draft.lines.map((line, row) => lineRow(line, row)));
      recompute();
    }

    function lineRow(line, row) {
      const n = row + 1;
      const note = h("p", { class: "account-name" });
      const showAccount = () => {
        const resolution = resolveAccount(index, line.account_code);
        note.textContent = describeResolution(resolution);
        note.classList.toggle("warn", !!(resolution.parent || resolution.unknown));
      };
      const { input: accountBox, list } = accountInput(index, { value: line.account_code, label: t("voucher.line", { n }),
        onChange: (value) => { line.account_code = value; showAccount(); } });
      accountBox.name = `lines.${row}.account_code`;
      const subledger = h("input", { type: "text", name: `lines.${row}.subledger`, value: line.subledger, maxlength: "90",
        placeholder: "tenant:T001", oninput: () => { line.subledger = subledger.value; } });
      const amount = (side) => {
        const input = h("input", { type: "text", inputmode: "decimal", name: `lines.${row}.${side}`, value: line[side],
          class: "amount", autocomplete: "off", oninput: () => { line[side] = input.value; recompute(); } });
        return input;
      };
      const debit = amount("debit");
      const credit = amount("credit");
      const lineLabel = (label) => `${t("voucher.line", { n })} ${label}`;
      const accountField = field(lineLabel(t("voucher.account")), accountBox, { className: "account" });
      accountField.insertBefore(list, accountField.querySelector(".error"));
      accountField.insertBefore(note, accountField.querySelector(".error"));
      fields[`line${row}.account_code`] = accountField;
      fields[`line${row}.subledger`] = field(lineLabel(t("voucher.subledger")), subledger);
      fields[`line${row}.debit`] = field(lineLabel(t("voucher.debit")), debit, { className: "amount-field" });
      fields[`line${row}.credit`] = field(lineLabel(t("voucher.credit")), credit, { className: "amount-field" });
      showAccount();
      const remove = h("button", { type: "button", class: "icon secondary", "aria-label": t("voucher.remove_line", { n }),
        title: t("voucher.remove_line", { n }), disabled: draft.lines.length <= 2,
        onclick: () => { draft.lines.splice(row, 1); renderLines(); } }, "×");
      return h("tr", { class: "line" },
        h("th", { scope: "row", class: "line-no" }, String(n)),
        h("td", { "data-label": t("voucher.account") }, accountField),
        h("td", { "data-label": t("voucher.subledger") }, fields[`line${row}.subledger`]),
        h("td", { "data-label": t("voucher.debit") }, fields[`line${row}.debit`]),
        h("td", { "data-label": t("voucher.credit") }, fields[`line${row}.credit`]),
        h("td", { class: "line-tools" }, remove));
    }

    /** The live check: totals in whole fen (never floating point), balance, words; bad amounts marked as typed. */
    function recompute() {
      let debit = 0n;
      let credit = 0n;
      draft.lines.forEach((line, row) => {
        for (const side of ["debit", "credit"]) {
          const wrapper = fields[`line${row}.${side}`];
          if (!wrapper) continue;
          const parsed = parseAmount(line[side]);
          const slot = wrapper.querySelector(".error");
          if (parsed.invalid) markField(wrapper, t("field.amount"));
          else if (wrapper.classList.contains("live")) {
            wrapper.classList.remove("invalid", "live");
            slot.hidden = true;
            wrapper.querySelector("input").removeAttribute("aria-invalid");
          }
          if (parsed.invalid) wrapper.classList.add("live");
          if (parsed.fen !== undefined) {
            if (side === "debit") debit += parsed.fen;
            else credit += parsed.fen;
          }
        }
      });
      debitTotal.value = formatAmount(debit);
      creditTotal.value = formatAmount(credit);
      const difference = debit - credit;
      const both = draft.lines.some((line) => line.debit.trim() && line.credit.trim());
      if (debit === 0n && credit === 0n) status.textContent = t("voucher.empty");
      else if (difference === 0n) status.textContent = `✓ ${t("voucher.balanced")}`;
      else status.textContent = `✗ ${t("voucher.unbalanced", { difference: formatAmount(difference < 0n ? -difference : difference) })}`;
      if (both) status.textContent += ` · ${t("voucher.both_sides")}`;
      status.className = `balance-status ${difference === 0n && debit > 0n && !both ? "ok" : debit || credit ? "bad" : ""}`;
      words.value = uppercaseAmount(debit > credit ? debit : credit);
      words.dataset.fen = plain(debit > credit ? debit : credit);
    }

    const submit = h("button", { type: "submit", class: "primary" }, t("voucher.submit"));
    const form = h("form", { class: "voucher-form", novalidate: true, "aria-describedby": "voucher-intro" },
      formProblem(),
      h("div", { class: "row" }, fields.date, fields.summary, fields.attachments),
      h("div", { class: "table-scroll lines-scroll" },
        h("table", { class: "lines" },
          h("caption", { class: "visually-hidden" }, t("voucher.lines")),
          h("colgroup", {}, h("col", { class: "c-no" }), h("col", { class: "c-account" }), h("col", { class: "c-sub" }),
            h("col", { class: "c-amount" }), h("col", { class: "c-amount" }), h("col", { class: "c-tools" })),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "#"), h("th", { scope: "col" }, t("voucher.account")),
            h("th", { scope: "col" }, t("voucher.subledger")), h("th", { scope: "col", class: "num" }, t("voucher.debit")),
            h("th", { scope: "col", class: "num" }, t("voucher.credit")), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("voucher.remove_line", { n: "" }))))),
          linesBody,
          h("tfoot", {}, h("tr", {},
            h("th", { scope: "row", colspan: "3" }, t("voucher.totals")),
            h("td", { class: "num", "data-label": t("voucher.debit_total") }, debitTotal),
            h("td", { class: "num", "data-label": t("voucher.credit_total") }, creditTotal),
            h("td"))))),
      fields.lines,
      fields.totals,
      h("p", { class: "words" }, h("span", { class: "label" }, `${t("voucher.in_words")}${t("common.colon")}`), words),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => { draft.lines.push(blankLine()); renderLines();
          linesBody.lastElementChild.querySelector("input").focus(); } }, t("voucher.add_line")),
        submit,
        h("button", { type: "button", class: "secondary", onclick: () => { drafts.delete(book.book_code); ctx.go(ctx.pathname); } },
          t("voucher.clear"))));

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return; // a second click while the first is on its way does nothing (and would replay the same key)
      busy = true;
      submit.disabled = true;
      submit.textContent = t("voucher.submitting");
      clearProblems(form);
      const { body, rows } = voucherBody(draft);
      try {
        const voucher = await post(path("books", book.book_code, "vouchers"), body, draft.key);
        drafts.delete(book.book_code);
        const next = newDraft();
        next.voucher_date = draft.voucher_date; // the next voucher is usually of the same day
        next.recorded = voucher.number;
        drafts.set(book.book_code, next);
        ctx.go(ctx.pathname);
      } catch (problem) {
        busy = false;
        submit.disabled = false;
        submit.textContent = t("voucher.submit");
        showProblem(form, problem, { fields, locate: (loc) => locate(loc, rows), place: (p) => place(p, draft) });
      }
    });

    renderLines();
    const closed = book.closed_months.length ? book.closed_months[book.closed_months.length - 1] : null;
    const recorded = draft.recorded;
    draft.recorded = null;
    return h("div", {},
      heading(t("voucher.title"), `${book.name} · ${book.book_code}`),
      recorded ? notice(h("span", {}, t("voucher.recorded", { number: recorded }), " ",
        link(t("voucher.print_it"), `/b/${encodeURIComponent(book.book_code)}/vouchers/${encodeURIComponent(recorded)}`))) : null,
      h("p", { id: "voucher-intro", class: "sub" }, t("voucher.intro"),
        closed ? ` ${t("voucher.closed_hint", { month: closed })}` : ""),
      form);
  },
};

/** A validation error's location in the body → the form's field (rows map sent lines back to form rows). */
function locate(loc, rows) {
  const [first, index, name] = loc;
  if (first === "voucher_date") return "date";
  if (first === "summary" || first === "attachments") return first;
  if (first === "lines" && index === undefined) return "lines";
  if (first === "lines") {
    const row = rows[Number(index)];
    if (row === undefined) return "lines";
    return `line${row}.${["account_code", "debit", "credit", "subledger"].includes(name) ? name : "account_code"}`;
  }
  return null;
}

/** A rule's problem → the field it concerns. */
function place(problem, draft) {
  const message = { field: null, message: "" };
  const rowOf = (code) => draft.lines.findIndex((line) => line.account_code.trim().split(/\s+/)[0] === code);
  const accountIn = (detail) => (detail.match(/(?:account|line on) '?([0-9.]+)'?/) || [])[1];
  switch (problem.slug) {
    case "unbalanced-entry":
      return [{ ...message, field: "totals", message: t("problem.unbalanced-entry") }];
    case "too-few-lines":
    case "too-many-lines":
      return [{ field: "lines", message: t(`problem.${problem.slug}`) }];
    case "invalid-line":
    case "unknown-account":
    case "account-not-postable":
    case "invalid-sub-account": {
      const row = rowOf(accountIn(problem.detail));
      const fieldName = row < 0 ? "lines" : `line${row}.${problem.slug === "invalid-line" ? "debit" : "account_code"}`;
      return [{ field: fieldName, message: t(`problem.${problem.slug}`) }];
    }
    case "period-closed":
    case "voucher-before-book-start":
    case "voucher-date-out-of-range":
      return [{ field: "date", message: t(`problem.${problem.slug}`) }];
    case "invalid-summary":
      return [{ field: "summary", message: t("problem.invalid-summary") }];
    default:
      return [];
  }
}
