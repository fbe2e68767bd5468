"""Every feature's background jobs. Importing this module registers them all, for the server
(in-process queue) and for ``frontdesk worker``."""

from frontdesk import recovery
from frontdesk.appointments import tasks as appointment_tasks
from frontdesk.attachments import tasks as attachment_tasks
from frontdesk.calendars import tasks as calendar_tasks
from frontdesk.conversations import tasks as conversation_tasks
from frontdesk.documents import tasks as document_tasks
from frontdesk.knowledge import tasks as knowledge_tasks
from frontdesk.leads import tasks as lead_tasks
from frontdesk.tickets import tasks as ticket_tasks

# The recovery sweep queues again what a stopped process left undone, for every feature.
FEATURE_TASKS = (
    appointment_tasks,
    attachment_tasks,
    calendar_tasks,
    conversation_tasks,
    document_tasks,
    knowledge_tasks,
    lead_tasks,
    ticket_tasks,
    recovery,
)
