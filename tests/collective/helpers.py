"""Shared builders for the collective tests: valid identity numbers, credit codes, resolutions, bodies."""

from __future__ import annotations

from domain.collective.credit_code import credit_code_check_character
from domain.collective.identity import identity_check_character

CREDIT_CODE = "N2520100MA0000001" + credit_code_check_character("N2520100MA0000001")


def identity_number(sequence: int, birth: str = "19800101") -> str:
    """A valid 18-character identity number (GB 11643-1999) for test person ``sequence``."""
    first = f"520102{birth}{sequence % 1000:03d}"
    return first + identity_check_character(first)


def resolution(day: str, reference: str = "成员大会决议〔2024〕1号", total: int = 3, present: int | None = None,
               in_favour: int | None = None) -> dict:
    present = total if present is None else present
    return {"resolved_on": day, "reference": reference, "members_total": total, "present": present,
            "in_favour": present if in_favour is None else in_favour}


def organisation_body(book_code: str = "b1", community: str = "c1", township: str = "t1", rate: str = "10",
                      registered_on: str = "2024-01-01", **extra) -> dict:
    return {"book_code": book_code, "name": f"{book_code} 股份经济合作社", "community_id": community,
            "township_id": township, "credit_code": CREDIT_CODE, "reserve_rate_percent": rate,
            "registered_on": registered_on, **extra}


def member(member_id: str, sequence: int, household: str = "h1", name: str | None = None) -> dict:
    return {"member_id": member_id, "name": name or f"成员{member_id}", "household_id": household,
            "identity_number": identity_number(sequence)}


def voucher(day: str, amount: str, debit: str, credit: str, summary: str = "收支", subledger: str = "") -> dict:
    return {"voucher_date": day, "summary": summary, "lines": [
        {"account_code": debit, "debit": amount, "subledger": subledger if debit == "211" else ""},
        {"account_code": credit, "credit": amount, "subledger": subledger if credit == "211" else ""}]}
