// 校验哈希链 (auditor): re-derive the chain from the stored events and show the first bad position, if any.
import { get } from "../api.js";
import { addLabels, t } from "../i18n.js";
import { problemBlock } from "../problems.js";
import { field, h, heading } from "../ui.js";
import { AUDITOR } from "./roles.js";

addLabels({
  "verify.title": ["校验哈希链", "Verify the hash chain"],
  "verify.intro": ["从存储的原始事件重新计算哈希链，报告第一个被篡改、删除或插入的位置。可把链头记录在系统之外，用来锁定历史。",
    "Re-derives the chain from the stored events and reports the first altered, deleted or inserted position. Write the head link down outside the system to pin the history."],
  "verify.run": ["开始校验", "Verify now"],
  "verify.running": ["正在校验…", "Verifying…"],
  "verify.ok": ["✓ 校验通过：历史未被篡改", "✓ Verified: the history is intact"],
  "verify.bad": ["✗ 校验未通过", "✗ Verification failed"],
  "verify.checked": ["已校验事件数", "Events checked"],
  "verify.head_position": ["链头位置", "Head position"],
  "verify.head_link": ["链头哈希", "Head link"],
  "verify.first_bad": ["第一个异常位置", "First bad position"],
  "verify.problem": ["问题", "Problem"],
  "verify.detail": ["说明", "Detail"],
  "verify.checkpoints": ["已检查封存点数", "Checkpoints checked"],
  "verify.latest": ["最新封存点（请另行记录）", "Latest checkpoint (note it outside)"],
  "verify.broken": ["第一个失效的封存点", "First broken checkpoint"],
  "verify.expected": ["外部记录的封存点", "Checkpoint noted outside"],
  "verify.noted": ["外部记录的封存点（可选，格式 位置:哈希）", "Checkpoint noted outside (optional, POSITION:LINK)"],
  "verify.cp": ["第 {n} 号 · 位置 {position} · {holds}", "No. {n} · position {position} · {holds}"],
  "verify.holds": ["有效", "holds"],
  "verify.not_holds": ["失效", "BROKEN"],
  "verify.truncated": ["截断迹象", "Truncation"],
});

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
