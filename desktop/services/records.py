"""A complaint's records, as one service for its callers: mediation records
(services/mediation.py), attachments (services/attachments.py) and the history
(services/history.py), each in a module of its own."""

from __future__ import annotations

from desktop.services.attachments import MAX_ATTACHMENT_BYTES, AttachmentService
from desktop.services.history import HistoryService
from desktop.services.mediation import MediationService

__all__ = ["MAX_ATTACHMENT_BYTES", "RecordService"]


class RecordService(MediationService, AttachmentService, HistoryService):
    """The three jobs under the one name the window, the command line and the composition
    root use (`services.records`)."""
