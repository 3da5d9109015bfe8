"""``anju import`` on both stores: progress, every error listed, applied once, recorded as the named operator."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app
from api.runtime import Runtime
from tests.collective.helpers import organisation_body
from tests.conftest import issue_token
from tests.imports.helpers import MEMBER_HEADER, csv_bytes, member_row, xlsx_bytes

runner = CliRunner()


def _anju(store_url: str, *args: str):
    return runner.invoke(app, list(args), env={"ANJU_DATABASE_URL": store_url}, catch_exceptions=False)


def _organisation(store_url: str) -> None:
    from api.collective.schemas import OrganisationIn  # the same body the HTTP tests send
    from decimal import Decimal

    from domain.collective import application as collective
    from domain.collective.charter import make_charter
    from ledger.audit import Audit

    body = OrganisationIn.model_validate(organisation_body("b1"))
    runtime = Runtime.from_env(store_url)
    try:
        runtime.execute(lambda uow: collective.register_organisation(
            uow, Audit("acc-c1", "accountant", "登记"), book_code=body.book_code, name=body.name,
            community_id=body.community_id, township_id=body.township_id, credit_code=body.credit_code,
            charter=make_charter(Decimal(body.reserve_rate_percent), False, "static"),
            registered_on=body.registered_on))
    finally:
        runtime.close()


def _head(store_url: str) -> int:
    runtime = Runtime.from_env(store_url)
    try:
        return runtime.app.recorder.max_notification_id() or 0
    finally:
        runtime.close()


def test_anju_import_lists_every_error_then_applies_the_corrected_file_once(store_url, tmp_path):
    _organisation(store_url)
    bad = tmp_path / "roster-bad.csv"
    bad.write_bytes(csv_bytes(MEMBER_HEADER, [member_row("M1", 1), member_row("M2", 2, identity="123"),
                                              member_row("M1", 3)]))
    before = _head(store_url)
    rejected = _anju(store_url, "import", "members", str(bad), "--book", "b1", "--as", "li.kuaiji")
    assert rejected.exit_code == 1
    assert "row 3  column identity_number" in rejected.output
    assert "row 4  column member_id  import-duplicate-row" in rejected.output
    assert _head(store_url) == before

    good = tmp_path / "roster.xlsx"
    good.write_bytes(xlsx_bytes(MEMBER_HEADER, [member_row("M1", 1), member_row("M2", 2), member_row("M3", 3)]))
    applied = _anju(store_url, "import", "members", str(good), "--book", "b1", "--as", "li.kuaiji",
                    "--reason", "导入纸质成员名册")
    assert applied.exit_code == 0, applied.output
    assert "3 of 3 rows recorded into b1 as cli:li.kuaiji" in applied.output
    assert "recording" in applied.output  # the progress bar (on stderr, mixed into the runner's output)
    after = _head(store_url)
    again = _anju(store_url, "import", "members", str(good), "--book", "b1")
    assert again.exit_code == 0 and "already imported" in again.output
    assert _head(store_url) == after

    runtime = Runtime.from_env(store_url)
    try:
        import json

        stamps = [json.loads(n.state)["audit"]["_data_"] for n in
                  runtime.app.recorder.select_notifications(start=before + 1, limit=1000)]
    finally:
        runtime.close()
    assert stamps and all(s["actor"] == "cli:li.kuaiji" and s["role"] == "accountant" for s in stamps)
    assert all(s["reason"].startswith("导入纸质成员名册") for s in stamps)


def test_anju_import_with_a_token_checks_its_scope(store_url, tmp_path):
    _organisation(store_url)
    runtime = Runtime.from_env(store_url)
    try:
        other = issue_token(runtime, "accountant", "community:c2", "acc-c2")
    finally:
        runtime.close()
    file = tmp_path / "roster.csv"
    file.write_bytes(csv_bytes(MEMBER_HEADER, [member_row("M1", 1)]))
    before = _head(store_url)
    refused = _anju(store_url, "import", "members", str(file), "--book", "b1", "--token", other)
    assert refused.exit_code == 1 and "out-of-scope" in refused.output
    assert _head(store_url) == before
