"""Request and response models of the auditor's endpoints (history, as-recorded statements, checkpoints)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import BookReportOut, Code, Model, Money, Out, Row, StrictDate, Text, row_model
from ledger.checkpoint import CheckpointCheck


# --- history of an aggregate ---------------------------------------------------------------
class AggregateEventOut(Row):
    position: int = Field(description="日志位置 Log position")
    stream_id: str
    stream_version: int
    event_type: str
    actor: str | None = Field(description="操作人 Who recorded it")
    role: str | None
    reason: str | None = Field(description="原因/摘要 Why")
    idempotency_key: str | None
    recorded_at: str = Field(description="记录时间（UTC） When it was recorded, UTC")
    chain_link: str | None = Field(description="哈希链环 The chain link at this position (hex)")
    event: dict[str, Any] = Field(description="事件内容 The event's own fields")
    state_before: dict[str, Any] | None = Field(description="事件前状态 The aggregate's state before the event")
    state_after: dict[str, Any] | None = Field(description="事件后状态 The aggregate's state after it")


class AggregateHistoryOut(Out):
    stream_id: str
    kind: str
    book_code: str | None
    code: str | None
    events: list[AggregateEventOut]
    next_cursor: int | None = Field(description="下一页游标（版本号） The next page's cursor (a stream version)")


# --- statements as recorded ------------------------------------------------------------------
class FigureOut(Row):
    direction: str
    debit: Money
    credit: Money


class RecordedRowOut(Row):
    account_code: str
    name_zh: str
    name_en: str
    level: int
    opening: FigureOut
    period_debit: Money
    period_credit: Money
    closing: FigureOut
    balance: Money


class RecordedTrialBalanceOut(Row):
    position: int = Field(description="所依据的日志位置 The log position this version reflects")
    rows: list[RecordedRowOut]
    totals: dict[str, Money]
    balanced: bool
    sha256: str = Field(description="报表摘要 SHA-256 of this version's figures (what a checkpoint seals)")


class FiguresOut(Row):
    opening_balance: Money = Field(description="期初余额（借方为正） Net debit")
    period_debit: Money
    period_credit: Money
    closing_balance: Money = Field(description="期末余额（借方为正） Net debit")


class AccountDifferenceOut(Row):
    account_code: str
    name_zh: str
    name_en: str
    level: int
    recorded: FiguresOut
    corrected: FiguresOut
    difference: FiguresOut


class RecordedChangeOut(Row):
    position: int
    number: str
    voucher_date: str
    summary: str
    total: Money
    reverses: str | None = Field(description="红字冲销的原凭证 The voucher a red voucher cancels")
    recorded_by: str
    recorded_at: str
    reason: str
    back_dated: bool = Field(description="补记以前月份 Dated in a month before the one it was recorded in")


class SheetLineOut(Row):
    key: str
    recorded: Money
    corrected: Money
    difference: Money


class AsRecordedTrialBalanceOut(BookReportOut):
    period_start: str
    as_of: str
    as_recorded_at: str = Field(description="调用方给出的 as_recorded_at The as_recorded_at given")
    recorded: RecordedTrialBalanceOut = Field(description="当时所记 As recorded by that position")
    corrected: RecordedTrialBalanceOut = Field(description="更正后 As corrected since (the position read)")
    differences: list[AccountDifferenceOut]
    changes: list[RecordedChangeOut] = Field(description="其间记录的凭证 Vouchers recorded in between that reach it")
    changes_truncated: bool
    balance_sheet: list[SheetLineOut] = Field(description="资产负债表 Balance-sheet lines and totals, both versions")


# --- checkpoints -------------------------------------------------------------------------------
class StatementIn(Model):
    book_code: Code = Field(description="账套 The book whose trial balance is digested")
    as_of: StrictDate = Field(description="截至日期 Business date of the trial balance")
    from_date: StrictDate | None = Field(None, alias="from", description="起始日期 Period start (default 1 January)")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CheckpointIn(Model):
    reason: Text = Field(description="原因 Why the head is sealed (e.g. 2025年3月结账后封存)")
    statement: StatementIn | None = Field(None, description="可选：同时封存一张科目余额表的摘要 Optional trial balance")


class StatementDigestOut(Row):
    kind: str
    book_code: str
    period_start: str
    as_of: str
    position: int
    sha256: str
    still_matches: bool | None = Field(None, description="按该日志位置重算后是否一致 Recomputed at its position")


class CheckpointOut(Out):
    number: int = Field(description="封存点编号 Checkpoint number (1, 2, … without gaps)")
    event_position: int | None = Field(None, description="封存点事件自身的日志位置 Where the checkpoint's event is")
    head_position: int = Field(description="封存的日志位置 The sealed log position")
    head_link: str = Field(description="封存的哈希链环 The sealed chain link (hex)")
    sealed_at: str | None
    sealed_by: str
    reason: str
    statement: StatementDigestOut | None


class CheckpointListOut(Out):
    checkpoints: list[CheckpointOut]
    next_cursor: int | None


CheckpointCheckOut = row_model("CheckpointCheckOut", CheckpointCheck, Row, module=__name__)


class VerifyOut(BaseModel):
    ok: bool
    events_checked: int
    head_position: int | None
    head_link: str | None
    first_bad_position: int | None
    problem: str | None
    detail: str | None
    checkpoints_checked: int = Field(0, description="检查的封存点数 Checkpoints checked")
    first_broken_checkpoint: CheckpointCheckOut | None = Field(None, description="第一个失效的封存点 First broken")
    latest_checkpoint: CheckpointCheckOut | None = Field(None, description="最新封存点（请另行记录） The latest one")
    expected_checkpoint: CheckpointCheckOut | None = Field(None, description="外部记录的封存点 The one noted outside")
    truncated: str | None = Field(None, description="日志尾部被截断的迹象 Read models saw a longer log than is stored")
