"""Issue 11, item 7: a request naming a book outside the caller's scope is answered 403 and says no more.

Book codes are unique across all communities (URLs ``/books/{book}`` carry no community, and township
statements and the log key books by code): creating a book with a code another community uses answers 409,
which tells only that the code is taken — never whose it is or anything in it.
"""

from __future__ import annotations

from tests.collective.helpers import organisation_body
from tests.conftest import open_book_body
from tests.http_answers import head, ok, problem


def _says_nothing_of(body: dict, *secrets: str) -> None:
    text = str(body)
    assert not [s for s in secrets if s in text], body


def test_adopting_another_communitys_book_is_forbidden_and_names_nothing_of_it(api):
    ok(api.post("/collective/organisations", organisation_body("b1")))  # c1's organisation and book
    before = head(api)
    adopt = organisation_body("b1", community="c2", township="t2", adopt_existing_book=True)
    answer = problem(api.post("/collective/organisations", adopt, token="other_accountant"), 403, "out-of-scope")
    _says_nothing_of(answer, "c1", "t1", "belongs", "organisation already")
    ok(api.post("/books", open_book_body("b2")))  # a plain book of c1, no organisation yet
    answer = problem(api.post("/collective/organisations", organisation_body(
        "b2", community="c2", township="t2", adopt_existing_book=True), token="other_accountant"), 403, "out-of-scope")
    _says_nothing_of(answer, "c1", "t1", "belongs")
    assert head(api) == before + 1  # only b2 was opened


def test_every_book_path_outside_the_scope_answers_403_without_naming_the_community(api):
    ok(api.post("/books", open_book_body("b1")))
    for path in ("/books/b1", "/books/b1/trial-balance", "/books/b1/opening-balances", "/books/b1/vouchers"):
        _says_nothing_of(problem(api.get(path, token="other_accountant"), 403, "out-of-scope"), "c1", "t1")
    before = head(api)
    _says_nothing_of(problem(api.post("/books/b1/vouchers", {"voucher_date": "2025-01-02", "summary": "x", "lines": [
        {"account_code": "102", "debit": "1.00"}, {"account_code": "504", "credit": "1.00"}]},
        token="other_accountant"), 403, "out-of-scope"), "c1", "t1")
    assert head(api) == before


def test_a_book_code_is_unique_across_communities_and_a_clash_tells_only_that_it_is_taken(api):
    ok(api.post("/books", open_book_body("b1")))
    before = head(api)
    clash = problem(api.post("/books", open_book_body("b1", community="c2", township="t2"),
                             token="other_accountant"), 409, "book-already-exists")
    _says_nothing_of(clash, "c1", "t1")
    assert head(api) == before
