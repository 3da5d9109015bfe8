// 补贴申领 (township office): every community's property-fee subsidy claims; approve one or return it with a reason.
import { get, newKey, path, post } from "../api.js";
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { clearProblems, showProblem } from "../problems.js";
import { dataTable, field, formProblem, h, heading, notice, todayCst, exportTools } from "../ui.js";

const keys = new Map(); // one Idempotency-Key per decision form, kept until it succeeds

export default {
  id: "claims", path: "/claims", roles: ["township", "auditor"], menu: "top", label: "nav.claims",
  async render(ctx) {
    const townships = ctx.me.scope.kind === "township" ? ctx.me.scope.ids : [...new Set(ctx.books.map((b) => b.township_id))].sort();
    const township = ctx.query.township || townships[0];
    if (!township) return h("div", {}, heading(t("claims.title")), notice(t("common.empty"), "info"));
    const register = await get(path("townships", township, "subsidy-claims"));
    const decides = ctx.me.role === "township";
    const columns = [
      { label: t("claims.book"), nowrap: true, value: (c) => c.book_code },
      { label: t("claims.code"), nowrap: true, value: (c) => c.claim_code },
      { label: t("claims.months"), nowrap: true, value: (c) => (c.months.length > 1 ? `${c.months[0]} – ${c.months[c.months.length - 1]}` : c.months[0] || ""),
        csv: (c) => c.months.join(" ") },
      { label: t("claims.households"), num: true, value: (c) => String(c.households) },
      { label: t("claims.amount"), num: true, value: (c) => formatAmount(c.amount), csv: (c) => c.amount },
      { label: t("claims.approved"), num: true, value: (c) => formatAmount(c.approved), csv: (c) => c.approved },
      { label: t("claims.received"), num: true, value: (c) => formatAmount(c.received), csv: (c) => c.received },
      { label: t("claims.outstanding"), num: true, value: (c) => formatAmount(c.outstanding), csv: (c) => c.outstanding },
      { label: t("claims.submitted_on"), nowrap: true, value: (c) => c.submitted_on || "" },
      { label: t("claims.status"), value: (c) => [t(`status.${c.status}`), c.returned_reason ? `${t("common.colon")}${c.returned_reason}` : ""].join(""),
        csv: (c) => `${c.status} ${c.returned_reason || ""}`.trim() },
    ];
    if (decides) columns.push({ label: t("claims.decision"), value: (c) => (c.status === "submitted" ? decision(ctx, c) : ""), csv: () => "" });
    const select = townships.length > 1 ? h("select", { name: "township" },
      townships.map((id) => h("option", { value: id, selected: id === township }, id))) : null;
    select?.addEventListener("change", () => ctx.go(ctx.pathname, { township: select.value }));
    return h("div", {},
      heading(t("claims.title"), t("claims.intro")),
      ctx.flash ? notice(ctx.flash) : null,
      select ? h("div", { class: "params" }, field(t("claims.township"), select)) : null,
      exportTools(path("townships", township, "subsidy-claims"), {}, `subsidy-claims-${township}`),
      h("p", {}, t("claims.totals", { claimed: formatAmount(register.claimed), approved: formatAmount(register.approved),
        received: formatAmount(register.received), outstanding: formatAmount(register.outstanding) })),
      dataTable({ caption: `${t("claims.title")} · ${township}`, columns, rows: register.claims }));
  },
};

function decision(ctx, claim) {
  const id = `${claim.book_code}/${claim.claim_code}`;
  if (!keys.has(id)) keys.set(id, { approve: newKey(), return: newKey() });
  const reason = h("input", { type: "text", name: "reason", maxlength: "200" });
  const reasonField = field(t("claims.reason", { claim: claim.claim_code }), reason, { className: "compact" });
  const form = h("form", { class: "decision", novalidate: true }, formProblem(), reasonField,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", name: "approve", value: "approve" }, t("claims.approve")),
      h("button", { type: "submit", class: "danger", name: "return", value: "return" }, t("claims.return"))));
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const action = event.submitter?.value === "return" ? "return" : "approve";
    clearProblems(form);
    busy = true;
    form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    const base = path("books", claim.book_code, "subsidy-claims", claim.claim_code);
    try {
      if (action === "approve") await post(`${base}/approval`, { approved_on: todayCst() }, keys.get(id).approve);
      else await post(`${base}/return`, { reason: reason.value.trim(), returned_on: todayCst() }, keys.get(id).return);
      keys.delete(id);
      ctx.setFlash(t(action === "approve" ? "claims.approved_done" : "claims.returned_done", { claim: claim.claim_code }));
      ctx.go(ctx.pathname, ctx.query);
    } catch (problem) {
      busy = false;
      form.querySelectorAll("button").forEach((button) => { button.disabled = false; });
      showProblem(form, problem, { fields: { reason: reasonField }, locate: (loc) => (loc[0] === "reason" ? "reason" : null) });
    }
  });
  return form;
}
