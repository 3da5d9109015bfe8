// Problems (RFC 9457) from the API, in the reader's language, placed next to the field they concern.

import { t, pick } from "./i18n.js";

/** The problem's message in the current language (with the API's own detail kept for precision). */
export function problemText(problem) {
  const key = `problem.${problem.slug}`;
  const text = t(key, { status: problem.status });
  return text === key ? t("problem.other", { status: problem.status || "—" }) : text;
}

/** A validation error item ({loc, msg, type}) → a message for its field. */
export function fieldText(item) {
  const last = String(item.loc?.[item.loc.length - 1] ?? "");
  const type = item.type || "";
  if (type === "missing" || type === "string_too_short") return t("field.missing");
  if (type === "string_too_long") return t("field.too_long");
  if (type.startsWith("date") || last.endsWith("date") || last.endsWith("_on")) return t("field.date");
  if (["debit", "credit", "amount"].includes(last) || type === "invalid-amount") return t("field.amount");
  if (last === "account_code") return t("field.account");
  if (type.startsWith("int")) return t("field.integer");
  if (type.startsWith("less_than") || type.startsWith("greater_than")) return t("field.range");
  return t("field.invalid");
}

/**
 * Show a problem on a form. ``place(problem)`` returns [{field, message}] for the problems it can place
 * (fields are keys of ``fields``: name → element with an error slot); what it cannot place goes to the
 * form's summary. Validation errors (422 invalid-request) are placed by their ``loc`` via ``locate``.
 */
export function showProblem(form, problem, { fields = {}, locate = () => null, place = () => [] } = {}) {
  clearProblems(form);
  const placed = [];
  if (problem.slug === "invalid-request" && problem.errors.length) {
    for (const item of problem.errors) {
      const name = locate(item.loc.filter((part) => part !== "body"));
      if (name && fields[name]) placed.push({ field: name, message: fieldText(item) });
    }
  } else {
    placed.push(...place(problem).filter((item) => fields[item.field]));
  }
  for (const { field, message } of placed) markField(fields[field], message, problem.detail);
  const summary = form.querySelector(".form-problem");
  if (summary) {
    summary.replaceChildren(problemText(problem));
    if (problem.detail && problem.slug !== "invalid-request") {
      const detail = document.createElement("small");
      detail.className = "problem-detail";
      detail.lang = "en";
      detail.textContent = problem.detail;
      summary.append(" ", detail);
    }
    summary.hidden = false;
  }
  const first = placed.length ? fields[placed[0].field] : null;
  (first?.querySelector("input, select, textarea") || first || summary)?.focus?.();
  return placed;
}

/** Mark one field (its wrapper, which holds the input and an .error slot) with a message. */
export function markField(wrapper, message, detail = "") {
  const slot = wrapper.querySelector(".error") || wrapper.appendChild(document.createElement("p"));
  slot.className = "error";
  slot.textContent = message;
  if (detail && pick(true, false)) slot.title = detail;
  slot.hidden = false;
  wrapper.classList.add("invalid");
  wrapper.querySelectorAll("input, select, textarea").forEach((input) => input.setAttribute("aria-invalid", "true"));
}

export function clearProblems(form) {
  form.querySelectorAll(".invalid").forEach((wrapper) => wrapper.classList.remove("invalid"));
  form.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
  form.querySelectorAll(".error").forEach((slot) => {
    slot.textContent = "";
    slot.hidden = true;
  });
  const summary = form.querySelector(".form-problem");
  if (summary) {
    summary.textContent = "";
    summary.hidden = true;
  }
}

/**
 * A problem as a block: the message in the reader's language, then the API's own title and detail,
 * then each listed error (loc/msg, or an import's row/column/rule/message) as a list.
 */
export function problemBlock(problem) {
  const box = document.createElement("div");
  box.className = "notice bad problem";
  box.setAttribute("role", "alert");
  const head = document.createElement("p");
  head.textContent = problemText(problem);
  box.append(head);
  if (problem.title || problem.detail) {
    const detail = document.createElement("p");
    detail.className = "problem-detail";
    detail.lang = "en";
    detail.textContent = [problem.title, problem.detail].filter(Boolean).join(" — ");
    box.append(detail);
  }
  if (problem.errors?.length && !problem.errors.some((e) => e.row !== undefined)) {
    const list = document.createElement("ul");
    for (const item of problem.errors) {
      const li = document.createElement("li");
      li.textContent = `${(item.loc || []).filter((p) => p !== "body").join(".")}: ${item.msg || item.message || item.type || ""}`;
      list.append(li);
    }
    box.append(list);
  }
  return box;
}
