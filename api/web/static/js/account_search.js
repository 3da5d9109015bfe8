// Account search (科目) over a book's chart: a combobox (WAI-ARIA pattern) that suggests the
// postable (末级) accounts whose code starts with, or whose name contains, what is typed.

import { pick, t } from "./i18n.js";
import { h, uid } from "./ui.js";

/** code → account, and the postable accounts in chart order, from GET /books/{book}. */
export function chartIndex(book) {
  const byCode = new Map(book.chart.accounts.map((account) => [account.code, account]));
  return { byCode, postable: book.chart.accounts.filter((account) => account.postable) };
}

export function accountName(index, code) {
  const account = index.byCode.get(code);
  return account ? pick(account.name_zh, account.name_en) : "";
}

/** What the typed text means: {account} (postable), {parent, children}, {unknown} or {empty}. */
export function resolveAccount(index, text) {
  const typed = String(text || "").trim();
  if (!typed) return { empty: true };
  const code = typed.split(/\s+/)[0];
  const account = index.byCode.get(code) || index.postable.find((a) => a.name_zh === typed || a.name_en === typed);
  if (!account) return { unknown: true, code: typed };
  if (!account.postable) {
    return { parent: account, children: index.postable.filter((a) => a.code.startsWith(`${account.code}.`)) };
  }
  return { account };
}

export function describeResolution(resolution) {
  if (resolution.account) return pick(resolution.account.name_zh, resolution.account.name_en);
  if (resolution.parent) {
    const children = resolution.children.map((a) => `${a.code} ${pick(a.name_zh, a.name_en)}`).join("、");
    return t("account.not_postable", { code: resolution.parent.code, children });
  }
  if (resolution.unknown) return t("account.unknown", { code: resolution.code });
  return "";
}

function matches(index, text) {
  const typed = text.trim().toLowerCase();
  if (!typed) return index.postable.slice(0, 8);
  return index.postable.filter((a) => a.code.startsWith(typed) || a.name_zh.includes(text.trim())
    || a.name_en.toLowerCase().includes(typed)).slice(0, 8);
}

/** The input with its suggestion list; ``onPick`` runs when an account is chosen or the text changes. */
export function accountInput(index, { value = "", onChange = () => {}, label }) {
  const input = h("input", { type: "text", value, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    autocomplete: "off", spellcheck: "false", class: "account-input" });
  const list = h("ul", { role: "listbox", id: uid("accounts"), class: "suggestions", hidden: true,
    "aria-label": `${label} · ${t("account.suggestions")}` });
  input.setAttribute("aria-controls", list.id);
  let options = [];
  let active = -1;

  function open() {
    options = matches(index, input.value);
    list.replaceChildren(...options.map((account, i) => h("li", {
      role: "option", id: `${list.id}-${i}`, "aria-selected": "false", dataset: { code: account.code },
      onmousedown: (event) => { event.preventDefault(); choose(i); },
    }, h("span", { class: "code" }, account.code), " ", pick(account.name_zh, account.name_en))));
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    setActive(-1);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(i) {
    active = i;
    [...list.children].forEach((option, n) => option.setAttribute("aria-selected", String(n === i)));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", `${list.id}-${i}`);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  function choose(i) {
    input.value = options[i].code;
    close();
    onChange(input.value);
  }

  input.addEventListener("input", () => { open(); onChange(input.value); });
  input.addEventListener("focus", () => { if (!input.value) open(); });
  input.addEventListener("blur", () => {
    close();
    const resolution = resolveAccount(index, input.value);
    if (resolution.account && input.value !== resolution.account.code) {
      input.value = resolution.account.code; // a typed name becomes its code
      onChange(input.value);
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) open();
      setActive(Math.min(active + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  return { input, list };
}
