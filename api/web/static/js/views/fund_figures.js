// The figures of a fund's or a unit's year (Arts. 30–31: opening, deposits by source, value-added income, uses
// by works, refunds, closing; and the shortfall receivables) as one statement table, the API's amounts as given.
import { t } from "../i18n.js";
import { formatAmount } from "../money.js";
import { dataTable, h } from "../ui.js";

const SOURCES = { first_deposit: "src.first_deposit", land_quota: "src.land_quota", fiscal: "src.fiscal", donation: "src.donation",
  support_project: "src.support_project", community_public_income: "src.community_public_income",
  resident_instalment: "src.resident_instalment" };

/** The statement table of ``figures`` (FiguresOut), captioned; each row {item, amount, sub?}. */
export function figuresTable(caption, f) {
  const rows = [
    { item: t("fig.opening"), amount: f.opening },
    { item: t("fig.deposits"), amount: f.deposits },
    ...f.deposits_by_source.map((d) => ({ item: SOURCES[d.source] ? t(SOURCES[d.source]) : d.label || d.source, amount: d.amount, sub: true })),
    { item: t("fig.value_added"), amount: f.value_added_income },
    { item: t("fig.uses"), amount: f.uses },
    ...f.uses_by_works.map((w) => ({ item: `${w.works_code} ${w.title}`.trim(), amount: w.amount, sub: true })),
    { item: t("fig.refunds"), amount: f.refunds },
    { item: t("fig.closing"), amount: f.closing, rowClass: "grand" },
    { item: t("fig.receivable_opening"), amount: f.receivable_opening },
    { item: t("fig.receivable_charged"), amount: f.receivable_charged },
    { item: t("fig.receivable_paid"), amount: f.receivable_paid },
    { item: t("fig.receivable_closing"), amount: f.receivable_closing },
  ];
  const columns = [
    { label: t("fig.item"), value: (r) => (r.sub ? h("span", { class: "level-2" }, r.item) : r.item), csv: (r) => r.item },
    { label: t("common.amount"), num: true, value: (r) => formatAmount(r.amount), csv: (r) => r.amount },
  ];
  return [dataTable({ caption, columns, rows, className: "report figures" }),
    h("p", { class: "in-words" }, t("fig.closing_words", { amount: formatAmount(f.closing), words: f.closing_uppercase }))];
}
