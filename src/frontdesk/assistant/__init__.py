"""The assistant: its persona (name, role, personality, instructions) and, later, its engine."""
