"""The assistant's brain in settings: which engine writes the replies (its API key
write-only), what the connected model used, and the owner's custom intents."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.assistant import engine_settings, intents
from frontdesk.assistant.providers import DEFAULT_BASE_URLS
from frontdesk.assistant.schemas import CustomIntentIn, EngineUpdate
from frontdesk.deps import Svc, Uow
from frontdesk.kit.errors import Conflict, FrontdeskError
from frontdesk.web.forms import FormErrors, parse_form
from frontdesk.web.pages_app import base_context, settle_refusal
from frontdesk.web.session import redirect, refuse_cross_site, render, require_context
from frontdesk.workspaces.permissions import Permission, WorkspaceContext

router = APIRouter(include_in_schema=False)

PAGE = "/app/brain"
USAGE_DAYS = 30
PROVIDERS = (
    ("local", "Local", "No key, works offline. Runs on this server, at no cost."),
    (
        "openai",
        "OpenAI-compatible",
        "OpenAI, or any server with the same API: Ollama, vLLM, LM Studio, OpenRouter…",
    ),
    ("anthropic", "Anthropic", "Claude models, through Anthropic's API."),
)
DONE = {
    "engine": "The reply engine is saved.",
    "intent": "Intent added. Your assistant recognises it from the next message on.",
    "deleted": "Intent deleted.",
}


@router.get(PAGE, response_class=HTMLResponse)
async def brain_page(request: Request, uow: Uow, svc: Svc) -> Response:
    ctx = await require_context(request, uow, svc)
    context = await _context(uow.session, ctx)
    done = DONE.get(request.query_params.get("done", ""))
    return render(request, "assistant_brain.html", {**context, "done": done})


@router.get(PAGE + "/{rest:path}", response_class=HTMLResponse)
async def brain_forms_by_get(rest: str, request: Request) -> Response:
    """The forms' own addresses, reloaded or bookmarked after an error, show the page."""
    return redirect(request, PAGE)


@router.post(PAGE + "/engine", response_class=HTMLResponse)
async def engine_submit(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = {k: str(v) for k, v in (await request.form()).items()}
    typed = {k: form.get(k, "").strip() for k in ("provider", "base_url", "model")}
    key, remove = form.get("api_key", "").strip(), bool(form.get("remove_key"))
    # The key is write-only: empty keeps the saved one, "Remove key" clears it.
    data, errors = parse_form(EngineUpdate, {**typed, "api_key": "" if remove else (key or None)})
    if "form" in errors and typed["provider"] != "local" and not typed["model"]:
        errors["model"] = errors.pop("form")  # "name the … model to use"
    if "base_url" in errors:
        errors["base_url"] = "Start the address with http:// or https://."
    if remove and key:
        errors["api_key"] = "Paste a new key or remove the saved one, not both."
    status = 422
    if data is not None and not errors:
        try:
            await engine_settings.update(uow.session, ctx, svc.secrets, data, svc.settings)
            return redirect(request, f"{PAGE}?done=engine")
        except FrontdeskError as error:
            await settle_refusal(uow, ctx, error)
            errors, status = {"form": error.message}, error.status_code
    context = await _context(uow.session, ctx, engine_form=typed, engine_errors=errors)
    # A typed key is never sent back to the browser, so ask for it again.
    return render(
        request, "assistant_brain.html", {**context, "key_dropped": bool(key)}, status_code=status
    )


@router.post(PAGE + "/intents", response_class=HTMLResponse)
async def intent_submit(request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    form = {k: str(v) for k, v in (await request.form()).items()}
    typed = {k: form.get(k, "") for k in ("name", "examples", "answer")}
    typed["action"] = form.get("action", "answer")
    data, errors = parse_form(CustomIntentIn, {**typed, "examples": typed["examples"].splitlines()})
    errors = _intent_errors(errors)
    status = 422
    if data is not None:
        try:
            await intents.create(uow.session, ctx, data)
            return redirect(request, f"{PAGE}?done=intent#intents")
        except Conflict as error:  # the name is taken, or is a built-in intent's
            await settle_refusal(uow, ctx, error)
            errors, status = {"name": error.message}, error.status_code
        except FrontdeskError as error:
            await settle_refusal(uow, ctx, error)
            errors, status = {"form": error.message}, error.status_code
    context = await _context(uow.session, ctx, intent_form=typed, intent_errors=errors)
    return render(request, "assistant_brain.html", context, status_code=status)


@router.post(PAGE + "/intents/{intent_id}/delete", response_class=HTMLResponse)
async def intent_delete(intent_id: uuid.UUID, request: Request, uow: Uow, svc: Svc) -> Response:
    await refuse_cross_site(request)
    ctx = await require_context(request, uow, svc)
    try:
        await intents.delete(uow.session, ctx, intent_id)
    except FrontdeskError as error:
        await settle_refusal(uow, ctx, error)
        context = await _context(uow.session, ctx, intent_errors={"list": error.message})
        return render(request, "assistant_brain.html", context, status_code=error.status_code)
    return redirect(request, f"{PAGE}?done=deleted#intents")


def _intent_errors(errors: FormErrors) -> FormErrors:
    """The schema's messages, worded for this form."""
    if "form" in errors:  # the only whole-model check: an answering intent needs an answer
        errors["answer"] = errors.pop("form")
    examples = errors.get("examples", "")
    if examples.startswith("List should have at least") or "at least two" in examples:
        errors["examples"] = "Give at least two different example phrases, one per line."
    elif examples.startswith("List should have at most"):
        errors["examples"] = "Give at most 200 example phrases."
    return errors


async def _context(
    session: AsyncSession,
    ctx: WorkspaceContext,
    *,
    engine_form: dict[str, str] | None = None,
    engine_errors: FormErrors | None = None,
    intent_form: dict[str, str] | None = None,
    intent_errors: FormErrors | None = None,
) -> dict[str, Any]:
    engine = await engine_settings.get(session, ctx)
    usage = await engine_settings.usage(session, ctx, USAGE_DAYS)
    rows = await intents.list_intents(session, ctx)
    labels = {key: label for key, label, _ in PROVIDERS}
    return {
        **base_context(ctx, "brain"),
        "can_manage": ctx.can(Permission.MANAGE_SETTINGS),
        "providers": PROVIDERS,
        "provider_label": labels.get(engine.provider, engine.provider),
        "default_base_urls": DEFAULT_BASE_URLS,
        "engine": engine,
        "engine_form": engine_form
        or {"provider": engine.provider, "base_url": engine.base_url, "model": engine.model},
        "engine_errors": engine_errors or {},
        "key_dropped": False,
        "usage_days": USAGE_DAYS,
        "usage": [
            SimpleNamespace(
                provider=labels.get(r.provider, r.provider),
                model=r.model,
                calls=f"{r.calls:,}",
                input_tokens=f"{r.input_tokens:,}",
                output_tokens=f"{r.output_tokens:,}",
            )
            for r in usage.rows
        ],
        "intents": [
            SimpleNamespace(
                id=i.id,
                name=i.name,
                examples=len(i.examples),
                first_example=i.examples[0] if i.examples else "",
                answer=i.answer,
                hands_over=i.action == "handoff",
            )
            for i in rows
        ],
        "intent_form": intent_form
        or {"name": "", "examples": "", "answer": "", "action": "answer"},
        "intent_errors": intent_errors or {},
        "done": None,
    }
