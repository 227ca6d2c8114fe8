"""Sync storage on the office side: the outbox the unit of work fills (outbox.py), rows to wire
fields and back (wire.py), the queries of the sync service (repo.py) and applying pulled pages
(apply.py). Nothing is imported here: db/uow.py reads outbox.py, which the others build on."""
