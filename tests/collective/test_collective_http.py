"""A collective's whole year over HTTP, on SQLite and PostgreSQL, with hand-checked figures.

Worked example (DOMAIN.md §3): 净收益 9,999.99 (rent 12,000.00 less management
costs 2,000.01), no prior loss, rate 10 % → withdrawal 1,000.00, distributable
8,999.99; units 3 : 3 : 1 → 3,857.14 / 3,857.14 / 1,285.71 (one fen left over
goes to the largest remainder, m3). Then a loss year (2025: −2,000.00).
"""

from __future__ import annotations

from tests.collective.helpers import member, organisation_body, resolution, voucher

B = "/collective/organisations"


def _post_ok(api, path: str, body: dict | None = None, status: int = 201, token: str = "accountant") -> dict:
    response = api.post(path, body, token=token)
    assert response.status_code == status, response.text
    return response.json()


def _set_up_2024(api) -> None:
    """Organisation b1 with members m1, m2 (household h1) and m3 (h2), shares 3 : 3 : 1, and 2024's vouchers."""
    _post_ok(api, B, organisation_body())
    _post_ok(api, f"{B}/b1/member-confirmations", {
        "resolution": resolution("2024-01-05", "成员大会决议〔2024〕1号"),
        "members": [member("m1", 1, "h1"), member("m2", 2, "h1"), member("m3", 3, "h2")]})
    _post_ok(api, f"{B}/b1/share-plan", {
        "resolution": resolution("2024-01-10", "成员大会决议〔2024〕2号"), "effective_on": "2024-01-10",
        "holdings": [{"member_id": "m1", "units": "3"}, {"member_id": "m2", "units": "3"},
                     {"member_id": "m3", "units": "1"}]})
    _post_ok(api, "/books/b1/vouchers", voucher("2024-03-05", "12000.00", "102", "501.01", "门面租金"))
    _post_ok(api, "/books/b1/vouchers", voucher("2024-06-25", "2000.01", "513", "102", "管理费用"))


def _lines(statement: dict) -> dict[str, str]:
    return {line["key"]: line["amount"] for line in statement["lines"]}


def _sheet(sheet: dict, column: str = "closing") -> dict[str, str]:
    values = {line["key"]: line[column] for line in sheet["lines"]}
    values.update({total["key"]: total[column] for total in sheet["totals"]})
    return values


def test_collective_year_end_worked_example_with_uneven_remainder(api):
    _set_up_2024(api)
    close = _post_ok(api, f"{B}/b1/years/2024/close")
    assert close["net_income"] == "9999.99"
    assert close["voucher_numbers"] == ["记-2024-12-0001", "记-2024-12-0002"]
    adopted = _post_ok(api, f"{B}/b1/years/2024/distribution",
                       {"resolution": resolution("2024-12-28", "成员大会决议〔2024〕9号")})
    figures = adopted["figures"]
    assert figures["reserve_withdrawal"]["amount"] == "1000.00"
    assert figures["distributable_to_members"]["amount"] == "8999.99"
    assert figures["declared"]["amount"] == "8999.99"
    assert adopted["voucher_numbers"] == ["记-2024-12-0003", "记-2024-12-0004"]

    register = api.get(f"{B}/b1/dividend-register", as_of="2024-12-31").json()
    assert [(r["member_id"], r["units"], r["declared"], r["outstanding"]) for r in register["rows"]] == [
        ("m1", "3", "3857.14", "3857.14"), ("m2", "3", "3857.14", "3857.14"), ("m3", "1", "1285.71", "1285.71")]
    voucher_lines = api.get("/books/b1/vouchers/记-2024-12-0004").json()["lines"]
    assert [(l["account_code"], l["subledger"], l["debit"], l["credit"]) for l in voucher_lines] == [
        ("322.03", "", "8999.99", "0.00"), ("211", "member:m1", "0.00", "3857.14"),
        ("211", "member:m2", "0.00", "3857.14"), ("211", "member:m3", "0.00", "1285.71")]

    statement = api.get(f"{B}/b1/statements/income", year=2024, as_of="2024-12-31").json()
    lines = _lines(statement)
    assert (lines["operating_income"], lines["management_expenses"], lines["operating_result"]) == (
        "12000.00", "2000.01", "9999.99")
    assert (lines["total_result"], lines["net_income"], lines["opening_undistributed"]) == ("9999.99", "9999.99", "0.00")
    assert (lines["distributable_income"], lines["reserve_withdrawal"], lines["distributed_to_members"]) == (
        "9999.99", "1000.00", "8999.99")
    assert lines["closing_undistributed"] == "0.00"
    assert statement["net_income_uppercase"] == "玖仟玖佰玖拾玖元玖角玖分"
    assert statement["reconciles_with_balance_sheet"] is True

    sheet = api.get(f"{B}/b1/statements/balance-sheet", as_of="2024-12-31").json()
    values = _sheet(sheet)
    assert (values["cash"], values["payables"], values["reserve"], values["undistributed"]) == (
        "9999.99", "8999.99", "1000.00", "0.00")
    assert values["assets"] == values["liabilities_and_equity"] == "9999.99"
    assert sheet["balanced"] is True


def test_dividend_payments_partial_allowed_and_unpaid_stay_visible(api):
    _set_up_2024(api)
    _post_ok(api, f"{B}/b1/years/2024/close")
    _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28")})
    paid = _post_ok(api, f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-15", "payments": [
        {"member_id": "m1", "amount": "3857.14"}, {"member_id": "m2", "amount": "1000.00"}]})
    assert paid["voucher"]["total"] == "4857.14"
    assert paid["voucher"]["total_uppercase"] == "肆仟捌佰伍拾柒元壹角肆分"
    _post_ok(api, f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-20", "payments": [
        {"member_id": "m2", "amount": "0.14"}]})
    register = api.get(f"{B}/b1/dividend-register", as_of="2025-01-31", year=2024).json()
    assert [(r["member_id"], r["paid"], r["outstanding"]) for r in register["rows"]] == [
        ("m1", "3857.14", "0.00"), ("m2", "1000.14", "2857.00"), ("m3", "0.00", "1285.71")]
    assert register["years"] == [{"year": 2024, "members": 3, "declared": "8999.99", "paid": "4857.28",
                                  "outstanding": "4142.71", "outstanding_uppercase": "肆仟壹佰肆拾贰元柒角壹分"}]
    before_second = api.get(f"{B}/b1/dividend-register", as_of="2025-01-15", year=2024).json()
    assert before_second["rows"][1]["paid"] == "1000.00"
    sheet = _sheet(api.get(f"{B}/b1/statements/balance-sheet", as_of="2025-01-31").json())
    assert (sheet["cash"], sheet["payables"], sheet["assets"]) == ("5142.71", "4142.71", "5142.71")
    opening = _sheet(api.get(f"{B}/b1/statements/balance-sheet", as_of="2025-01-31").json(), "opening")
    assert opening["cash"] == "9999.99"
    member_ledger = api.get(f"{B}/b1/statements/detail-ledger", account="211", subledger="member:m2",
                            as_of="2025-01-31", **{"from": "2024-01-01"}).json()
    assert member_ledger["closing"] == {"direction": "贷", "debit": "0.00", "credit": "2857.00"}
    bank = api.get(f"{B}/b1/statements/bank-journal", as_of="2025-01-31").json()
    assert bank["opening"]["debit"] == "9999.99" and bank["closing"]["debit"] == "5142.71"
    member_view = api.get(f"{B}/b1/members/m2", as_of="2025-01-31").json()
    assert member_view["units"] == "3" and member_view["dividends"][0]["outstanding"] == "2857.00"


def test_payment_above_what_is_owed_is_rejected_and_records_nothing(api):
    _set_up_2024(api)
    _post_ok(api, f"{B}/b1/years/2024/close")
    _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28")})
    head = api.runtime.app.recorder.max_notification_id()
    too_much = api.post(f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-15", "payments": [
        {"member_id": "m1", "amount": "100.00"}, {"member_id": "m3", "amount": "1285.72"}]})
    assert too_much.status_code == 422, too_much.text
    assert too_much.json()["type"].endswith("/payment-exceeds-owed")
    unknown = api.post(f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-15", "payments": [
        {"member_id": "m9", "amount": "1.00"}]})
    assert unknown.status_code == 422 and unknown.json()["type"].endswith("/unknown-member")
    assert api.runtime.app.recorder.max_notification_id() == head


def test_year_with_a_loss_distributes_nothing(api):
    _set_up_2024(api)
    _post_ok(api, f"{B}/b1/years/2024/close")
    _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28")})
    _post_ok(api, "/books/b1/vouchers", voucher("2025-05-05", "1000.00", "102", "503", "补助收入"))
    _post_ok(api, "/books/b1/vouchers", voucher("2025-09-28", "3000.00", "514", "102", "公益支出"))
    close = _post_ok(api, f"{B}/b1/years/2025/close")
    assert close["net_income"] == "-2000.00"
    above = api.post(f"{B}/b1/years/2025/distribution", {"resolution": resolution("2025-12-28"),
                                                         "declared_amount": "0.01"})
    assert above.status_code == 422 and above.json()["type"].endswith("/distribution-exceeds-distributable")
    nothing = _post_ok(api, f"{B}/b1/years/2025/distribution", {"resolution": resolution("2025-12-28")})
    assert nothing["figures"]["declared"]["amount"] == "0.00"
    assert nothing["figures"]["reserve_withdrawal"]["amount"] == "0.00"
    assert nothing["voucher_numbers"] == []
    lines = _lines(api.get(f"{B}/b1/statements/income", year=2025, as_of="2025-12-31").json())
    assert (lines["subsidy_income"], lines["public_welfare_expenses"], lines["total_result"]) == (
        "1000.00", "3000.00", "-2000.00")
    assert (lines["net_income"], lines["distributable_income"], lines["closing_undistributed"]) == (
        "-2000.00", "-2000.00", "-2000.00")
    sheet = _sheet(api.get(f"{B}/b1/statements/balance-sheet", as_of="2025-12-31").json())
    assert sheet["undistributed"] == "-2000.00" and sheet["assets"] == sheet["liabilities_and_equity"]


def test_distribution_above_distributable_income_is_rejected(api):
    _set_up_2024(api)
    _post_ok(api, f"{B}/b1/years/2024/close")
    response = api.post(f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28"),
                                                            "declared_amount": "9000.00"})
    assert response.status_code == 422
    assert response.json()["type"].endswith("/distribution-exceeds-distributable")
    partial = _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28"),
                                                                "declared_amount": "7000.00"})
    assert partial["figures"]["undistributed_after"]["amount"] == "1999.99"


def test_one_distribution_per_year_unless_reversed(api):
    _set_up_2024(api)
    _post_ok(api, f"{B}/b1/years/2024/close")
    _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28")})
    second = api.post(f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-29")})
    assert second.status_code == 409 and second.json()["type"].endswith("/distribution-already-adopted")
    reversed_ = _post_ok(api, f"{B}/b1/years/2024/distribution/reversal",
                         {"red_date": "2024-12-31", "reason": "方案有误，重新表决"})
    assert reversed_["red_numbers"] == ["记-2024-12-0005", "记-2024-12-0006"]
    again = _post_ok(api, f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-30"),
                                                              "declared_amount": "7000.00"})
    assert again["attempt"] == 2
    view = api.get(f"{B}/b1/years/2024/distribution", as_of="2024-12-31").json()
    assert [a["reversed_on"] for a in view["attempts"]] == ["2024-12-31", None]
    assert view["in_force"]["figures"]["declared"]["amount"] == "7000.00"
    register = api.get(f"{B}/b1/dividend-register", as_of="2024-12-31").json()
    assert register["years"][0]["declared"] == "7000.00"
    sheet = _sheet(api.get(f"{B}/b1/statements/balance-sheet", as_of="2024-12-31").json())
    assert (sheet["payables"], sheet["undistributed"], sheet["assets"]) == ("7000.00", "1999.99", "9999.99")


def test_distribution_needs_the_year_closed_and_a_passing_resolution(api):
    _set_up_2024(api)
    not_closed = api.post(f"{B}/b1/years/2024/distribution", {"resolution": resolution("2024-12-28")})
    assert not_closed.status_code == 422 and not_closed.json()["type"].endswith("/year-not-closed")
    _post_ok(api, f"{B}/b1/years/2024/close")
    again = api.post(f"{B}/b1/years/2024/close")
    assert again.status_code == 409 and again.json()["type"].endswith("/year-already-closed")
    below = api.post(f"{B}/b1/years/2024/distribution",
                     {"resolution": resolution("2024-12-28", total=3, present=3, in_favour=1)})
    assert below.status_code == 422 and below.json()["type"].endswith("/resolution-not-passed")
    no_quorum = api.post(f"{B}/b1/years/2024/distribution",
                         {"resolution": resolution("2024-12-28", total=30, present=19, in_favour=19)})
    assert no_quorum.status_code == 422 and no_quorum.json()["type"].endswith("/quorum-not-met")


def test_confirming_members_rejects_duplicates_rejoin_and_invalid_resolution(api):
    _post_ok(api, B, organisation_body())
    body = {"resolution": resolution("2024-01-05"), "members": [member("m1", 1), member("m2", 2)]}
    head = api.runtime.app.recorder.max_notification_id()
    below = api.post(f"{B}/b1/member-confirmations",
                     {**body, "resolution": resolution("2024-01-05", total=3, present=2, in_favour=1)})
    assert below.status_code == 422 and below.json()["type"].endswith("/resolution-not-passed")
    assert api.runtime.app.recorder.max_notification_id() == head
    _post_ok(api, f"{B}/b1/member-confirmations", body)
    same_person = api.post(f"{B}/b1/member-confirmations", {"resolution": resolution("2024-02-05"),
                                                            "members": [member("m9", 1)]})
    assert same_person.status_code == 409 and same_person.json()["type"].endswith("/member-already-confirmed")
    twice_in_batch = api.post(f"{B}/b1/member-confirmations", {"resolution": resolution("2024-02-05"),
                                                               "members": [member("m7", 7), member("m8", 7)]})
    assert twice_in_batch.status_code == 409
    _post_ok(api, f"{B}/b1/members/m2/end", {"ended_on": "2024-06-01", "reason": "voluntary_exit"}, status=200)
    rejoin = api.post(f"{B}/b1/member-confirmations", {"resolution": resolution("2024-07-05"),
                                                       "members": [member("m2b", 2)]})
    assert rejoin.status_code == 422 and rejoin.json()["type"].endswith("/rejoin-after-membership-ended")
    bad_number = api.post(f"{B}/b1/member-confirmations", {"resolution": resolution("2024-07-05"),
                                                           "members": [{**member("m5", 5), "identity_number":
                                                                        member("m5", 5)["identity_number"][:17] + "0"}]})
    assert bad_number.status_code == 422
    register = api.get(f"{B}/b1/members", as_of="2024-12-31").json()
    assert (register["members_confirmed"], register["members_current"], register["households"]) == (2, 1, 1)
    ended = register["members"][1]
    assert (ended["member_id"], ended["status"], ended["end_reason"]) == ("m2", "ended", "voluntary_exit")
    assert api.get(f"{B}/b1/members", as_of="2024-05-31").json()["members"][1]["status"] == "current"


def test_identity_numbers_are_never_stored_in_clear(api):
    _post_ok(api, B, organisation_body())
    number = member("m1", 1)["identity_number"]
    response = _post_ok(api, f"{B}/b1/member-confirmations", {"resolution": resolution("2024-01-05"),
                                                              "members": [member("m1", 1)]})
    assert response["members"][0]["identity_masked"] == "*" * 14 + number[-4:]
    assert number not in response.__repr__()
    stored = api.runtime.app.recorder.select_notifications(start=1, limit=10_000)
    assert all(number.encode() not in n.state for n in stored)
    with api.runtime.db.transaction(write=False) as tx:
        rows = tx.query("SELECT * FROM anju_coll_members")
    assert number not in repr(rows)


def test_end_membership_needs_a_legal_reason(api):
    _post_ok(api, B, organisation_body())
    _post_ok(api, f"{B}/b1/member-confirmations", {"resolution": resolution("2024-01-05"),
                                                   "members": [member("m1", 1)]})
    no_reason = api.post(f"{B}/b1/members/m1/end", {"ended_on": "2024-06-01", "reason": "moved_away"})
    assert no_reason.status_code == 422
    before = api.post(f"{B}/b1/members/m1/end", {"ended_on": "2023-06-01", "reason": "death"})
    assert before.status_code == 422 and before.json()["type"].endswith("/end-before-confirmation")
    _post_ok(api, f"{B}/b1/members/m1/end", {"ended_on": "2024-06-01", "reason": "death"}, status=200)
    twice = api.post(f"{B}/b1/members/m1/end", {"ended_on": "2024-07-01", "reason": "death"})
    assert twice.status_code == 422 and twice.json()["type"].endswith("/membership-already-ended")
    unknown = api.post(f"{B}/b1/members/nobody/end", {"ended_on": "2024-07-01", "reason": "death"})
    assert unknown.status_code == 422 and unknown.json()["type"].endswith("/unknown-member")


def test_shares_move_only_inside_the_organisation(api):
    _set_up_2024(api)
    outside = api.post(f"{B}/b1/share-changes/transfer", {"from_id": "m1", "to_id": "stranger", "units": "1",
                                                          "effective_on": "2024-05-01", "reference": "转让协议1"})
    assert outside.status_code == 422 and outside.json()["type"].endswith("/transfer-outside-organisation")
    _post_ok(api, f"{B}/b1/share-changes/transfer", {"from_id": "m1", "to_id": "m3", "units": "1",
                                                     "effective_on": "2024-05-01", "reference": "转让协议1"})
    _post_ok(api, f"{B}/b1/members/m2/end", {"ended_on": "2024-06-01", "reason": "death"}, status=200)
    heir_not_member = api.post(f"{B}/b1/share-changes/inheritance", {
        "deceased_id": "m2", "heir_id": "m2", "effective_on": "2024-06-10", "reference": "继承公证书"})
    assert heir_not_member.status_code == 422 and heir_not_member.json()["type"].endswith("/heir-not-member")
    _post_ok(api, f"{B}/b1/share-changes/inheritance", {"deceased_id": "m2", "heir_id": "m1",
                                                        "effective_on": "2024-06-10", "reference": "继承公证书"})
    _post_ok(api, f"{B}/b1/share-changes/redemption", {"holder_id": "m3", "units": "0.5",
                                                       "effective_on": "2024-07-01", "reference": "赎回决议"})
    too_many = api.post(f"{B}/b1/share-changes/redemption", {"holder_id": "m3", "units": "9",
                                                             "effective_on": "2024-07-02", "reference": "赎回决议"})
    assert too_many.status_code == 422 and too_many.json()["type"].endswith("/insufficient-shares")
    back_dated = api.post(f"{B}/b1/share-changes/transfer", {"from_id": "m1", "to_id": "m3", "units": "1",
                                                             "effective_on": "2024-04-01", "reference": "倒签"})
    assert back_dated.status_code == 422 and back_dated.json()["type"].endswith("/share-change-date-too-early")

    def units(as_of: str) -> dict[str, str]:
        register = api.get(f"{B}/b1/share-register", as_of=as_of).json()
        return {h["member_id"]: h["units"] for h in register["holders"]} | {"total": register["units_total"]}

    assert units("2024-04-30") == {"m1": "3", "m2": "3", "m3": "1", "total": "7"}
    assert units("2024-05-01") == {"m1": "2", "m2": "3", "m3": "2", "total": "7"}
    assert units("2024-06-10") == {"m1": "5", "m3": "2", "total": "7"}
    assert units("2024-07-01") == {"m1": "5", "m3": "1.5", "total": "6.5"}


def test_share_plan_needs_a_passing_resolution_and_is_adopted_once(api):
    _post_ok(api, B, organisation_body())
    _post_ok(api, f"{B}/b1/member-confirmations", {"resolution": resolution("2024-01-05"),
                                                   "members": [member("m1", 1), member("m2", 2)]})
    plan = {"resolution": resolution("2024-01-10", total=2), "effective_on": "2024-01-10",
            "holdings": [{"member_id": "m1", "units": "1"}, {"member_id": "m2", "units": "1.25"}]}
    below = api.post(f"{B}/b1/share-plan", {**plan, "resolution": resolution("2024-01-10", total=3, in_favour=1)})
    assert below.status_code == 422 and below.json()["type"].endswith("/resolution-not-passed")
    stranger = api.post(f"{B}/b1/share-plan", {**plan, "holdings": [{"member_id": "x", "units": "1"}]})
    assert stranger.status_code == 422 and stranger.json()["type"].endswith("/holder-not-member")
    floaty = api.post(f"{B}/b1/share-plan", {**plan, "holdings": [{"member_id": "m1", "units": 1.5}]})
    assert floaty.status_code == 422
    collective_class = api.post(f"{B}/b1/share-plan", {**plan, "collective_units": "1"})
    assert collective_class.status_code == 422
    _post_ok(api, f"{B}/b1/share-plan", plan)
    second = api.post(f"{B}/b1/share-plan", plan)
    assert second.status_code == 409 and second.json()["type"].endswith("/shares-already-quantified")


def test_organisation_registration_opens_its_book_and_checks_its_charter(api):
    missing_rate = organisation_body()
    del missing_rate["reserve_rate_percent"]
    assert api.post(B, missing_rate).status_code == 422
    bad_code = api.post(B, organisation_body(credit_code="N2520100MA00000010"))
    assert bad_code.status_code == 422 and bad_code.json()["type"].endswith("/invalid-credit-code")
    assert api.post(B, organisation_body(rate="101")).status_code == 422
    created = _post_ok(api, B, organisation_body(collective_share_class=True))
    assert created["reserve_rate_percent"] == "10" and created["book_adopted"] is False
    book = api.get("/books/b1").json()
    assert book["chart"]["name"] == "collective_2023" and book["starts_on"] == "2024-01-01"
    twice = api.post(B, organisation_body())
    assert twice.status_code == 409


def test_organisation_may_adopt_the_communitys_existing_book(api):
    _post_ok(api, "/books", {"book_code": "old", "name": "旧账", "entity_kind": "collective", "community_id": "c1",
                             "township_id": "t1", "starts_on": "2021-01-01"})
    adopted = _post_ok(api, B, organisation_body("old", adopt_existing_book=True))
    assert adopted["book_adopted"] is True
    missing = api.post(B, organisation_body("nobook", adopt_existing_book=True))
    assert missing.status_code == 404


def test_adopted_book_must_be_a_collective_book_of_the_same_community(api):
    _post_ok(api, "/books", {"book_code": "fund", "name": "维修资金", "entity_kind": "maintenance_fund",
                             "community_id": "c1", "township_id": "t1", "starts_on": "2021-01-01"})
    wrong_kind = api.post(B, organisation_body("fund", adopt_existing_book=True))
    assert wrong_kind.status_code == 422 and wrong_kind.json()["type"].endswith("/book-not-collective")
    _post_ok(api, "/books", {"book_code": "c1b", "name": "集体账", "entity_kind": "collective",
                             "community_id": "c1", "township_id": "t1", "starts_on": "2021-01-01"})
    other_community = api.post(B, organisation_body("c1b", community="c1", township="t9", adopt_existing_book=True))
    assert other_community.status_code == 422 and other_community.json()["type"].endswith("/book-not-collective")


def test_years_close_in_order_into_321_and_322(api):
    _post_ok(api, B, organisation_body(registered_on="2023-01-01"))
    _post_ok(api, "/books/b1/vouchers", voucher("2024-03-05", "500.00", "102", "504"))
    early = api.post(f"{B}/b1/years/2024/close")
    assert early.status_code == 422 and early.json()["type"].endswith("/previous-year-not-closed")
    empty = _post_ok(api, f"{B}/b1/years/2023/close")
    assert empty["voucher_numbers"] == [] and empty["net_income"] == "0.00"
    _post_ok(api, f"{B}/b1/years/2024/close")
    tb = api.get(f"{B}/b1/statements/trial-balance", as_of="2024-12-31").json()
    rows = {r["account_code"]: r for r in tb["rows"]}
    assert rows["504"]["closing"]["credit"] == "0.00" and rows["321"]["closing"]["credit"] == "0.00"
    assert rows["322.01"]["closing"]["credit"] == "500.00"


def test_closed_period_and_unbalanced_vouchers_are_rejected(api):
    _post_ok(api, B, organisation_body())
    _post_ok(api, "/books/b1/periods/2024-01/close", None, status=200)
    closed = api.post("/books/b1/vouchers", voucher("2024-01-20", "1.00", "102", "501.01"))
    assert closed.status_code == 409 and closed.json()["type"].endswith("/period-closed")
    unbalanced = voucher("2024-02-20", "1.00", "102", "501.01")
    unbalanced["lines"][1]["credit"] = "1.01"
    response = api.post("/books/b1/vouchers", unbalanced)
    assert response.status_code == 422 and response.json()["type"].endswith("/unbalanced-entry")


def test_year_end_vouchers_need_december_open(api):
    _set_up_2024(api)
    month = "2024-01"
    for number in range(1, 13):
        month = f"2024-{number:02d}"
        _post_ok(api, f"/books/b1/periods/{month}/close", None, status=200)
    response = api.post(f"{B}/b1/years/2024/close")
    assert response.status_code == 409 and response.json()["type"].endswith("/period-closed")


def test_accountants_write_only_in_their_community_and_others_read_in_scope(api):
    _set_up_2024(api)
    other = api.post(f"{B}/b1/years/2024/close", token="other_accountant")
    assert other.status_code == 403
    township_write = api.post(f"{B}/b1/years/2024/close", token="township")
    assert township_write.status_code == 403
    auditor_write = api.post(f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-15", "payments": [
        {"member_id": "m1", "amount": "1.00"}]}, token="auditor")
    assert auditor_write.status_code == 403
    assert api.post(B, organisation_body("b2", community="c2", township="t2")).status_code == 403
    for token in ("township", "auditor", "accountant"):
        assert api.get(f"{B}/b1/statements/balance-sheet", token=token, as_of="2024-12-31").status_code == 200
    assert api.get(f"{B}/b1/members", token="other_accountant").status_code == 403
    assert api.get(f"{B}/b1/members", token=None).status_code == 401
    assert api.get(f"{B}/nope/members").status_code == 404
    assert [o["book_code"] for o in api.get(B, token="other_accountant").json()["organisations"]] == []
    assert [o["book_code"] for o in api.get(B, token="township").json()["organisations"]] == ["b1"]


def test_pooled_project_cycle_payouts_are_exact(api):
    _set_up_2024(api)
    unknown = api.post(f"{B}/b1/projects", {"project_code": "cattle", "name": "托管养牛", "method": "fixed-per-unit",
                                            "amount_per_unit": "2000.00", "started_on": "2024-02-01",
                                            "participants": [{"household_id": "h9", "units": 1}]})
    assert unknown.status_code == 422 and unknown.json()["type"].endswith("/unknown-household")
    _post_ok(api, f"{B}/b1/projects", {"project_code": "cattle", "name": "托管养牛", "method": "fixed-per-unit",
                                       "amount_per_unit": "2000.00", "started_on": "2024-02-01",
                                       "participants": [{"household_id": "h1", "units": 2},
                                                        {"household_id": "h2", "units": 1}]})
    cycle = _post_ok(api, f"{B}/b1/projects/cattle/cycles", {"cycle": 1, "paid_on": "2024-08-01"})
    assert cycle["voucher"]["total"] == "6000.00"
    _post_ok(api, f"{B}/b1/projects", {"project_code": "greenhouse", "name": "大棚", "method": "share-of-income",
                                       "started_on": "2024-02-01",
                                       "participants": [{"household_id": "h1", "units": 1},
                                                        {"household_id": "h2", "units": 2}]})
    _post_ok(api, f"{B}/b1/projects/greenhouse/cycles", {"cycle": 1, "paid_on": "2024-08-02", "income": "100.00"})
    skipped = api.post(f"{B}/b1/projects/greenhouse/cycles", {"cycle": 3, "paid_on": "2024-09-02", "income": "1.00"})
    assert skipped.status_code == 422
    projects = {p["project_code"]: p for p in api.get(f"{B}/b1/projects", as_of="2024-12-31").json()["projects"]}
    assert [(p["household_id"], p["amount"]) for p in projects["greenhouse"]["cycles"][0]["payouts"]] == [
        ("h1", "33.33"), ("h2", "66.67")]
    assert [(p["household_id"], p["amount"]) for p in projects["cattle"]["cycles"][0]["payouts"]] == [
        ("h1", "4000.00"), ("h2", "2000.00")]


def test_bad_requests_answer_problem_json_never_500(api):
    _set_up_2024(api)
    writes = [
        (f"{B}/b1/member-confirmations", {"resolution": resolution("2024-13-01"), "members": []}),
        (f"{B}/b1/member-confirmations", {"resolution": resolution("2024-01-05", total=0, present=0, in_favour=0),
                                          "members": [member("m9", 9)]}),
        (f"{B}/b1/share-changes/transfer", {"from_id": "m1", "to_id": "m2", "units": "0",
                                            "effective_on": "2024-05-01", "reference": "x"}),
        (f"{B}/b1/share-changes/transfer", {"from_id": "m1", "to_id": "m1", "units": "1",
                                            "effective_on": "2024-05-01", "reference": "x"}),
        (f"{B}/b1/share-changes/redemption", {"holder_id": "ghost", "units": "1", "effective_on": "2024-05-01",
                                              "reference": "x"}),
        (f"{B}/b1/share-changes/inheritance", {"deceased_id": "m1", "heir_id": "m2", "effective_on": "2024-05-01",
                                               "reference": "x"}),
        (f"{B}/b1/years/1999/close", None),
        (f"{B}/b1/years/2030/distribution", {"resolution": resolution("2030-12-01")}),
        (f"{B}/b1/years/2024/distribution/reversal", {"red_date": "2024-12-31", "reason": "x"}),
        (f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-01",
                                       "payments": [{"member_id": "m1", "amount": "1.001"}]}),
        (f"{B}/b1/dividend-payments", {"year": 2024, "paid_on": "2025-01-01",
                                       "payments": [{"member_id": "m1", "amount": 1}]}),
        (f"{B}/b1/projects", {"project_code": "p", "name": "x", "method": "share-of-income",
                              "amount_per_unit": "1.00", "started_on": "2024-01-01",
                              "participants": [{"household_id": "h1", "units": 1}]}),
        (f"{B}/b1/projects/none/cycles", {"cycle": 1, "paid_on": "2024-05-01"}),
        (f"{B}/nope/years/2024/close", None),
        (B, {**organisation_body("b3"), "reserve_rate_percent": "999"}),
    ]
    head = api.runtime.app.recorder.max_notification_id()
    for path, body in writes:
        response = api.post(path, body)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert api.runtime.app.recorder.max_notification_id() == head
    reads = [
        (f"{B}/b1/statements/balance-sheet", {"as_of": "0001-01-01"}),
        (f"{B}/b1/statements/income", {"year": 2030, "as_of": "2024-01-01"}),
        (f"{B}/b1/statements/detail-ledger", {"account": "999"}),
        (f"{B}/b1/statements/detail-ledger", {"account": "102", "cursor": "garbage"}),
        (f"{B}/b1/statements/trial-balance", {"as_of": "2024-01-01", "from": "2024-02-01"}),
        (f"{B}/b1/dividend-register", {"cursor": "x|"}),
        (f"{B}/b1/members", {"limit": 0}),
        (f"{B}/b1/members/ghost", {}),
        (f"{B}/b1/years/2024/distribution", {}),
    ]
    for path, params in reads:
        response = api.get(path, **params)
        assert 400 <= response.status_code < 500, (path, params, response.status_code, response.text)
