"""Sync with the district, as one service for its callers (`services.sync`): enrolment
(enrolment.py), the push/pull round (round.py), conflicts (conflicts.py), USB bundles and
receipts (bundles.py), the office's PCs (devices.py), the status the window shows (status.py), and what they share (base.py)."""

from __future__ import annotations

from desktop.services.sync.base import check_ca_bundle, store_blob, to_operation
from desktop.services.sync.bundles import SyncBundles
from desktop.services.sync.conflicts import SyncConflicts
from desktop.services.sync.devices import SyncDevices
from desktop.services.sync.enrolment import SyncEnrolment
from desktop.services.sync.round import SyncRound
from desktop.services.sync.status import SyncOverview
from desktop.sync.client import SyncError

__all__ = ["SyncError", "SyncService", "check_ca_bundle", "store_blob", "to_operation"]


class SyncService(SyncOverview, SyncEnrolment, SyncRound, SyncConflicts, SyncBundles,
                  SyncDevices):
    """The six jobs under the one name the window, the command line and the composition
    root use."""
