"""Every feature's background jobs. Importing this module registers them all, for the server
(in-process queue) and for ``frontdesk worker``."""

from frontdesk import recovery
from frontdesk.attachments import tasks as attachment_tasks
from frontdesk.conversations import tasks as conversation_tasks
from frontdesk.knowledge import tasks as knowledge_tasks

# The recovery sweep queues again what a stopped process left undone, for every feature.
FEATURE_TASKS = (attachment_tasks, conversation_tasks, knowledge_tasks, recovery)
