// 校验哈希链 (auditor): re-derive the chain from the stored events and show the first bad position, if any.
import { get } from "../api.js";
import { t } from "../i18n.js";
import { problemBlock } from "../problems.js";
import { field, h, heading } from "../ui.js";
import { AUDITOR } from "./roles.js";

export default {
  id: "verify", path: "/verify", roles: AUDITOR, menu: "top", label: "nav.verify",
  async render() {
    const result = h("div", { class: "verify-result", "aria-live": "polite" });
    const button = h("button", { type: "button", class: "primary", "data-autofocus": true }, t("verify.run"));
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = t("verify.running");
      result.replaceChildren();
      try {
        const report = await get("/audit/verify", { checkpoint: noted.value.trim() });
        const cp = (c) => (c ? `${t("verify.cp", { n: c.number ?? "—", position: c.head_position, holds: t(c.holds ? "verify.holds" : "verify.not_holds") })}${c.problem ? ` — ${c.problem}` : ""} · ${c.head_link}` : "—");
        const rows = [
          ["verify.checked", String(report.events_checked)],
          ["verify.head_position", report.head_position ?? "—"],
          ["verify.head_link", h("code", { class: "hash full" }, report.head_link || "—")],
          report.ok ? null : ["verify.first_bad", String(report.first_bad_position ?? "—")],
          report.problem ? ["verify.problem", report.problem] : null,
          report.detail ? ["verify.detail", report.detail] : null,
          ["verify.checkpoints", String(report.checkpoints_checked)],
          report.first_broken_checkpoint ? ["verify.broken", cp(report.first_broken_checkpoint)] : null,
          report.expected_checkpoint ? ["verify.expected", cp(report.expected_checkpoint)] : null,
          report.latest_checkpoint ? ["verify.latest", cp(report.latest_checkpoint)] : null,
          report.truncated ? ["verify.truncated", report.truncated] : null,
        ].filter(Boolean);
        result.replaceChildren(
          h("p", { class: `verdict ${report.ok ? "ok" : "bad"}`, role: "status" }, t(report.ok ? "verify.ok" : "verify.bad")),
          h("dl", { class: "facts" }, rows.map(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)])));
      } catch (problem) {
        result.replaceChildren(problemBlock(problem));
      } finally {
        button.disabled = false;
        button.textContent = t("verify.run");
      }
    });
    const noted = h("input", { type: "text", name: "checkpoint", spellcheck: "false", autocomplete: "off" });
    return h("div", {}, heading(t("verify.title"), t("verify.intro")), field(t("verify.noted"), noted),
      h("div", { class: "actions" }, button), result);
  },
};
