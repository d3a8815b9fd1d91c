"""The tray app's brain: hotkeys and triggers start or cancel rewrite jobs, one at a time; the tray's
choices (target, offline, pause) apply at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from rephraser.core.config import Settings
from rephraser.core.desktop.hotkey_settings import configured_hotkeys
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import ClipboardPort, FocusPort, GrabFailure, HotkeyPort, KeyPort
from rephraser.core.desktop.preview import preview_wanted
from rephraser.core.errors import ConfigError, RephraserError
from rephraser.core.history import HistoryEntry
from rephraser.core.requests import RewriteRequest, RewriteResult
from rephraser.core.targets import TARGET_CHOICES
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.job import DescribeImage, JobSettings, ModelRewrite, Preview, RewriteJob, Rewriters, Timing

__all__ = ["Controller", "Ports"]

ESCAPE = KeyCombo((), "Escape")
# Our own synthetic keys must never start or cancel a job (a peer re-triggers itself this way).
_OWN_KEYS_WINDOW_S = 0.15
_PROGRESS_AFTER_MS = 150


class Ports:
    """The OS back-ends the controller drives."""

    def __init__(
        self, hotkeys: HotkeyPort, keys: KeyPort, focus: FocusPort, clipboard: ClipboardPort, command_key: bool = False
    ) -> None:
        self.hotkeys, self.keys, self.focus, self.clipboard = hotkeys, keys, focus, clipboard
        self.command_key = command_key  # copy and paste with Command (macOS)


class Controller(QObject):
    """Signals:
    busy(bool): a job started or ended (the tray's icon state).
    settings_requested(): `rephraser settings` asked for the settings window.
    progress(int): a model rewrite is running; characters streamed so far (0 before the first).
    notice(str): a message for the user.
    job_finished(str): a job's outcome.
    replaced(HistoryEntry): a rewrite was pasted over the selection.
    """

    busy = Signal(bool)
    notice = Signal(str)
    job_finished = Signal(str)
    replaced = Signal(object)
    settings_requested = Signal()
    progress = Signal(int)

    def __init__(
        self,
        settings: Settings,
        ports: Ports,
        offline: Callable[[RewriteRequest], RewriteResult],
        model: Callable[[], ModelRewrite],
        log: EventLog,
        timing: Timing | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._ports = ports
        self._offline = offline
        self._model = model
        self._log = log
        self._timing = timing
        self.target = settings.default_target
        self.offline_only = settings.mode == "offline"
        self.paused = settings.hotkeys_paused
        self._job: RewriteJob | None = None
        self.last_replaced: HistoryEntry | None = None  # this session's last pasted rewrite (revert's)
        self.older_rewrite: Callable[[], HistoryEntry | None] = lambda: None  # before it: the history's newest
        self.describer: Callable[[], DescribeImage | None] = lambda: None  # image to prompt (model mode)
        self.preview: Callable[[], Preview] | None = None  # the preview window (None: no preview here)
        self.last_app = ""  # the class of the last app a rewrite captured from (the settings' Apps page)
        self._own_keys: dict[KeyCombo, float] = {}  # combo -> until when a press of it is ours
        self._combos: dict[str, KeyCombo] = {}  # what is grabbed now, by name ("cancel": Esc during a job)
        self._wanted: dict[str, KeyCombo] | None = None  # the hotkeys last asked for (None: never)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.timeout.connect(lambda: self._job_progress(0))

    # -- hotkeys ------------------------------------------------------------------------------------

    def hotkeys(self) -> dict[str, KeyCombo]:
        """The configured hotkeys by name ("main", or a target for the per-target ones).

        Raises:
            ConfigError
        """
        return configured_hotkeys(self._settings)

    def grab_hotkeys(self) -> list[str]:
        """Grab the configured hotkeys (none while paused) when they differ from those held; return at most
        one notice, naming every combination that could not be taken."""
        try:
            wanted = {} if self.paused else self.hotkeys()
        except ConfigError as error:
            return [str(error)]
        if wanted == self._wanted:
            return []  # unchanged: the grabs stay as they are
        self._wanted = wanted
        self._combos = dict(wanted)
        if not wanted:
            self._ports.hotkeys.release_all()
            return []
        failures = self._ports.hotkeys.grab(wanted, self.on_hotkey)
        if self._job is not None:
            self._grab_escape()  # grab() replaced every grab, Esc's included
        return [_taken_notice(failures)] if failures else []

    def _grab_escape(self) -> None:
        """Esc cancels while a job runs; taken by another program, only the hotkey cancels."""
        if self._ports.hotkeys.grab_one("cancel", ESCAPE) is None:
            self._combos["cancel"] = ESCAPE

    def _release_escape(self) -> None:
        if self._combos.pop("cancel", None) is not None:
            self._ports.hotkeys.release("cancel")

    def on_hotkey(self, name: str) -> None:
        combo = self._combos.get(name)
        if combo is not None and time.monotonic() < self._own_keys.get(combo, 0.0):
            return  # our own synthetic key press, not the user
        self._log.event("hotkey", hotkey=name)
        if self._job is not None:
            self._job.cancel()
        elif name == "revert":
            self.revert()
        elif name == "describe":
            self.describe()
        elif name != "cancel":
            self.trigger(None if name == "main" else name)

    # -- actions ------------------------------------------------------------------------------------

    def trigger(self, target: str | None) -> bool:
        """Start a rewrite (from the hotkey, the tray or `rephraser trigger`); False if one is running."""
        if self._job is not None:
            return False
        chosen = target or self.target
        if chosen not in TARGET_CHOICES:
            self.notice.emit(f'Unknown target "{chosen}".')
            return False
        model = None if self.offline_only else self._model_rewrite()
        settings = JobSettings(
            chosen,
            *self._capture_settings(),
            preview=self._preview_policy(model is not None),
            fill_placeholders=self._settings.fill_placeholders,
        )
        return self._start(Rewriters(self._offline, model), settings)

    def _preview_policy(self, uses_model: bool) -> Callable[[str, str], bool] | None:
        """Whether a job previews, by target and app (None: no preview window exists here)."""
        if self.preview is None:
            return None
        settings = self._settings
        return lambda target, app_class: preview_wanted(settings, target, app_class, uses_model)

    def revert(self) -> bool:
        """Put the last rewrite's original back over it (the tray, `hotkey_revert`); False if a job runs
        or nothing was rewritten yet."""
        if self._job is not None:
            return False
        last = self.last_replaced or self.older_rewrite()
        if last is None:
            self.notice.emit("There is no rewrite to revert yet.")
            return False
        return self._start(Rewriters(self._offline), JobSettings(last.target, *self._capture_settings(), revert=last))

    def describe(self) -> bool:
        """Image to prompt (the tray, `hotkey_describe`): the clipboard's image to the model, its prompt
        pasted at the cursor. False if a job runs or there is no model to ask."""
        if self._job is not None:
            return False
        describe = None if self.offline_only else self.describer()
        if describe is None:
            self.notice.emit(
                "Image to prompt needs a model that can see images: switch off Offline mode, or set mode = "
                "model and a vision model in the settings."
            )
            return False
        rewriters = Rewriters(self._offline, describe=describe)
        return self._start(rewriters, JobSettings("image", *self._capture_settings(), describe=True))

    def _capture_settings(self) -> tuple[str, bool]:
        return self._settings.capture, self._settings.terminal_replace

    def _start(self, rewriters: Rewriters, settings: JobSettings) -> bool:
        settings = settings._replace(command_key=self._ports.command_key)
        preview = self.preview() if self.preview is not None and settings.preview is not None else None
        ports = (self._ports.keys, self._ports.focus, self._ports.clipboard)
        job = RewriteJob(ports, rewriters, settings, self._log, self._timing, preview)
        job.notice.connect(self.notice)
        job.injected.connect(self._injected)
        job.finished.connect(self._finished)
        job.progress.connect(self._job_progress)
        self._job = job
        self._grab_escape()
        self.busy.emit(True)
        if job.uses_model:
            self._progress_timer.start(_PROGRESS_AFTER_MS)  # a slow model gets a progress overlay
        job.start()
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def shutdown(self) -> None:
        """The app quits: a running job ends now, with the clipboard put back (even mid-paste)."""
        if self._job is not None:
            self._job.abort()

    def set_target(self, target: str) -> None:
        self.target = target

    def set_offline(self, offline: bool) -> None:
        self.offline_only = offline

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        for message in self.grab_hotkeys():
            self.notice.emit(message)

    def handle_command(self, request: dict[str, Any]) -> dict[str, Any]:
        """An IPC command from `rephraser trigger` or a second `rephraser run`."""
        command = request.get("command")
        if command == "trigger":
            target = request.get("target") or None
            return _started(self.trigger(target if isinstance(target, str) else None), "a rewrite is already running")
        if command == "describe":
            return _started(self.describe(), "a rewrite is running, or no model can be asked")
        if command == "revert":
            return _started(self.revert(), "a rewrite is running, or there is none to revert")
        if command == "activate":
            self.notice.emit("Rephraser is already running.")
            return {"ok": True}
        if command == "settings":
            self.settings_requested.emit()
            return {"ok": True}
        if command == "ping":
            return {"ok": True, "busy": self._job is not None}
        if command == "hotkey":  # a compositor binding (sway) that stands in for a grab
            name = request.get("name")
            if not isinstance(name, str) or name not in self._combos:
                return {"ok": False, "error": f"no hotkey called {str(name)[:40]!r} is set"}
            self.on_hotkey(name)
            return {"ok": True}
        return {"ok": False, "error": f"unknown command {command!r}"}

    # -- internals ----------------------------------------------------------------------------------

    def _model_rewrite(self) -> ModelRewrite:
        """The model path, built on its first call, in the job's worker: httpx, keyring and the core before
        them took ~130 ms on the GUI thread, before the first job (and its preview) could start. A build
        that fails (no model set, no key) gives the offline rewrite with that failure as its notice."""
        factory, offline = self._model, self._offline

        def rewrite(request: RewriteRequest, on_delta: Callable[[str], None], token: Any) -> RewriteResult:
            try:
                model = factory()
            except RephraserError as error:
                return offline(request)._replace(notice=str(error))
            return model(request, on_delta, token)

        return rewrite

    def _job_progress(self, chars: int) -> None:
        """The progress overlay, unless the preview already shows the job."""
        if self._job is not None and not self._job.previewing:
            self.progress.emit(chars)

    def _injected(self, combo: KeyCombo) -> None:
        self._own_keys[combo] = time.monotonic() + _OWN_KEYS_WINDOW_S

    def reconfigure(
        self, settings: Settings, offline: Callable[[RewriteRequest], RewriteResult], model: Callable[[], ModelRewrite]
    ) -> list[str]:
        """Apply saved settings at once (no restart), grabbing hotkeys again only if they changed; return
        hotkey problems."""
        self._settings, self._offline, self._model = settings, offline, model
        self.target = settings.default_target
        self.offline_only = settings.mode == "offline"
        self.paused = settings.hotkeys_paused
        return self.grab_hotkeys()

    @property
    def settings(self) -> Settings:
        """The settings in force (saved ones apply through `reconfigure`)."""
        return self._settings

    @property
    def busy_now(self) -> bool:
        """A job runs (it holds the clipboard until it ends)."""
        return self._job is not None

    def own_combos(self) -> set[str]:
        """The combinations Rephraser itself holds right now."""
        return {str(combo) for combo in self._combos.values()}

    def _finished(self, outcome: str) -> None:
        self._progress_timer.stop()
        job, self._job = self._job, None
        if job is not None and job.app_class:
            self.last_app = job.app_class
        entry = job.replaced if job is not None and outcome == "pasted" else None
        self._release_escape()
        self.busy.emit(False)
        if entry is not None:
            self.last_replaced = entry
            self.replaced.emit(entry)
        self.job_finished.emit(outcome)


def _started(started: bool, why_not: str) -> dict[str, Any]:
    return {"ok": started, "error": "" if started else why_not}


def _taken_notice(failures: list[GrabFailure]) -> str:
    """One notice for every hotkey that could not be taken: the combination, its setting, who holds it."""
    setting = {"main": "hotkey"}
    parts = [
        f"{f.combo} ({setting.get(f.name, 'hotkey_' + f.name)}: {f'{f.holder} holds it' if f.holder else f.reason})"
        for f in failures
    ]
    if len(parts) == 1:
        name = setting.get(failures[0].name, "hotkey_" + failures[0].name)
        return f"Rephraser cannot use the hotkey {parts[0]}. Choose another with `rephraser config set {name} KEYS`."
    return (
        f"Rephraser cannot use these hotkeys: {', '.join(parts)}. Choose others with "
        "`rephraser config set SETTING KEYS`."
    )
