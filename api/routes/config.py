"""GET /api/config: the facts the web page shares with the server, so it holds no copy of them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import UserDep
from hoptac.vietnamese import STRIPPED_THRESHOLD

router = APIRouter(prefix="/api", tags=["config"])


class WebConfig(BaseModel):
    #: A page whose ``stripped_score`` is above this reads as accent-stripped text.
    stripped_threshold: float


@router.get("/config", response_model=WebConfig)
def web_config(user: UserDep) -> WebConfig:
    """Any signed-in reader may read it."""
    return WebConfig(stripped_threshold=STRIPPED_THRESHOLD)
