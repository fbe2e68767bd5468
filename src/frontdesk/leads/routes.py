"""HTTP endpoints of this feature."""

from fastapi import APIRouter

router = APIRouter()
