"""`rephraser run`: the desktop composition root. Builds the core, the platform back-ends, the
controller, the tray and the single-instance server, then runs Qt's event loop."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from rephraser.composition import Core, build_core, build_image_describer, build_model_rewriter, load_config
from rephraser.core.config import ConfigStore, LoadedConfig
from rephraser.core.desktop.ports import ClipboardPort
from rephraser.core.desktop.preview import preview_possible
from rephraser.core.requests import RewriteRequest, RewriteResult
from rephraser.desktop.background import BackgroundTask, run_in_background
from rephraser.desktop.clipboard import QtClipboard
from rephraser.desktop.collector import IdleCollector
from rephraser.desktop.controller import Controller, Ports
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.history_recorder import HistoryRecorder
from rephraser.desktop.job import ModelRewrite
from rephraser.desktop.signals import QuitOnSignals
from rephraser.lifetime import keep_running
from rephraser.platform import DesktopBackends, select_desktop_backends

if TYPE_CHECKING:
    from rephraser.desktop.ipc import IpcServer
    from rephraser.desktop.notify import Notifier
    from rephraser.desktop.preview import PreviewWindow
    from rephraser.desktop.settings.window import SettingsWindow
    from rephraser.desktop.tray import Tray

__all__ = ["CoreOnDemand", "DesktopApp", "run"]

# Xlib may read events while answering our own requests; the socket notifier then stays quiet,
# so a slow safety-net timer drains them too.
_PUMP_INTERVAL_MS = 50
_WARM_PREVIEW_MS = 2000  # after start-up: `ready` comes first, and the first seconds stay quiet


def run(started: float, log_json: bool) -> int:
    """Run the tray app until Quit; `started` is time.perf_counter() at process start."""
    log = EventLog(log_json)
    _log_to_file()
    backends = select_desktop_backends()  # before Qt: without a display, Qt would abort the process
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt, QApplication)
    qt.setApplicationName("Rephraser")
    qt.setQuitOnLastWindowClosed(False)
    core = CoreOnDemand(load_config())
    app = DesktopApp(qt, core, backends, log)
    signals = QuitOnSignals(app.quit)
    problems = [*core.config.warnings, *backends.problems, *app.controller.grab_hotkeys()]
    log.event(
        "ready",
        ms=round((time.perf_counter() - started) * 1000, 1),
        hotkey=core.config.settings.hotkey,
        backends=backends.description,
    )
    # The hotkey is live: the rest (the excepthook, tray menu, `trigger` socket) follows at once, without
    # holding up `ready`; the rewriter is built when the first job starts (CoreOnDemand). Until the event
    # loop runs, an exception reaches the CLI's own one-line handler.
    from rephraser.desktop.excepthook import UnexpectedErrors

    errors = UnexpectedErrors(app.show_notice)
    QTimer.singleShot(0, app.start_ipc)  # first: until it listens, `rephraser settings` opens a second window
    QTimer.singleShot(0, app.build_tray)
    for problem in problems:  # after the tray: its balloons where a tray exists
        QTimer.singleShot(0, lambda problem=problem: app.show_notice(problem))
    QTimer.singleShot(0, forget_module_sources)
    QTimer.singleShot(0, keep_running)  # start-up done: its objects frozen, collected when idle from now on
    QTimer.singleShot(_WARM_PREVIEW_MS, app.warm_preview)
    try:
        return int(qt.exec())
    finally:
        app.close()  # a second SIGTERM meanwhile is absorbed: the handlers stay until the clean-up is done
        signals.close()
        errors.uninstall()


class CoreOnDemand:
    """The config at once; the rest of the core (the rewriter with its analysis, detection, templates and
    Jinja2, ~10 MB) built on first use, from whichever thread needs it first.

    An app that sits in the tray never pays for it. `prepare()` starts the build when a job starts, so it
    runs while the job waits for the hotkey's keys to come up and copies the selection.
    """

    def __init__(self, config: tuple[ConfigStore, LoadedConfig]) -> None:
        self._config_pair = config
        self._core: Core | None = None
        self._lock = threading.Lock()
        self._preparing: BackgroundTask | None = None

    @property
    def config(self) -> LoadedConfig:
        return self._config_pair[1]

    def get(self) -> Core:
        with self._lock:
            if self._core is None:
                self._core = build_core(config=self._config_pair)
                forget_module_sources()
            return self._core

    def offline(self, request: RewriteRequest) -> RewriteResult:
        return self.get().rewriter.offline(request)

    def prepare(self, log: EventLog) -> None:
        """Build the core in the background unless it is built or being built; logs `core_built`."""
        if self._core is not None or self._preparing is not None:
            return
        started = time.perf_counter()

        def built(_core: Core) -> None:
            log.event("core_built", ms=round((time.perf_counter() - started) * 1000, 1))

        def failed(error: BaseException) -> None:  # the job that needs the core reports it to the user
            log.event("error", message=f"building the rewriter failed ({type(error).__name__}: {error})")
            self._preparing = None

        self._preparing = run_in_background(lambda _report: self.get(), built, failed, name="rephraser-core")


class DesktopApp:
    """The wired desktop objects, kept alive for the event loop's lifetime."""

    def __init__(self, qt: QApplication, core: CoreOnDemand, backends: DesktopBackends, log: EventLog) -> None:
        self._backends, self._log = backends, log
        settings = core.config.settings
        self.clipboard: ClipboardPort = backends.clipboard or QtClipboard(backends.clipboard_keeper)
        ports = Ports(backends.hotkeys, backends.keys, backends.focus, self.clipboard, backends.command_key)
        self.controller = Controller(settings, ports, core.offline, _model_factory(core.get), log)
        controller = self.controller
        self.tray: Tray | None = None
        self._notifier: Notifier | None = None
        controller.notice.connect(self.show_notice)
        controller.busy.connect(self._busy)
        controller.busy.connect(lambda busy: core.prepare(log) if busy else None)
        controller.progress.connect(self._progress)
        controller.job_finished.connect(lambda outcome: log.event("finished", outcome=outcome))
        self.history = HistoryRecorder(settings, self.show_notice, log)
        controller.replaced.connect(self.history.record)
        controller.older_rewrite = self.history.latest
        controller.describer = lambda: build_image_describer(controller.settings)
        self._preview: PreviewWindow | None = None
        if backends.preview_window:  # the preview takes the keyboard without the app's focus (X11)
            controller.preview = self.preview_window
        self._sockets: list[QSocketNotifier] = []
        descriptors = (backends.event_fd, *backends.extra_event_fds)
        for descriptor in (fd for fd in descriptors if fd is not None):  # Windows: Qt's loop brings them
            notifier = QSocketNotifier(descriptor, QSocketNotifier.Type.Read)
            notifier.activated.connect(backends.pump)
            self._sockets.append(notifier)
        self._pump = QTimer()
        self._pump.timeout.connect(backends.pump)
        self._pump.start(_PUMP_INTERVAL_MS)
        self.ipc: IpcServer | None = None
        self._qt = qt
        self.settings_window: SettingsWindow | None = None
        controller.settings_requested.connect(self.open_settings)
        self._collector = IdleCollector(lambda: controller.busy_now)

    def build_tray(self) -> None:
        """The tray icon and its menu (built just after `ready`: the menu alone costs ~10 ms, and asking
        whether a tray host runs 10-30 ms). Logs `tray`."""
        from rephraser.desktop.tray import Tray, TrayActions

        controller = self.controller
        self.tray = Tray(
            TrayActions(
                rewrite=lambda: QTimer.singleShot(200, lambda: controller.trigger(None)),  # let the menu close
                set_target=controller.set_target,
                set_offline=controller.set_offline,
                open_settings=self.open_settings,
                set_paused=controller.set_paused,
                quit=self.quit,
                revert=lambda: QTimer.singleShot(200, controller.revert),
                describe=lambda: QTimer.singleShot(200, controller.describe),
                recent=self.history.recent,
                copy=self.copy_text,
            ),
            controller.target,
            controller.offline_only,
            controller.paused,
        )
        self._log.event("tray", available=self.tray.available)

    def start_ipc(self) -> None:
        """Listen for `rephraser trigger` (after `ready`: the hotkey comes first, the socket's import after).
        Logs `listening` once commands are taken."""
        from rephraser.desktop.ipc import IpcServer

        self.ipc = IpcServer(self._command)
        if self.ipc.listen():
            self._log.event("listening")
        else:
            self._log.event(
                "error",
                message=f"the single-instance socket could not be opened ({self.ipc.problem}); "
                "`rephraser trigger` will not work",
            )

    def _command(self, request: dict[str, Any]) -> dict[str, Any]:
        self._log.event("command", command=str(request.get("command"))[:40])
        return self.controller.handle_command(request)

    def open_settings(self) -> None:
        """Show the settings window, or raise it when it is open already."""
        from rephraser.desktop.settings.launch import make_context
        from rephraser.desktop.settings.window import SettingsWindow

        if self.settings_window is None or not self.settings_window.isVisible():
            context = make_context(build_core(), self._probe_hotkey, lambda: self.controller.last_app)
            self.settings_window = SettingsWindow(context)
            self.settings_window.saved.connect(lambda _settings: self.reload())
        self.settings_window.present()

    def reload(self) -> None:
        """Saved settings apply at once: a fresh core, the controller reconfigured, hotkeys grabbed again."""
        core = build_core()
        for problem in [
            *core.config.warnings,
            *self.controller.reconfigure(core.config.settings, core.rewriter.offline, _model_factory(lambda: core)),
        ]:
            self.show_notice(problem)
        self.history.reconfigure(core.config.settings)
        self._log.event("reloaded", hotkey=core.config.settings.hotkey, mode=core.config.settings.mode)

    def copy_text(self, text: str) -> None:
        """Put a text on the clipboard (the tray's Recent); not while a job holds the clipboard."""
        if self.controller.busy_now:
            self.show_notice("A rewrite is running: copy again once it is done.")
            return
        self.clipboard.serve(text, False, lambda: None)

    def _probe_hotkey(self, combo: str) -> str:
        if combo in self.controller.own_combos():
            return ""  # Rephraser's own hotkey: it will be grabbed again on save
        from rephraser.platform import probe_hotkey

        return probe_hotkey(combo)

    def warm_preview(self) -> None:
        """Build the preview window while idle when a preview may come: the first one built on the hotkey
        took ~100 ms to appear (widgets, style, fonts, the native window); built ahead it appears in <10."""
        settings = self.controller.settings
        if self.controller.preview is None or not preview_possible(settings) or self.controller.busy_now:
            return
        window = self.preview_window()
        window.ensurePolished()
        window.winId()  # the native window, made now rather than at the first show

    def preview_window(self) -> PreviewWindow:
        """Made on the first preview: start-up need not import it."""
        if self._preview is None:
            from rephraser.desktop.preview import PreviewWindow

            self._preview = PreviewWindow()
        return self._preview

    @property
    def notifier(self) -> Notifier:
        """Made on the first message: start-up need not import it."""
        if self._notifier is None:
            from rephraser.desktop.notify import Notifier

            self._notifier = Notifier(
                lambda: self.tray.icon if self.tray is not None and self.tray.available else None,
                floating=self._backends.floating_notices,
            )
        return self._notifier

    def show_notice(self, message: str) -> None:
        self.notifier.show(message)
        self._log.event("notice", message=message)

    def quit(self) -> None:
        """Leave the event loop (tray Quit, SIGTERM, SIGHUP, Ctrl+C); `close()` then cleans up."""
        self._qt.quit()

    def close(self) -> None:
        """After the event loop: end a running job (its clipboard restored), keep what we own on the
        clipboard alive past our exit, release the hotkeys."""
        self.controller.shutdown()
        handover = self.clipboard.keep_after_exit()
        self.clipboard.let_go()
        self._log.event("quit", clipboard=handover.how, pid=handover.pid, note=handover.note, problem=handover.problem)
        self._pump.stop()
        self.history.close()
        self._backends.hotkeys.release_all()
        if self.ipc is not None:
            self.ipc.close()
        self._backends.close()

    def _progress(self, chars: int) -> None:
        streamed = f" {chars} characters so far." if chars else ""
        self.notifier.progress(f"Rewriting with the model...{streamed} Press Esc to cancel.")

    def _busy(self, busy: bool) -> None:
        if self.tray is not None:
            self.tray.set_busy(busy)
        if not busy and self._notifier is not None:
            self._notifier.hide_progress()


def _log_to_file() -> None:
    """Step events and warnings also go to a small rotating log file (shown on the About page)."""
    from rephraser.core.config.paths import cache_dir
    from rephraser.desktop.logfile import log_to_file

    log_to_file(cache_dir())


def forget_module_sources() -> None:
    """Drop the source lines PySide6 read into linecache: its import hook reads each module imported after
    it whole (to look for "PySide6"), ~4 MB that nothing reads again. Tracebacks read them anew."""
    import linecache

    linecache.clearcache()


def _model_factory(core: Callable[[], Core]) -> Any:
    """Model mode's rewrite function, built on first use (httpx and keyring load only then)."""
    made: list[Any] = []
    building = threading.Lock()  # the first job's worker builds it; a cancelled one may still be at it

    def model() -> ModelRewrite:
        with building:
            if not made:
                made.append(build_model_rewriter(core()))
        rewriter = made[0]

        def rewrite(request: RewriteRequest, on_delta: Any, token: Any) -> Any:
            return rewriter.rewrite(request, on_delta=on_delta, cancel=token)

        return rewrite

    return model
