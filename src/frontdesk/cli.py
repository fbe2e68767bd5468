"""The ``frontdesk`` command: serve, migrate, demo, worker, rotate-secret-key, backup,
restore, eval."""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import sys
from pathlib import Path

from frontdesk.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="frontdesk", description="Frontdesk server and tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Migrate the database, then serve HTTP.")
    serve.add_argument("--host", help="Interface to bind (default 127.0.0.1).")
    serve.add_argument("--port", type=int, help="Port (default 8000).")
    serve.add_argument("--data-dir", type=Path, help="Where SQLite and the secret live.")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="Create the demo business first if the database is empty.",
    )
    serve.add_argument("--reload", action="store_true", help="Restart on code changes (dev).")

    for name, text in (
        ("migrate", "Apply database migrations."),
        ("demo", "Create the demo business (Bright Smile Dental)."),
        ("worker", "Run background jobs from Redis (with FRONTDESK_JOB_QUEUE=redis)."),
        ("rotate-secret-key", "Re-seal stored secrets with the first FRONTDESK_SECRETS_KEYS key."),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--data-dir", type=Path, help="Where SQLite and the secret live.")
        if name == "worker":
            command.add_argument("--concurrency", type=int, default=8, help="Jobs at once.")

    backup = commands.add_parser(
        "backup", help="Write the database and the uploads to one .tar.gz (safe while serving)."
    )
    # A string, not a Path: a trailing slash ("backups/") means a folder, made if missing.
    backup.add_argument("target", help="A folder (a dated file goes in it) or a file.")
    backup.add_argument("--data-dir", type=Path, help="Where SQLite and the uploads live.")
    restore = commands.add_parser(
        "restore", help="Put a backup back (servers stopped), then migrate."
    )
    restore.add_argument("archive", type=Path, help="A file written by `frontdesk backup`.")
    restore.add_argument(
        "--force", action="store_true", help="Replace the data this instance already holds."
    )
    restore.add_argument("--data-dir", type=Path, help="Where SQLite and the uploads live.")

    from frontdesk.nlu.eval_cli import add_eval_command, run_eval

    add_eval_command(commands)

    args = parser.parse_args(argv)
    if args.command == "eval":  # offline measurement: no settings, no database
        return run_eval(args)
    if getattr(args, "data_dir", None):
        # The environment carries it into uvicorn's app factory as well.
        os.environ["FRONTDESK_DATA_DIR"] = str(args.data_dir)
    settings = Settings()
    from frontdesk.observability.logging import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    if args.command == "worker" and settings.job_queue != "redis":
        print(
            "frontdesk worker runs jobs from Redis: set FRONTDESK_JOB_QUEUE=redis and "
            "FRONTDESK_REDIS_URL. With the default in-process queue, `serve` runs jobs itself."
        )
        return 2
    _exit_if_unreachable(settings)
    if args.command == "migrate":
        # The secret too: processes started after a one-off migrate (compose) share a data
        # folder, and none of them must race another to create it.
        settings.signing_secret  # noqa: B018
        asyncio.run(_migrate(settings))
        print(f"Database is up to date ({_describe(settings)}).")
    elif args.command == "worker":
        return asyncio.run(_worker(settings, args.concurrency))
    elif args.command in ("backup", "restore"):
        return _backup_command(settings, args)
    elif args.command == "rotate-secret-key":
        from frontdesk.kit.secret_rotation import rotate_command

        return asyncio.run(rotate_command(settings))
    elif args.command == "demo":
        asyncio.run(_migrate(settings))
        asyncio.run(_demo(settings, only_if_empty=False))
    else:
        _serve(settings, args)
    return 0


def _backup_command(settings: Settings, args: argparse.Namespace) -> int:
    from frontdesk.backups import BackupError, create_backup, restore_backup

    try:
        if args.command == "backup":
            path, manifest = asyncio.run(create_backup(settings, args.target))
            print(f"Backup written: {path} ({manifest.database}, uploads {manifest.uploads}).")
        else:
            manifest = asyncio.run(restore_backup(settings, args.archive, force=args.force))
            print(
                f"Restored the backup of {manifest.created} ({manifest.database}, revision "
                f"{manifest.alembic_revision}); the database is migrated to this version."
            )
    except BackupError as error:
        print(f"frontdesk {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


def _exit_if_unreachable(settings: Settings) -> None:
    """Say in one line which dependency cannot be reached, and stop (no traceback)."""
    from frontdesk.kit.dependencies import startup_problem

    problem = asyncio.run(startup_problem(settings))
    if problem:
        print(f"frontdesk: {problem}", file=sys.stderr)
        raise SystemExit(1)


def _describe(settings: Settings) -> str:
    from sqlalchemy import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


async def _migrate(settings: Settings) -> None:
    from frontdesk.kit.db import Database
    from frontdesk.kit.migrations import upgrade

    db = Database(settings.resolved_database_url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


async def _demo(settings: Settings, only_if_empty: bool) -> None:
    from frontdesk.demo import create_demo, database_is_empty
    from frontdesk.demo_leads import add_demo_leads
    from frontdesk.kit.db import Database

    db = Database(settings.resolved_database_url)
    try:
        if only_if_empty and not await database_is_empty(db):
            return
        result = await create_demo(db)
        if result.created:  # a few patients who wrote in, so Leads and the inbox show life
            await add_demo_leads(db)
    finally:
        await db.dispose()
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    if result.created:
        print("\n  Demo business created: Bright Smile Dental")
        print(f"  Sign in at {base}/login")
        print(f"    email:    {result.email}")
        print(f"    password: {result.password}")
    else:
        print(f"\n  Demo business already exists; sign in as {result.email}.")
    print(f"  Customer portal: {base}/c/{result.slug}\n")


async def _worker(settings: Settings, concurrency: int) -> int:
    from frontdesk import tasks
    from frontdesk.jobs.redis_queue import RedisQueue
    from frontdesk.services import Services

    services = Services.build(settings)
    assert isinstance(services.jobs, RedisQueue) and tasks.FEATURE_TASKS
    await services.start()
    # SIGTERM (a deploy, `docker stop`): finish the jobs in hand, then exit.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, services.jobs.request_stop)
    print(f"Frontdesk worker running {concurrency} jobs at a time (Ctrl+C to stop).")
    try:
        await services.jobs.work(concurrency)
    finally:
        await services.close()
    print("Frontdesk worker stopped.")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    host = args.host or settings.host
    port = args.port or settings.port
    os.environ["FRONTDESK_HOST"], os.environ["FRONTDESK_PORT"] = host, str(port)
    settings = Settings()
    settings.signing_secret  # noqa: B018 - create the secret before workers start
    if settings.auto_migrate:
        asyncio.run(_migrate(settings))
    if args.demo:
        asyncio.run(_demo(settings, only_if_empty=True))
    print(f"Frontdesk is running on http://{host}:{port}  (database: {_describe(settings)})")
    uvicorn.run(
        "frontdesk.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=args.reload,
        log_level=settings.log_level,
        # Uvicorn's own lines go through the root logger configured above (text or JSON);
        # a reloading child process starts fresh, so it keeps uvicorn's configuration.
        log_config=LOGGING_CONFIG if args.reload else None,
        # SIGTERM: stop accepting, give open requests and sockets this long, then the
        # lifespan waits (as long again at most) for running jobs such as replies.
        timeout_graceful_shutdown=math.ceil(settings.shutdown_grace_seconds),
        proxy_headers=True,
        access_log=settings.access_log,
        ws_ping_interval=settings.ws_ping_seconds or None,
        ws_ping_timeout=settings.ws_ping_seconds or None,
    )
