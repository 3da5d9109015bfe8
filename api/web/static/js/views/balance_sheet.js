// 资产负债表: assets beside liabilities and owners' equity, closing (as of) and at the start of the year.
import { path } from "../api.js";
import { pick, t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h } from "../ui.js";
import { AS_OF, reportView } from "./report.js";
import { READERS, collective } from "./roles.js";

const TOTALS_AFTER = { "流动资产": "current_assets", "非流动资产": "non_current_assets", "流动负债": "current_liabilities",
  "非流动负债": "non_current_liabilities", "所有者权益": "equity" };

function sideRows(lines, totals, sides, grandKeys) {
  const byKey = new Map(totals.map((total) => [total.key, total]));
  const rows = [];
  let group = null;
  const closeGroup = () => {
    const key = group && TOTALS_AFTER[group];
    if (key && byKey.has(key)) rows.push({ ...byKey.get(key), rowClass: "subtotal" });
  };
  for (const line of lines.filter((l) => sides.includes(l.side))) {
    if (line.group_zh !== group) {
      closeGroup();
      group = line.group_zh;
      if (group) rows.push({ key: `group-${group}`, name_zh: line.group_zh, name_en: line.group_en, heading: true, rowClass: "group" });
    }
    rows.push(line);
  }
  closeGroup();
  for (const key of grandKeys) if (byKey.has(key)) rows.push({ ...byKey.get(key), rowClass: "grand" });
  return rows;
}

export default reportView({
  id: "balance-sheet", path: "/b/:book/balance-sheet", roles: READERS, menu: "book", label: "nav.balance_sheet",
  when: collective,
  api: (ctx) => path("collective", "organisations", ctx.book.book_code, "statements", "balance-sheet"),
  params: [AS_OF],
  fileName: (ctx, sheet) => `balance-sheet-${ctx.book.book_code}-${sheet.as_of}`,
  draw(ctx, sheet) {
    const columns = [
      { label: t("bs.item"), value: (r) => (r.heading ? h("strong", {}, pick(r.name_zh, r.name_en)) : pick(r.name_zh, r.name_en)) },
      { label: t("bs.closing"), num: true, value: (r) => (r.heading ? "" : formatAmount(r.closing)), csv: (r) => r.closing ?? "" },
      { label: t("bs.opening"), num: true, value: (r) => (r.heading ? "" : formatAmount(r.opening)), csv: (r) => r.opening ?? "" },
    ];
    const assets = sideRows(sheet.lines, sheet.totals, ["assets"], ["assets"]);
    const others = sideRows(sheet.lines, sheet.totals, ["liabilities", "equity"], ["liabilities", "liabilities_and_equity"]);
    const total = sheet.totals.find((x) => x.key === "assets");
    return { title: t("bs.title"), sub: `${ctx.book.name} · ${t("bs.as_of", { as_of: sheet.as_of, opening: sheet.opening_as_of })}`, body: [
      h("p", { class: `balance-status ${sheet.balanced ? "ok" : "bad"}`, role: "status" }, t(sheet.balanced ? "bs.balanced" : "bs.unbalanced")),
      h("div", { class: "side-by-side" },
        dataTable({ caption: t("bs.assets"), columns, rows: assets, className: "report" }),
        dataTable({ caption: t("bs.liabilities_equity"), columns, rows: others, className: "report" })),
      total ? h("p", { class: "in-words" }, `${pick(total.name_zh, total.name_en)}${t("common.paren_open")}${t("common.uppercase")}${t("common.paren_close")}${t("common.colon")}${total.closing_uppercase}`) : null] };
  },
});
