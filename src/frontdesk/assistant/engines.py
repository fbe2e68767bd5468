"""Which engine answers for a workspace: the local one, or its connected LLM with the local
engine as the fallback. Engines (and their HTTP clients) are cached per configuration, so
connections are reused across replies and a changed setting takes effect at once."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from frontdesk.assistant.engine import Assistant
from frontdesk.assistant.engine_settings import provider_config
from frontdesk.assistant.local_engine import LocalAssistant
from frontdesk.assistant.models import AssistantProfile
from frontdesk.assistant.providers import ProviderConfig, build_engine
from frontdesk.kit.secrets import SecretBox
from frontdesk.settings import Settings

MAX_CACHED_ENGINES = 256
local_engine = LocalAssistant()
_engines: OrderedDict[ProviderConfig, Assistant] = OrderedDict()
_closing: set[asyncio.Future[Any]] = set()


def engine_for(profile: AssistantProfile, box: SecretBox, settings: Settings) -> Assistant:
    config = provider_config(profile, box, settings)
    if config.provider == "local":
        return local_engine
    engine = _engines.get(config)
    if engine is None:
        engine = build_engine(config, local_engine)
        _engines[config] = engine
        if len(_engines) > MAX_CACHED_ENGINES:
            _, evicted = _engines.popitem(last=False)
            close = getattr(evicted, "aclose", None)
            if close is not None:  # its HTTP connections; close in the background
                _closing.add(task := asyncio.ensure_future(close()))
                task.add_done_callback(_closing.discard)
    _engines.move_to_end(config)
    return engine
