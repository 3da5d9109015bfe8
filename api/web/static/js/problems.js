// Problems (RFC 9457) from the API, in the reader's language, placed next to the field they concern.

import { t, addLabels, pick } from "./i18n.js";

addLabels({
  "problem.unbalanced-entry": ["借贷不平衡：借方合计必须等于贷方合计。", "Debits and credits differ: the totals must be equal."],
  "problem.too-few-lines": ["一张凭证至少需要两行分录。", "A voucher needs at least two lines."],
  "problem.too-many-lines": ["分录行数过多。", "Too many lines."],
  "problem.invalid-line": ["每行分录须且只能填写借方或贷方之一，金额大于零。", "Each line takes a debit or a credit above zero, not both."],
  "problem.invalid-summary": ["摘要不符合要求。", "The summary is not acceptable."],
  "problem.unknown-account": ["科目表中没有这个科目。", "This account is not in the book's chart."],
  "problem.account-not-postable": ["这是上级科目，只能记入末级（明细）科目。", "This account has sub-accounts: post to one of them."],
  "problem.invalid-sub-account": ["明细科目不符合要求。", "The sub-account is not acceptable."],
  "problem.period-closed": ["该月已结账，不能记入；更正请记入未结账的当前月份。", "That month is closed; corrections go into an open month."],
  "problem.period-not-closed": ["该月尚未结账。", "That month is not closed."],
  "problem.period-close-out-of-order": ["须按月份顺序结账：请先结上一个月。", "Months close in order: close the previous month first."],
  "problem.reopen-needs-auditor": ["反结账须由审计人员操作。", "Only an auditor may re-open a month."],
  "problem.voucher-not-found": ["没有这张凭证。", "No such voucher."],
  "problem.voucher-already-reversed": ["这张凭证已被冲销（每张凭证只能冲销一次）。", "This voucher has already been reversed (once only)."],
  "problem.red-voucher-cannot-be-reversed": ["红字凭证不能再冲销。", "A red voucher cannot be reversed."],
  "problem.correction-date-before-original": ["更正凭证的日期不能早于原凭证。", "The correction cannot be dated before the original."],
  "problem.voucher-before-book-start": ["凭证日期早于账套启用日期。", "The date is before the book starts."],
  "problem.voucher-date-out-of-range": ["凭证日期超出允许范围。", "The date is out of range."],
  "problem.invalid-amount": ["金额不正确：最多两位小数。", "Invalid amount: at most two decimals."],
  "problem.book-not-found": ["没有这个账套。", "No such book."],
  "problem.organisation-not-found": ["该账套尚未登记为集体经济组织，暂无此报表。", "This book is not registered as a collective organisation: no such statement."],
  "problem.tenant-not-found": ["没有这个承租人。", "No such tenant."],
  "problem.not-found": ["未找到。", "Not found."],
  "problem.unauthenticated": ["令牌无效或已吊销，请重新登录。", "Unknown or revoked token: sign in again."],
  "problem.forbidden-role": ["当前角色无权进行此操作。", "This role may not do this."],
  "problem.out-of-scope": ["不在本令牌的管辖范围内。", "Outside this token's scope."],
  "problem.invalid-request": ["填写内容有误，请检查标出的栏目。", "Some fields are not valid: see the marked fields."],
  "problem.invalid-period": ["起始日期不能晚于截至日期。", "The start must not be after the end date."],
  "problem.invalid-as-of": ["日期不正确。", "Invalid date."],
  "problem.idempotency-key-reused": ["此表单已用于另一笔提交，请重新打开表单后再试。", "This form was already used for another request: open a new form."],
  "problem.concurrent-modification": ["有人同时修改了相同的记录，请重试。", "Someone changed the same records at the same time: retry."],
  "problem.store-unavailable": ["存储暂时不可用，请稍后重试。", "The store is unavailable: retry later."],
  "problem.timeout": ["请求超时，请重试。", "The request timed out: retry."],
  "problem.network-error": ["无法连接服务器，请检查网络后重试。", "Cannot reach the server."],
  "problem.internal-error": ["服务器内部错误。", "Internal server error."],
  "problem.request-too-large": ["请求过大。", "The request is too large."],
  "problem.other": ["请求未被接受（{status}）。", "The request was not accepted ({status})."],
  "field.missing": ["必填。", "Required."],
  "field.too_long": ["内容过长。", "Too long."],
  "field.amount": ["金额格式不正确：只能是数字，最多两位小数，如 1234.50。", "Amount: digits with at most two decimals, e.g. 1234.50."],
  "field.account": ["科目编码格式如 102 或 501.01。", "Account codes look like 102 or 501.01."],
  "field.date": ["请填写有效日期。", "Enter a valid date."],
  "field.integer": ["请填写整数。", "Enter a whole number."],
  "field.range": ["数值超出允许范围。", "The number is out of range."],
  "field.invalid": ["填写内容不正确。", "Not valid."],
});

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

addLabels({
  "problem.import-rows-invalid": ["文件有错误，整份未导入：请按下表逐行改正后重新上传。", "The file has errors and nothing was imported: correct every row below and upload it again."],
  "problem.import-file-empty": ["文件是空的。", "The file is empty."],
  "problem.import-file-not-xlsx": ["不是有效的 XLSX 文件。", "Not a valid XLSX file."],
  "problem.import-file-not-utf8": ["CSV 文件须为 UTF-8 编码。", "A CSV file must be UTF-8."],
  "problem.import-file-unsupported-type": ["只接受 XLSX 或 CSV 文件。", "Only XLSX or CSV files are accepted."],
  "problem.import-wrong-template": ["表头与模板不符，请使用下载的模板。", "The header does not match the template: use the downloaded template."],
  "problem.import-too-many-rows": ["行数超过上限。", "Too many rows."],
  "problem.opening-balances-unbalanced": ["期初余额借贷不平衡：借方合计必须等于贷方合计。", "Opening balances: debits must equal credits."],
  "problem.opening-balances-locked": ["首月已结账，期初余额已锁定；请在未结账月份以凭证更正。", "The first month has been closed: opening balances are locked; correct them by a voucher."],
  "problem.invalid-opening-line": ["期初余额行不正确。", "An opening-balance line is not valid."],
  "problem.checkpoint-head-already-sealed": ["该链头已封存。", "This head is already sealed."],
  "problem.as-recorded-at-in-future": ["记录时点晚于现在或晚于已读取的位置。", "The recorded-at point is later than now."],
  "problem.invalid-as-recorded-at": ["记录时点须为日志位置（数字）或带时区的时间。", "As recorded at: a log position (digits) or a time with its offset."],
  "problem.township-not-found": ["没有这个乡镇的账套。", "No books in this township."],
  "problem.history-not-readable": ["该聚合的历史无法读取，请运行校验。", "This history cannot be read: run verify."],
  "problem.ambiguous-aggregate": ["编码对应多个聚合，请按事件流编号查询。", "The code names several aggregates: use a stream id."],
  "problem.aggregate-not-found": ["没有这个聚合。", "No such aggregate."],
  "problem.not-exportable": ["此报表不能导出为文件。", "This statement cannot be exported."],
  "problem.pdf-font-missing": ["服务器缺少 PDF 中文字体。", "The server lacks the PDF font."],
  "problem.invalid-export-format": ["导出格式不正确。", "Unknown export format."],
  "problem.row": ["第 {row} 行", "Row {row}"],
});

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
