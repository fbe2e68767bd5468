"""English wordings. Placeholders: {name} (", Dana" or ""), {first}, {assistant}, {role},
{business}, {hours}, {address}, {when}, {contact}, {topic}, {capabilities}, {handoff_when},
{day}, {time}."""

from __future__ import annotations

MOVES: dict[str, tuple[str, ...]] = {
    "greet": (
        "Hello{name}! I'm {assistant}, the {role} of {business}. How can I help you today?",
        "Hi{name}, I'm {assistant} from {business}. What can I do for you?",
        "Welcome to {business}{name}! I'm {assistant}, the {role}. What brings you here today?",
    ),
    "greet_again": (
        "Hi again{name}! What else can I do for you?",
        "Hello{name}, I'm still here. How can I help?",
    ),
    "thanks": (
        "You're welcome{name}! Is there anything else I can help with?",
        "My pleasure{name}. Anything else I can do for you?",
        "Glad I could help{name}. Let me know if there's anything else.",
    ),
    "goodbye": (
        "Thanks for chatting with {business}{name}. Have a good day!",
        "Goodbye{name}, and thanks for getting in touch with {business}.",
        "Take care{name}! We're here whenever you need us.",
    ),
    "hours": (
        "Here are our opening hours:\n\n{hours}",
        "These are the hours we're open:\n\n{hours}",
    ),
    "address": (
        "You'll find us at {address}.",
        "Our address is {address}.",
    ),
    "no_address": ("I'm sorry, I don't have our address on hand here, and I don't want to guess.",),
    "contact_facts": ("You can also reach us here:\n\n{facts}",),
    "ask_name": (
        "May I have your name, please?",
        "Could you tell me your name?",
        "Who am I speaking with?",
    ),
    "ask_contact": (
        "What's the best phone number or email to reach you on?",
        "Could you share a phone number or email address where the team can reach you?",
        "How should the team get back to you: a phone number or an email address?",
    ),
    "ask_name_contact": (
        "Could you share your name and the best phone number or email to reach you?",
        "If you leave your name and a phone number or email, the team will get back to you.",
    ),
    "ask_when": (
        "What day and time would suit you?",
        "When would you like to come in?",
        "Which day and time work best for you?",
    ),
    "lead_saved_call": (
        "Thanks{name}. I've noted your details and someone from {business} will call you "
        "back on {contact} about {topic}.",
        "Got it{name}: I've passed your details to the team at {business}, and someone will "
        "call you on {contact} about {topic}.",
    ),
    "lead_saved_email": (
        "Thanks{name}. I've noted your details and someone from {business} will email you "
        "at {contact} about {topic}.",
        "Got it{name}: the team at {business} will get back to you at {contact} about {topic}.",
    ),
    "booking_passed": (
        "Thanks{name}. I can't confirm bookings myself yet, so I've passed your request for "
        "{when} to the team; they'll confirm with you on {contact}.",
        "I've sent your request for {when} to the team at {business}{name}. I can't confirm "
        "it myself, so someone will get back to you on {contact} to confirm.",
    ),
    "booking_start": (
        "I'd be happy to pass a booking request to the team.",
        "Let's get your request to the team.",
    ),
    "reschedule_start": (
        "No problem, I'll ask the team to move your appointment.",
        "Of course, let's get your appointment moved.",
    ),
    "cancel_passed": (
        "Thanks{name}. I've asked the team to cancel your appointment; they'll confirm on "
        "{contact}.",
        "Understood{name}. Your cancellation request is with the team, and they'll confirm "
        "on {contact}.",
    ),
    "cancel_start": (
        "I'm sorry you can't make it. I'll pass your cancellation to the team.",
        "No problem, I'll let the team know you need to cancel.",
    ),
    "availability": (
        "I can't see the live diary from here, so I won't guess at free times.",
        "I don't have the calendar in front of me, so I can't promise a slot myself.",
    ),
    "availability_passed": (
        "I've asked the team whether {when} is free{name}; they'll let you know here.",
        "I've passed {when} on to the team{name}; someone will confirm availability here.",
    ),
    "pricing_unknown": (
        "I don't have {business}'s current prices to hand, and I'd rather not guess.",
        "I'm afraid I can't quote prices myself, and I don't want to give you a wrong figure.",
    ),
    "issue": (
        "I'm sorry you're having trouble with {topic}. I'll pass this to the team so a person "
        "can sort it out.",
        "Sorry about the trouble with {topic}. A person on the team will look into it.",
    ),
    "issue_passed": (
        "Thanks{name}. I've passed the details to the team, and they'll get back to you on "
        "{contact}.",
        "Thank you{name}. The team has the details and will contact you on {contact}.",
    ),
    "complaint": (
        "I'm really sorry about your experience. That isn't what we want for anyone at "
        "{business}, and I've flagged it for the team.",
        "I'm sorry to hear this. I've raised it with the team at {business} so it's looked "
        "at properly.",
    ),
    "feature": (
        "Thanks for the suggestion{name}! I've passed it on to the team at {business}.",
        "That's useful feedback{name}; I've shared it with the team at {business}.",
    ),
    "unknown": (
        "I don't have a reliable answer to that here, and I don't want to guess. Would you "
        "like me to ask someone from the team to reply?",
        "I'm not sure about that one, and I'd rather not give you wrong information. Shall I "
        "ask a person from the team to help?",
    ),
    "out_of_scope": (
        "I'm sorry, that's not something I can help with: I'm {assistant}, the {role} of "
        "{business}. I can help with {capabilities}.",
        "That's outside what {business} does, so I can't help with it, I'm afraid. I can "
        "help with {capabilities}.",
    ),
    "handoff": (
        "Of course{name}. I've asked a person from the team to take over. {handoff_when}",
        "Sure{name}, I've let the team know you'd like to talk to a person. {handoff_when}",
    ),
    "handoff_upset": (
        "I'm sorry about this{name}. I've asked a person from the team to look at it "
        "personally. {handoff_when}",
        "I'm sorry{name}. This needs a person, so I've passed it to the team. {handoff_when}",
    ),
    "handoff_unsure": (
        "I don't want to get this wrong, so I've asked a person from the team to help. "
        "{handoff_when}",
        "I'm not sure I've understood, so I've passed your message to a person on the team. "
        "{handoff_when}",
    ),
    "when_open": ("Someone will reply here shortly.",),
    "when_closed": ("We're closed right now, so someone will reply here from {day} at {time}.",),
    "when_unknown": ("Someone will reply here as soon as they can.",),
    "payment_received": (
        "Thank you{name}, I've received your proof of payment. The team will check it and "
        "confirm here.",
        "Thanks{name}, your proof of payment is in. Someone will verify it and confirm here.",
    ),
    "payment_ask": (
        "Thanks{name}. Please attach the proof of payment here (a photo, screenshot or PDF) "
        "and the team will check it.",
    ),
    "file_received": (
        "Thanks{name}, I've received your file. Someone from the team will take a look and "
        "reply here.",
    ),
    "no_problem": ("No problem{name}. Is there anything else I can help with?",),
    "day_open": ("On {day} we're open {spans}.", "{day}: we're open {spans}."),
    "day_closed": (
        "We're closed on {day}. We open again on {next}.",
        "Sorry, we're closed on {day}; we're next open {next}.",
    ),
    "day_closed_never": ("We're closed on {day}.",),
    "knowledge": (
        "{answer}\n\n(From: {source})",
        "Here's what I have on that: {answer}\n\n(From: {source})",
    ),
    "ack": (
        "Great{name}. Is there anything else I can help with?",
        "Okay{name}. Let me know if there's anything else.",
    ),
    "details_noted": (
        "Thanks{name}, I've noted your details. Is there anything else I can help with?",
        "Got it{name}: your details are noted. Anything else I can help with?",
    ),
    "ack_no": ("No problem{name}. Is there anything else I can help with?",),
    "capabilities": (
        "appointments, our opening hours and location, prices, or passing a message to the team",
    ),
}

# The concise personality's own wordings, where the shortest ordinary one is still chatty.
CONCISE: dict[str, str] = {
    "greet": "Hi{name}, I'm {assistant} from {business}. How can I help?",
    "thanks": "You're welcome{name}.",
    "goodbye": "Goodbye{name}!",
    "ask_name_contact": "Your name and a phone number or email, please?",
    "ask_contact": "Best phone number or email?",
    "ask_when": "Which day and time?",
    "lead_saved_call": "Thanks{name}. {business} will call you on {contact} about {topic}.",
    "lead_saved_email": "Thanks{name}. {business} will email you at {contact} about {topic}.",
    "booking_start": "Sure.",
    "reschedule_start": "Sure.",
    "cancel_start": "Noted.",
    "pricing_unknown": "I can't quote prices here.",
    "issue": "Sorry about the trouble with {topic}; I'll pass it to the team.",
    "complaint": "Sorry about that; I've flagged it for the team.",
    "unknown": "I don't know that one. Shall I ask the team?",
    "out_of_scope": "Sorry, I can't help with that. I can help with {capabilities}.",
    "handoff": "Done{name}: a person will take over. {handoff_when}",
    "feature": "Thanks{name}, passed on.",
}

# Added before a reply to give each personality its own voice; "positive" moves get the
# first list, moves about a problem the second.
OPENERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "professional": ((), ()),
    "friendly": (("Happy to help!", "Sure thing!"), ("Thanks for telling me.",)),
    "concise": ((), ()),
    "empathetic": (
        ("Thanks for reaching out, I'm glad you did.", "I appreciate you letting us know."),
        ("I understand how frustrating this must be.", "That sounds really stressful."),
    ),
    "enthusiastic": (("Great question!", "I'd love to help!"), ("Let's get this sorted!",)),
    "formal": ((), ()),
}

# Longer, formal forms of informal phrases (applied for the formal personality).
FORMAL = {
    "I'm": "I am",
    "I've": "I have",
    "I'd": "I would",
    "I'll": "I shall",
    "you'd": "you would",
    "You'd": "You would",
    "you're": "you are",
    "You're": "You are",
    "don't": "do not",
    "can't": "cannot",
    "won't": "will not",
    "isn't": "is not",
    "it's": "it is",
    "that's": "that is",
    "That's": "That is",
    "there's": "there is",
    "What's": "What is",
    "we're": "we are",
    "We're": "We are",
    "they'll": "they will",
    "Let's": "Let us",
    "Hi again": "Good day again",
    "Hello": "Good day",
    "Hi": "Good day",
    "Thanks": "Thank you",
    "Sure": "Certainly",
    "Got it": "Noted",
    "No problem": "Certainly",
}
