"""Which engine writes the assistant's replies: the local one, or a language model with the
local one behind it.

``build_engine`` is the only entry point. The vendor SDKs are imported when an engine for
them is built, not when this package is: they are slow to import and most workspaces run
locally. Each engine owns its HTTP client; callers may cache engines per workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from frontdesk.assistant.engine import Assistant
from frontdesk.assistant.providers.fallback import FallbackAssistant

Provider = Literal["local", "openai", "anthropic"]

# Used when a workspace picks a vendor but names no model: small, cheap, good at chat.
DEFAULT_MODELS: dict[Provider, str] = {
    "openai": "gpt-4o-mini",
    "anthropic": "claude-haiku-4-5",
}


# Where each vendor's API lives when a workspace names no base URL. Kept here, not in the
# engine modules, so settings pages can show them without importing the SDKs.
DEFAULT_BASE_URLS: dict[Provider, str] = {
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}


@dataclass(frozen=True)
class ProviderConfig:
    provider: Provider
    model: str = ""
    base_url: str = ""  # empty: the vendor's own API; set it for Ollama, vLLM, proxies
    api_key: str = field(default="", repr=False)  # never in a log line or a traceback
    timeout_seconds: float = 20.0  # the budget for a whole reply, retries included
    max_retries: int = 2
    # FRONTDESK_ALLOW_PRIVATE_NETWORK: whether base_url may reach loopback or private
    # addresses; checked again at every connection (kit/outbound.py).
    allow_private_network: bool = False


def _guarded_transport(config: ProviderConfig) -> Any:
    """The SDKs' transport, connecting only to addresses the instance allows: the key goes
    to no address inside the server's network unless the instance says it may."""
    import httpx2

    from frontdesk.kit.outbound import guard_transport

    return guard_transport(httpx2.AsyncHTTPTransport(), allow_private=config.allow_private_network)


def build_engine(config: ProviderConfig, local: Assistant) -> Assistant:
    if config.provider == "local":
        return local
    model = config.model or DEFAULT_MODELS[config.provider]
    primary: Assistant
    if config.provider == "openai":
        from openai import DefaultAsyncHttpxClient

        from frontdesk.assistant.providers.openai_engine import OpenAIEngine

        primary = OpenAIEngine(
            model=model,
            base_url=config.base_url,
            api_key=config.api_key,
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
            http_client=DefaultAsyncHttpxClient(transport=_guarded_transport(config)),
        )
    elif config.provider == "anthropic":
        from anthropic import DefaultAsyncHttpxClient as AnthropicHttpxClient

        from frontdesk.assistant.providers.anthropic_engine import AnthropicEngine

        primary = AnthropicEngine(
            model=model,
            base_url=config.base_url,
            api_key=config.api_key,
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
            http_client=AnthropicHttpxClient(transport=_guarded_transport(config)),
        )
    else:
        raise ValueError(f"unknown assistant provider {config.provider!r}")
    return FallbackAssistant(primary=primary, fallback=local, timeout=config.timeout_seconds)


__all__ = ["DEFAULT_MODELS", "FallbackAssistant", "Provider", "ProviderConfig", "build_engine"]
