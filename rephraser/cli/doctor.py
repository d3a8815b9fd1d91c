"""`rephraser doctor`: what Rephraser sees and chose, one line per fact; exit 1 when something it needs is
broken (a template, the hotkey, or the endpoint in model mode; offline mode does not contact it)."""

from __future__ import annotations

import time

from rephraser.cli.checking import check_paths
from rephraser.composition import Core, build_history, build_model_client, build_secret_store, tray_available
from rephraser.core.config.schema import Settings
from rephraser.core.errors import RephraserError, SecretStoreError
from rephraser.core.history import HistoryError
from rephraser.core.keys import SecretStore, resolve_key
from rephraser.core.providers import get_provider

__all__ = ["doctor", "doctor_report"]


def doctor(core: Core) -> int:
    lines, ok = doctor_report(core)
    print("\n".join(lines))
    return 0 if ok else 1


def doctor_report(core: Core) -> tuple[list[str], bool]:
    """The report's lines, and whether everything Rephraser needs works."""
    settings = core.config.settings
    problems = check_paths(core, [info.path for info in core.templates.list()])
    lines = [
        f"config: {core.config_store.path} ({len(core.config.warnings)} warning(s))",
        *(f"  warning: {w}" for w in core.config.warnings),
        f"mode: {settings.mode}",
        f"templates: {len(core.templates.list())} ({len(problems)} with problems)",
        *(f"  {p}" for p in problems),
        _history_line(settings),
    ]
    desktop_ok = _desktop(settings, lines)
    store = build_secret_store(settings)
    endpoint_ok = _endpoint(settings, store, lines)
    broken = bool(problems) or not desktop_ok or (settings.mode == "model" and not endpoint_ok)
    return lines, not broken


def _history_line(settings: Settings) -> str:
    """Whether a history is kept, where, and how full; a damaged one says so (it never fails the check:
    rewrites work without it)."""
    if not settings.history:
        return "history: off"
    history = build_history(settings)
    try:
        kept = history.count()
    except HistoryError as error:
        return f"history: {error}"
    finally:
        history.close()
    return f"history: {kept} of at most {settings.history_max_entries} rewrites in {history.path}"


def _desktop(settings: Settings, lines: list[str]) -> bool:
    """Session, back-ends, hotkey and tray; False only when a display exists but the hotkey cannot work."""
    from rephraser.platform import DesktopUnavailableError, select_desktop_backends, session_type

    lines.append(f"session: {session_type()}")
    running = _running_instance()
    lines.append(f"tray app: {'running' if running else 'not running'}")
    try:
        backends = select_desktop_backends()
    except DesktopUnavailableError as error:
        lines.append(f"desktop back-ends: none ({error})")
        return True  # the command line works without a desktop
    lines.append(f"desktop back-ends: {backends.description}")
    lines.extend(f"  to do: {problem}" for problem in backends.problems)
    ok = not backends.problems
    if running:
        lines.append(f"hotkey: {settings.hotkey} (held by the running Rephraser)")
    else:
        from rephraser.core.desktop.keys import parse_combo

        try:
            failures = backends.hotkeys.grab({"main": parse_combo(settings.hotkey)}, lambda _name: None)
        except RephraserError as error:
            failures, ok = [], False
            lines.append(f"hotkey: {error}")
        else:
            backends.hotkeys.release_all()
            ok = ok and not failures
            state = f"taken ({failures[0].reason})" if failures else "can be grabbed"
            if not failures and backends.problems:
                state = "not working yet (see `to do`)"
            lines.append(f"hotkey: {settings.hotkey} {state}")
    backends.close()
    instead = "an overlay" if backends.floating_notices else "desktop notifications (a notification server)"
    lines.append(f"system tray: {'available' if tray_available() else f'none (notices use {instead})'}")
    lines.append(_preview_line(settings, backends.preview_window))
    return ok


def _preview_line(settings: Settings, floating: bool) -> str:
    """Whether rewrites are shown before the paste, and where that cannot be (no window floats unfocused)."""
    if not floating:
        return "preview: not on this desktop yet (no window can float here without the focus); rewrites paste at once"
    from rephraser.core.desktop.preview import preview_possible

    if not preview_possible(settings):
        return f"preview: off (preview = {settings.preview}{' in offline mode' if settings.mode == 'offline' else ''})"
    return f"preview: {settings.preview} (shown without taking the focus; Enter pastes, Esc cancels)"


def _running_instance() -> bool:
    from rephraser.core.ipc import NotRunningError, send

    try:
        return bool(send({"command": "ping"}, timeout_s=1.0).get("ok"))
    except (NotRunningError, OSError, RephraserError):
        return False


def _endpoint(settings: Settings, store: SecretStore, lines: list[str]) -> bool:
    from rephraser.core.providers.redact import safe_url

    provider = get_provider(settings.provider)
    lines += [
        f"provider: {provider.name} ({provider.title})",
        f"base URL: {safe_url(provider.base_url(settings.base_url))}",  # never its credentials
        f"model: {settings.model or '(not set)'}",
    ]
    try:
        lines.append(f"keyring: {store.describe()}")
    except SecretStoreError as error:
        lines.append(f"keyring: unavailable: {error}")
    if settings.mode != "model":
        # Offline mode never calls the endpoint, so its state cannot break anything: not even contacted.
        lines.append("endpoint: not used in offline mode (`rephraser config set mode model` to use it)")
        return True
    try:
        lines.append(f"API key: {resolve_key(provider, store).source}")
        client = build_model_client(settings._replace(model=settings.model or "-"), store)
        started = time.perf_counter()
        try:
            names = client.list_models()
        finally:
            client.close()
    except RephraserError as error:
        lines.append(f"endpoint: {error}")
        return False
    elapsed_ms = (time.perf_counter() - started) * 1000
    listed = "listed" if settings.model in names else "not listed"
    lines.append(
        f"endpoint: reachable in {elapsed_ms:.0f} ms, {len(names)} model(s); model {settings.model!r} {listed}"
    )
    return True
