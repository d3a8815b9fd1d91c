"""One rewrite, from the hotkey to the restored clipboard.

    wait for the hotkey's modifiers to be released (XQueryKeymap, polled, with a deadline)
    -> capture: PRIMARY (terminals) or Ctrl+C and wait for the clipboard's owner to change
    -> rewrite (offline at once; model mode in a worker thread)
    -> paste: serve the rewrite, press the app's paste key
    -> restore: once the app has read the rewrite and a quiet period passed (or a deadline)

Cancel (the hotkey again, Esc) at any step before the paste restores the clipboard and pastes nothing;
any failure does the same and reports one message. The job never blocks the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from rephraser.core.desktop.apps import CTRL_C, PastePlan, paste_plan
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo, ClipboardPort, ClipboardSnapshot, FocusPort, KeyPort
from rephraser.core.rewrite import RewriteRequest, RewriteResult
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.runner import RewriteRunner

__all__ = ["JobSettings", "RewriteJob", "Timing"]

# An app that took long to read the paste (a busy machine) takes as long again between its reads: the
# quiet period before the restore is at least this many times the wait from the paste key to the first read.
_QUIET_PER_LATENCY = 3


class Timing(NamedTuple):
    """How long each wait may last (ms)."""

    modifier_poll: int = 5
    modifier_deadline: int = 3000
    # After the hotkey's keys come up, GTK apps drop synthetic keys for a moment (the key grab's
    # FocusOut/FocusIn settles): measured under Xvfb, 5 ms loses the Ctrl+C, 20 ms does not.
    settle: int = 30
    copy_deadline: int = 400
    # Chromium reads twice: ~7 ms apart when idle, up to ~65 ms with both cores busy (and see
    # _QUIET_PER_LATENCY); restoring between the reads would paste the old clipboard.
    restore_quiet: int = 150
    restore_deadline: int = 1500


class JobSettings(NamedTuple):
    target: str
    capture: str = "auto"
    terminal_replace: bool = True


class RewriteJob(QObject):
    """Signals:
    finished(str): "pasted", "cancelled", "nothing-selected" or "error".
    notice(str): one message for the user (failures, fallbacks, nothing selected).
    injected(KeyCombo): the job just sent these synthetic keys (the controller ignores them as hotkeys).
    """

    finished = Signal(str)
    notice = Signal(str)
    injected = Signal(object)

    def __init__(
        self,
        keys: KeyPort,
        focus: FocusPort,
        clipboard: ClipboardPort,
        runner: RewriteRunner,
        settings: JobSettings,
        log: EventLog,
        timing: Timing | None = None,
    ) -> None:
        super().__init__()
        self._keys, self._focus, self._clipboard, self._runner = keys, focus, clipboard, runner
        self._settings, self._log, self._timing = settings, log, timing or Timing()
        self._started = 0.0
        self._step = "new"
        self._app = AppInfo()
        self._plan: PastePlan | None = None
        self._snapshot = ClipboardSnapshot({})
        self._primary_snapshot: ClipboardSnapshot | None = None
        self._reads = 0
        self._pasted_at = 0.0
        self._quiet_ms = self._timing.restore_quiet
        self._timers: list[QTimer] = []
        runner.done.connect(self._rewritten)
        runner.failed.connect(self._failed)

    @property
    def step(self) -> str:
        return self._step

    @property
    def app_class(self) -> str:
        """The class of the app the job captured from ("" before the capture)."""
        return self._app.app_class

    # -- steps -------------------------------------------------------------------------------------

    def start(self) -> None:
        self._started = time.perf_counter()
        self._step = "waiting-for-modifiers"
        deadline = self._started + self._timing.modifier_deadline / 1000
        self._poll(deadline)

    def _poll(self, deadline: float) -> None:
        if self._step == "waiting-for-modifiers":
            self._guard(lambda: self._check_modifiers(deadline))

    def _check_modifiers(self, deadline: float) -> None:
        if not self._keys.modifiers_held():
            self._step = "settling"
            self._later(self._timing.settle, lambda: self._guard(self._capture))
        elif time.perf_counter() > deadline:
            self._fail("The hotkey's keys were still held down; release them and press the hotkey again.")
        else:
            self._later(self._timing.modifier_poll, lambda: self._poll(deadline))

    def _capture(self) -> None:
        self._step = "capturing"
        self._app = self._focus.focused_app()
        plan = paste_plan(self._app, self._settings.capture, self._settings.terminal_replace)
        self._plan = plan
        self._snapshot = self._clipboard.snapshot()
        if plan.paste_primary:  # only what the job will overwrite needs a copy to put back
            self._primary_snapshot = self._clipboard.snapshot(primary=True)
        if plan.capture_primary:
            self._captured(self._clipboard.text(primary=True))
            return
        self._clipboard.on_change(lambda: self._guard(self._copied))
        self._inject(CTRL_C)
        # On a busy machine the app may still be settling its focus after the hotkey's grab and drop the
        # key: ask once more before concluding that nothing is selected.
        self._later(self._timing.copy_deadline, lambda: self._guard(self._copy_again))
        self._later(2 * self._timing.copy_deadline, lambda: self._guard(self._copy_timed_out))

    def _copy_again(self) -> None:
        if self._step == "capturing":
            self._inject(CTRL_C)

    def _copied(self) -> None:
        if self._step != "capturing":
            return
        self._clipboard.on_change(None)
        self._captured(self._clipboard.text())

    def _copy_timed_out(self) -> None:
        if self._step == "capturing":
            self._clipboard.on_change(None)
            self._captured("")

    def _captured(self, text: str) -> None:
        self._log.event(
            "captured",
            ms=self._ms(),
            chars=len(text),
            app=self._app.app_class,
            method="primary" if self._plan and self._plan.capture_primary else "copy",
        )
        if not text.strip():
            self._end("nothing-selected", "Nothing is selected: select the text to rewrite, then press the hotkey.")
            return
        self._step = "rewriting"
        request = RewriteRequest(
            text, target=self._settings.target, app_class=self._app.app_class, app_name=self._app.title
        )
        self._runner.start(request)

    def _rewritten(self, result: RewriteResult) -> None:
        if self._step != "rewriting":
            return
        self._log.event(
            "rewritten", ms=self._ms(), mode=result.mode, target=result.target.value, chars=len(result.text)
        )
        if result.notice:
            self.notice.emit(result.notice)
        self._guard(lambda: self._paste(result.text))

    def _paste(self, text: str) -> None:
        assert self._plan is not None
        self._step = "pasting"
        self._clipboard.serve(text, self._plan.paste_primary, lambda: self._guard(self._read))
        self._pasted_at = time.perf_counter()
        if self._plan.clear_line_first is not None:
            self._inject(self._plan.clear_line_first)
        self._inject(self._plan.paste_key)
        self._log.event("pasted", ms=self._ms(), key=str(self._plan.paste_key))
        self._later(self._timing.restore_deadline, lambda: self._guard(self._deadline))

    def _read(self) -> None:
        if self._step != "pasting":
            return
        self._reads += 1
        reads = self._reads
        if reads == 1:
            first_read_ms = (time.perf_counter() - self._pasted_at) * 1000
            self._quiet_ms = max(self._timing.restore_quiet, round(_QUIET_PER_LATENCY * first_read_ms))
        self._later(self._quiet_ms, lambda: self._quiet(reads))

    def _quiet(self, reads: int) -> None:
        if self._step == "pasting" and reads == self._reads:
            self._end("pasted", "")

    def _deadline(self) -> None:
        if self._step == "pasting":
            message = (
                "" if self._reads else "The app did not take the pasted text; your text and clipboard are unchanged."
            )
            self._end("pasted" if self._reads else "error", message)

    # -- endings -----------------------------------------------------------------------------------

    def cancel(self) -> None:
        """The user cancelled: nothing more is pasted and the clipboard is restored."""
        if self._step in ("done", "new"):
            return
        if self._step == "pasting":
            return  # the paste key is already sent; the job finishes by restoring the clipboard
        self._runner.cancel()
        self._log.event("cancelled", ms=self._ms(), step=self._step)
        self._end("cancelled", "")

    def abort(self) -> None:
        """The app quits: end at once whatever the step; the clipboard is restored (a paste in flight gets
        the user's own contents rather than losing them)."""
        if self._step in ("done", "new"):
            return
        self._runner.cancel()
        self._log.event("cancelled", ms=self._ms(), step=self._step)
        self._end("cancelled", "")

    def _failed(self, message: str) -> None:
        if self._step == "rewriting":
            self._fail(message)

    def _fail(self, message: str) -> None:
        self._log.event("error", ms=self._ms(), step=self._step, message=message)
        self._end("error", message)

    def _end(self, outcome: str, message: str) -> None:
        for timer in self._timers:
            timer.stop()
        self._clipboard.on_change(None)
        self._step = "done"
        self._restore()
        if message:
            self.notice.emit(message)
        self.finished.emit(outcome)

    def _restore(self) -> None:
        if self._plan is None:
            return  # nothing was touched yet
        self._clipboard.restore(self._snapshot)
        if self._primary_snapshot is not None and self._plan.paste_primary:
            self._clipboard.restore(self._primary_snapshot, primary=True)
        self._log.event("restored", ms=self._ms(), reads=self._reads, formats=len(self._snapshot.formats))

    # -- helpers -----------------------------------------------------------------------------------

    def _inject(self, combo: KeyCombo) -> None:
        self.injected.emit(combo)
        self._keys.press(combo)

    def _later(self, delay_ms: int, action: Callable[[], None]) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        timer.start(delay_ms)
        self._timers.append(timer)

    def _guard(self, action: Callable[[], object]) -> None:
        """Run a step; an unexpected failure still restores the clipboard and tells the user once."""
        try:
            action()
        except Exception as error:  # the job's one hook for the unexpected
            if self._step != "done":
                self._fail(f"Rewrite failed ({type(error).__name__}: {error}); your text and clipboard are unchanged.")

    def _ms(self) -> float:
        return round((time.perf_counter() - self._started) * 1000, 1)
