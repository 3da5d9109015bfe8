"""Shop-front leases (门面租赁, DOMAIN.md §4), pure: no I/O, no clock, dates passed in.

Modules, each importing only those above it (then ``ledger``)::

    errors.py       every rule a command can break (base ``LeaseRuleBroken``), with stable slugs
    terms.py        ``LeaseTerms`` (a plain value; ``LeaseTerms.agreed`` checks the rules), rent steps
    rights.py       rights holders (三权分置), the collective's share, income split by floor area
    invoice.py      billing periods in advance, invoice lines prorated by day
    collection.py   receipts oldest first, arrears aging, late fees
    accrual.py      what billing a month invoices and earns; what a termination takes back
    postings.py     the vouchers, accounts named by their role in the 2023 chart
    shop_front.py   aggregate: a unit of the register, dated rights, occupancy
    tenant.py       aggregate: a tenant's account (invoices, receipts, credit, late fees)
    lease.py        aggregate: a lease, which owns its billing, termination, renewal and deposit
    topics.py       the topics the aggregates were stored under before they moved
    application.py  use cases ``(uow, audit, book_code, …)``: get → check and plan → post → record
"""
