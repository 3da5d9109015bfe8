// A report of one book (a statement or a register) as a view: it reads one API path with the
// parameters the address holds, under the parameters form and the export buttons, so the address
// says what is shown, Back works, and a download is exactly what the page shows. Each report
// declares only what differs: its API path, its parameters, its file name and what it draws.

import { get } from "../api.js";
import { t } from "../i18n.js";
import { exportTools, h, heading, pager, paramsForm, todayCst } from "../ui.js";

/** The parameters a report may take from the address (label: an i18n key; type: the input's). */
export const AS_OF = { name: "as_of", label: "common.as_of" };
export const FROM = { name: "from", label: "common.from" };
export const YEAR = { name: "year", label: "common.year", type: "number" };

/**
 * A view ({id, path, roles, menu, label, when}) of a report, with
 * - api(ctx): the API path read;
 * - params: the address parameters it reads and the form shows (as_of is today in CST when the address has none);
 * - pageSize: when given, the read is paged by the address's cursor, with first / next page links;
 * - fixed: query parameters always sent to the API (and the export), never in the address (a read's limit);
 * - fileName(ctx, data): the exported file's name;
 * - draw(ctx, data, asked): {title, sub, body} — the heading and the nodes under the export buttons.
 */
export function reportView({ api, params = [], pageSize, fixed = {}, fileName, draw, ...view }) {
  return {
    ...view,
    async render(ctx) {
      const asked = Object.fromEntries(params.map(({ name }) =>
        [name, name === "as_of" ? ctx.query.as_of || todayCst() : ctx.query[name]]));
      const paging = { ...fixed, ...(pageSize ? { cursor: ctx.query.cursor, limit: pageSize } : {}) };
      const apiPath = api(ctx);
      const data = await get(apiPath, { ...asked, ...paging });
      const { title, sub, body } = draw(ctx, data, asked);
      const shown = "as_of" in asked ? { ...asked, as_of: data.as_of || asked.as_of } : asked; // the date the answer is as of
      return h("div", {},
        heading(title, sub),
        params.length ? paramsForm(ctx, params.map(({ name, label, type }) => ({ name, label: t(label), type, value: asked[name] }))) : null,
        exportTools(apiPath, { ...shown, ...paging }, fileName(ctx, data)),
        body,
        pageSize ? pager(ctx, asked, data.next_cursor) : null);
    },
  };
}
