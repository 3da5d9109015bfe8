// Who may open a view, as the API decides (DOMAIN.md §7): only accountants record;
// every reader in scope reads books and reports; auditors read the history and verify the chain.
export const ACCOUNTANT = ["accountant"];
export const READERS = ["accountant", "auditor", "township"];
export const AUDITOR = ["auditor"];
export const collective = (book) => book.entity_kind === "collective";
export const fund = (book) => book.entity_kind === "maintenance_fund";
