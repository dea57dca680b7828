"""Offset pagination shared by JSON lists and HTML tables.

Every list answers `{"items", "total", "limit", "offset", "has_more"}` (spec 20);
limit defaults to 50 and may not exceed 100.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, get_args

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1  # PostgreSQL OFFSET is a bigint; larger values would fail in the database


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def count(query: Select) -> int:
    """How many rows `query` matches, whatever page of it is shown."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def paginate(query: Select, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page:
    """Run `query` for one page and count all matching rows (the query must be ordered)."""
    items = list(db.session.scalars(query.limit(limit).offset(offset)))
    return Page(items=items, total=count(query), limit=limit, offset=offset)


class PageQuery(BaseModel):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


ItemT = TypeVar("ItemT", bound=BaseModel)


class PageOut(BaseModel, Generic[ItemT]):
    """Subclass with a concrete item model: `class PropertyPage(PageOut[PropertyOut])`."""
    items: list[ItemT]
    total: int
    limit: int
    offset: int
    has_more: bool

    @classmethod
    def of(cls, page: Page):
        """Build the response from a service `Page`, converting each row with the item model."""
        item_model = get_args(cls.model_fields["items"].annotation)[0]
        return cls(items=[item_model.model_validate(item) for item in page.items], total=page.total,
                   limit=page.limit, offset=page.offset, has_more=page.has_more)
