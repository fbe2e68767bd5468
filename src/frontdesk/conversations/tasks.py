"""Background jobs of the conversations feature."""

from __future__ import annotations

from frontdesk.conversations import replies
from frontdesk.jobs.queue import job

job(replies.REPLY_JOB)(replies.reply)
