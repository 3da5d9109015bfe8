// The page's views: one module per view. A capability adds its view by writing one module, listing
// it here and adding its labels to ../labels.json. Each view: {id, path ("/b/:book/…"), roles,
// menu ("top" | "book" | none), label (an i18n key), when?(book) (shown for which books), render(ctx) → Node}.

import books from "./books.js";
import bookHome from "./book_home.js";
import voucherForm from "./voucher_form.js";
import voucherList from "./voucher_list.js";
import voucherView from "./voucher_view.js";
import periods from "./periods.js";
import trialBalance from "./trial_balance.js";
import accountLedger from "./account_ledger.js";
import balanceSheet from "./balance_sheet.js";
import income from "./income.js";
import rentRoll from "./rent_roll.js";
import arrears from "./arrears.js";
import tenants from "./tenants.js";
import tenantStatement from "./tenant_statement.js";
import township from "./township.js";
import townshipClaims from "./township_claims.js";
import events from "./events.js";
import verify from "./verify.js";
import townshipStatements from "./township_statements.js";
import audit from "./audit.js";
import imports from "./imports.js";
import households from "./households.js";
import householdSchedule from "./household_schedule.js";
import householdBills from "./household_bills.js";
import subsidyClaims from "./subsidy_claims.js";
import feeArrears from "./fee_arrears.js";
import funds from "./funds.js";
import fundUnits from "./fund_units.js";
import fundUnitStatement from "./fund_unit_statement.js";
import fundStatement from "./fund_statement.js";

export const VIEWS = [
  township, townshipStatements, townshipClaims, books, funds, events, ...audit, verify,
  bookHome, voucherForm, voucherList, voucherView, periods,
  trialBalance, accountLedger, balanceSheet, income,
  rentRoll, arrears, tenants, tenantStatement,
  households, householdSchedule, householdBills, ...subsidyClaims, feeArrears,
  fundUnits, fundUnitStatement, fundStatement, ...imports,
];
