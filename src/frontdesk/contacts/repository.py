from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_

from frontdesk.contacts.models import Contact
from frontdesk.kit.repository import WorkspaceRepository


class ContactRepository(WorkspaceRepository[Contact]):
    model = Contact

    async def page(self, limit: int, offset: int, query: str = "") -> Sequence[Contact]:
        statement = self.scoped()
        if query:
            like = f"%{query.lower()}%"
            statement = statement.where(
                or_(
                    func.lower(Contact.name).like(like),
                    func.lower(Contact.email).like(like),
                    Contact.phone.like(f"%{query}%"),
                )
            )
        statement = statement.order_by(Contact.updated_at.desc(), Contact.id)
        result = await self.session.execute(statement.limit(limit).offset(offset))
        return result.scalars().all()

    async def find_by_email_or_phone(self, email: str, phone: str) -> Contact | None:
        """The contact a new detail belongs to, so one person stays one contact."""
        clauses = []
        if email:
            clauses.append(Contact.email == email)
        if phone:
            clauses.append(Contact.phone == phone)
        if not clauses:
            return None
        statement = self.scoped().where(or_(*clauses)).order_by(Contact.created_at).limit(1)
        return (await self.session.execute(statement)).scalar_one_or_none()
