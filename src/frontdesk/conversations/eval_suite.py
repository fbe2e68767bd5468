"""``frontdesk eval conversations``: multi-turn conversations played through the product.

Each conversation (``tests/conversations_suite/README.md`` describes the files) gets a new
workspace set up through the public API exactly as an owner would (profile, assistant,
custom intents, knowledge), then a customer plays its turns in the portal chat with no API
key; every expectation on a reply and on the staff view is checked. The app runs in this
process on a temporary SQLite database, jobs in process, nothing on the network.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from frontdesk.nlu.language import detect_language

PASSWORD = "conversation suite password"  # noqa: S105 - a throwaway owner per run


@dataclass
class Outcome:
    id: str
    business: str
    language: str
    failures: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    checks: int = 0  # turns with expectations, and the final view if any
    checks_failed: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


def load_suite(folder: Path) -> list[dict[str, Any]]:
    conversations = []
    found = [
        Path(root) / name
        for root, _dirs, names in os.walk(folder, followlinks=True)
        for name in names
        if name.endswith(".json")
    ]
    for path in sorted(found):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("id", path.stem)
        data["_path"] = str(path)
        conversations.append(data)
    if not conversations:
        raise SystemExit(f"frontdesk eval conversations: no conversation files in {folder}")
    return conversations


def evaluate_conversations(folder: Path) -> tuple[dict[str, Any], list[Outcome]]:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    conversations = load_suite(folder)
    outcomes = asyncio.run(_run_all(conversations))
    passed = sum(o.passed for o in outcomes)
    summary: dict[str, Any] = {
        "conversations": len(outcomes),
        "passed": passed,
        "pass_rate": round(passed / len(outcomes), 4),
        "checks": sum(o.checks for o in outcomes),
        "checks_pass_rate": round(
            1 - sum(o.checks_failed for o in outcomes) / max(1, sum(o.checks for o in outcomes)), 4
        ),
    }
    for key in ("business", "language"):
        groups: dict[str, list[Outcome]] = {}
        for outcome in outcomes:
            groups.setdefault(getattr(outcome, key), []).append(outcome)
        for name, group in sorted(groups.items()):
            summary[f"pass_rate_{key}_{name}"] = round(sum(o.passed for o in group) / len(group), 4)
    return summary, outcomes


async def _run_all(conversations: list[dict[str, Any]]) -> list[Outcome]:
    from frontdesk.app import create_app
    from frontdesk.kit.db import Database
    from frontdesk.kit.migrations import upgrade
    from frontdesk.settings import Settings

    with tempfile.TemporaryDirectory(prefix="frontdesk-suite-") as folder:
        settings = Settings(
            data_dir=Path(folder),
            secret_key="suite-" + "x" * 40,
            auto_migrate=False,
            warm_assistant=False,
            access_log=False,
            register_limit_per_ip="100000/minute",
            login_limit_per_ip="100000/minute",
            portal_sessions_per_ip="100000/minute",
            portal_messages_per_ip="100000/minute",
            portal_messages_per_session="100000/minute",
        )
        db = Database(settings.resolved_database_url)
        await upgrade(db)
        await db.dispose()
        app = create_app(settings)
        services = app.state.services
        await services.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://suite") as http:
                numbers = itertools.count(1)
                return [
                    await _play(http, services, conversation, next(numbers))
                    for conversation in conversations
                ]
        finally:
            await services.close()


async def _play(
    http: httpx.AsyncClient, services: Any, conversation: dict[str, Any], number: int
) -> Outcome:
    outcome = Outcome(
        conversation["id"], conversation.get("business", ""), conversation.get("language", "en")
    )
    try:
        headers = await _set_up(http, services, conversation.get("workspace", {}), number)
        await _turns(http, services, conversation, headers, outcome)
    except SetupError as error:
        outcome.failures.append(f"set-up: {error}")
    return outcome


class SetupError(Exception):
    pass


async def _set_up(
    http: httpx.AsyncClient, services: Any, workspace: dict[str, Any], number: int
) -> dict[str, str]:
    profile = dict(workspace.get("profile", {}))
    registered = await http.post(
        "/api/auth/register",
        json={
            "email": f"owner{number}@suite.example.com",
            "password": PASSWORD,
            "full_name": "Suite Owner",
            "business_name": profile.get("name") or f"Business {number}",
        },
    )
    _check(registered, "register")
    tokens = registered.json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "X-Slug": ""}
    headers["X-Slug"] = tokens["workspace"]["slug"]
    auth = {"Authorization": headers["Authorization"]}
    if profile:
        _check(await http.put("/api/workspace", headers=auth, json=profile), "profile")
    if workspace.get("assistant"):
        assistant = workspace["assistant"]
        _check(
            await http.put("/api/workspace/assistant", headers=auth, json=assistant), "assistant"
        )
    for intent in workspace.get("intents", []):
        _check(await http.post("/api/workspace/intents", headers=auth, json=intent), "intent")
    for source in workspace.get("knowledge", []):
        _check(await http.post("/api/knowledge/sources", headers=auth, json=source), "knowledge")
    await services.jobs.drain()
    return headers


def _check(response: httpx.Response, step: str) -> None:
    if response.status_code >= 400:
        raise SetupError(f"{step} refused ({response.status_code}): {response.text[:300]}")


async def _turns(
    http: httpx.AsyncClient,
    services: Any,
    conversation: dict[str, Any],
    headers: dict[str, str],
    outcome: Outcome,
) -> None:
    auth = {"Authorization": headers["Authorization"]}
    started = await http.post(f"/api/portal/{headers['X-Slug']}/sessions", json={})
    _check(started, "chat")
    chat = started.json()
    customer = {"Authorization": f"Bearer {chat['session_token']}"}
    cid = chat["conversation_id"]
    seen: set[str] = set()
    for index, turn in enumerate(conversation.get("turns", []), start=1):
        sent = await http.post(
            "/api/portal/messages", headers=customer, json={"text": turn["customer"]}
        )
        if sent.status_code != 201:
            outcome.failures.append(f"turn {index}: message refused ({sent.status_code})")
            return
        await services.jobs.drain()
        messages = (await http.get(f"/api/conversations/{cid}/messages", headers=auth)).json()
        replies = [
            m
            for m in messages["messages"]
            if m["sender_type"] == "assistant" and m["id"] not in seen
        ]
        seen.update(m["id"] for m in replies)
        reply = "\n".join(m["text"] for m in replies)
        outcome.transcript.append((turn["customer"], reply))
        state = (await http.get(f"/api/conversations/{cid}", headers=auth)).json()
        problems = _judge_turn(turn.get("expect") or {}, reply, replies, state)
        outcome.checks += bool(turn.get("expect"))
        outcome.checks_failed += bool(problems)
        for problem in problems:
            outcome.failures.append(f"turn {index} ({turn['customer']!r}): {problem}")
    final = conversation.get("final")
    if final:
        state = (await http.get(f"/api/conversations/{cid}", headers=auth)).json()
        problems = _judge_final(final, state)
        outcome.checks += 1
        outcome.checks_failed += bool(problems)
        outcome.failures.extend(f"final: {p}" for p in problems)


def _judge_turn(
    expect: dict[str, Any], reply: str, replies: list[dict[str, Any]], state: dict[str, Any]
) -> list[str]:
    problems: list[str] = []
    text = reply.lower()
    if not reply.strip() and expect:
        return ["no reply"]
    for fact in expect.get("facts", []):
        options = fact if isinstance(fact, list) else [fact]
        if not any(str(o).lower() in text for o in options):
            problems.append(f"missing {options}")
    for absent in expect.get("absent", []):
        if str(absent).lower() in text:
            problems.append(f"says {absent!r}")
    language = expect.get("language")
    if language and detect_language(reply, default=language, candidates=("en", "es")) != language:
        problems.append(f"not in {language}")
    if "handoff" in expect and bool(state.get("needs_human")) != bool(expect["handoff"]):
        problems.append(f"needs_human is {state.get('needs_human')}, expected {expect['handoff']}")
    if "no_answer" in expect:
        unknown = not any(m.get("meta", {}).get("citations") for m in replies) and _admits(text)
        if bool(expect["no_answer"]) != unknown:
            problems.append("answered" if expect["no_answer"] else "said it does not know")
    return problems


_ADMITS = re.compile(
    r"don't know|do not know|not sure|don't have|do not have|no tengo|no sé|no estoy segur|"
    r"rather not|prefiero no|no quiero adivinar|don't want to guess|can't help|cannot help|"
    r"no puedo ayudar|a person|una persona|the team|el equipo",
)


def _admits(text: str) -> bool:
    return bool(_ADMITS.search(text))


def _judge_final(final: dict[str, Any], state: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "needs_human" in final and bool(state.get("needs_human")) != bool(final["needs_human"]):
        problems.append(f"needs_human is {state.get('needs_human')}")
    wanted = final.get("contact")
    if wanted is None:
        return problems
    contact = state.get("contact") or {}
    for key, value in wanted.items():
        have = str(contact.get(key) or "")
        if value is None:
            if have:
                problems.append(f"contact {key} should be empty, is {have!r}")
        elif key == "phone":
            if re.sub(r"\D", "", have) != re.sub(r"\D", "", str(value)):
                problems.append(f"contact phone {have!r}, expected {value!r}")
        elif have.strip().lower() != str(value).strip().lower():
            problems.append(f"contact {key} {have!r}, expected {value!r}")
    return problems


def print_report(summary: dict[str, Any], outcomes: list[Outcome], verbose: bool) -> None:
    for outcome in outcomes:
        if outcome.passed and not verbose:
            continue
        mark = "PASS" if outcome.passed else "FAIL"
        print(f"{mark} {outcome.id}")
        for failure in outcome.failures:
            print(f"    - {failure}")
        if verbose or not outcome.passed:
            for said, answered in outcome.transcript:
                print(f"      > {said}")
                print("      < " + answered.replace("\n", "\n        "))
