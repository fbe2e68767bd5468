"""Workspaces (one per business), their profile and hours, members, roles and invitations."""
