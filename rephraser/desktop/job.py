"""One rewrite, from the hotkey press to the restored clipboard, read top to bottom.

    WAITING_FOR_KEYS       poll until every key is up: the hotkey's grab  (deadline: keys_deadline)
                           lasts while its own key is down, and keys sent
                           then would reach us instead of the app
    CAPTURING              PRIMARY (terminals), or Ctrl+C until the clipboard's owner changes; a second
                           Ctrl+C after copy_deadline                    (deadline: 2 x copy_deadline)
    REWRITING              in the background, offline or through the model (the model client's own deadline)
    PREVIEWING             when the job previews (JobSettings.preview): the rewrite shown, Enter pastes it,
                           Esc cancels, Tab picks the other rewrite, E edits           (no deadline: the user reads)
    PASTING                serve the rewrite, press the app's paste key; restore after the app's last read:
                           its known count of reads (apps.py), else a quiet
                           period without another read                   (deadline: restore_deadline)
    DONE                   the clipboard restored (ClipboardGuard), one notice, `finished` emitted

A revert job (JobSettings.revert) runs the same steps with the last rewrite's original in place of a
rewrite: pasted when the selection is still that rewrite, else copied, and the user told so. An image
job (JobSettings.describe) reads no selection: the image on the clipboard goes to the vision model
(Rewriters.describe, in the background like a rewrite) and its prompt is pasted at the cursor.

Every step's timers die when the step is left, and every callback from a port or the background runs
only in the step that asked for it. Cancel (the hotkey again, Esc) before the paste, any failure, and an
exception in any step or in the model's worker all end in DONE with the clipboard put back. The job never
blocks the GUI thread; the platform is reached only through the core's ports.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from rephraser.core.desktop.apps import PastePlan, paste_plan
from rephraser.core.desktop.clipboard_guard import ClipboardGuard
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo, ClipboardPort, FocusPort, KeyPort, KeysRefusedError
from rephraser.core.desktop.preview import PreviewChoices, preview_choices
from rephraser.core.errors import RephraserError
from rephraser.core.history import HistoryEntry
from rephraser.core.requests import RewriteRequest, RewriteResult
from rephraser.desktop.background import BackgroundTask, Report, run_in_background
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.job_parts import (
    FOCUS_MOVED,
    HELD_TOO_LONG,
    IMAGE_FORMATS,
    NEXT_STEPS,
    NO_IMAGE,
    NOT_TAKEN,
    NOTHING_SELECTED,
    QUIET_PER_LATENCY,
    REVERT_COPIED,
    DescribeImage,
    JobSettings,
    ModelRewrite,
    Preview,
    Rewriters,
    Rewritten,
    Step,
    Timing,
    offline_beside,
)

__all__ = ["DescribeImage", "JobSettings", "ModelRewrite", "Preview", "RewriteJob", "Rewriters", "Step", "Timing"]

log = logging.getLogger("rephraser.desktop")


class RewriteJob(QObject):
    """Signals:
    finished(str): "pasted", "cancelled", "nothing-selected", "error", or "copied" (a revert whose rewrite
    was not selected: the original went to the clipboard).
    notice(str): one message for the user (failures, fallbacks, nothing selected).
    injected(KeyCombo): the job just sent these synthetic keys (the controller ignores them as hotkeys).
    progress(int): a model rewrite's characters streamed so far.
    """

    finished = Signal(str)
    notice = Signal(str)
    injected = Signal(object)
    progress = Signal(int)

    def __init__(
        self,
        ports: tuple[KeyPort, FocusPort, ClipboardPort],
        rewriters: Rewriters,
        settings: JobSettings,
        log_: EventLog,
        timing: Timing | None = None,
        preview: Preview | None = None,
    ) -> None:
        super().__init__()
        self._keys, self._focus, self._clipboard = ports
        self._rewriters, self._settings, self._log = rewriters, settings, log_
        self._timing = timing or Timing()
        self._guard = ClipboardGuard(self._clipboard)
        self._step = Step.NEW
        self._timers: list[QTimer] = []  # the current step's
        self._started = 0.0
        self._app = AppInfo()
        self._plan: PastePlan | None = None
        self._model_task: BackgroundTask | None = None
        self._cancel_model: Callable[[], None] = lambda: None
        self._reads = 0
        self._pasted_at = 0.0
        self._original = ""
        self._result: RewriteResult | None = None
        self._copy_at_end = ""  # a revert that found no place to paste leaves the original on the clipboard
        self._quiet_ms = self._timing.restore_quiet
        self._preview = preview if settings.preview is not None else None
        self._previewing = False  # the preview window is up
        self._pasted = ("", "")  # the text the paste put in, and how it was made
        self._streamed_once = False
        self._choices: PreviewChoices | None = None

    @property
    def step(self) -> Step:
        return self._step

    @property
    def uses_model(self) -> bool:
        return self._rewriters.model is not None

    @property
    def app_class(self) -> str:
        """The class of the app the job captured from ("" before the capture)."""
        return self._app.app_class

    @property
    def previewing(self) -> bool:
        """The preview window shows this job (the progress overlay then stays away)."""
        return self._previewing

    @property
    def replaced(self) -> HistoryEntry | None:
        """What the paste put over the selection, once it did (the history keeps it)."""
        result = self._result
        if result is None or self._reads == 0:
            return None
        text, mode = self._pasted
        return HistoryEntry(self._original, text, result.target.value, result.template, mode, self._app.app_class)

    # -- the steps, in order -------------------------------------------------------------------------

    def start(self) -> None:
        self._started = time.perf_counter()
        wants = self._settings.preview
        if self._preview is not None and wants is not None and wants(self._settings.target, ""):
            self._show_preview("Reading your selection...")
        self._enter(Step.WAITING_FOR_KEYS, self._timing.keys_deadline, lambda: self._fail(HELD_TOO_LONG))
        self._guarded(self._check_keys)

    def _check_keys(self) -> None:
        if self._keys.keys_held():
            self._after(self._timing.keys_poll, self._check_keys)
            return
        self._log.event("keys-up", ms=self._ms())
        self._capture()

    def _capture(self) -> None:
        self._enter(Step.CAPTURING, 2 * self._timing.copy_deadline, self._nothing_copied)
        self._app = self._focus.focused_app()
        settings = self._settings
        plan = self._plan = paste_plan(self._app, settings.capture, settings.terminal_replace, settings.command_key)
        self._guard.hold(primary=plan.paste_primary)
        if self._settings.describe:
            self._describe_clipboard()
            return
        if plan.capture_primary:
            self._captured(self._clipboard.text(primary=True))
            return
        self._clipboard.on_change(self._in_step(Step.CAPTURING, self._copied))
        self._inject(plan.copy_key)
        # On a busy machine the app may still be settling its focus after the hotkey's grab and drop the
        # key: ask once more before concluding that nothing is selected.
        self._after(self._timing.copy_deadline, lambda: self._inject(plan.copy_key))

    def _copied(self) -> None:
        self._clipboard.on_change(None)
        self._captured(self._clipboard.text())

    def _nothing_copied(self) -> None:
        self._clipboard.on_change(None)
        self._captured("")

    def _captured(self, text: str) -> None:
        method = "primary" if self._plan and self._plan.capture_primary else "copy"
        self._log.event("captured", ms=self._ms(), chars=len(text), app=self._app.app_class, method=method)
        if self._settings.revert is not None:
            self._revert(text, self._settings.revert)
            return
        if not text.strip():
            self._end("nothing-selected", NOTHING_SELECTED)
            return
        self._enter(Step.REWRITING)
        self._original = text
        request = RewriteRequest(
            text, target=self._settings.target, app_class=self._app.app_class, app_name=self._app.title
        )
        model = self._rewriters.model
        if model is None:
            self._rewrite_offline(request)
            return
        if self._previewing:
            assert self._preview is not None
            self._preview.show_status("Asking the model...")
        self._rewrite_with_model(model, request)

    def _describe_clipboard(self) -> None:
        """The clipboard's image (as the guard holds it) to the vision model; its prompt goes in at the
        cursor, without clearing a terminal's line: nothing was selected to replace."""
        held = self._guard.held
        formats = held.formats if held is not None else {}
        mime = next((kind for kind in IMAGE_FORMATS if formats.get(kind)), "")
        describe = self._rewriters.describe
        if not mime or describe is None:
            self._end("nothing-selected", NO_IMAGE)
            return
        assert self._plan is not None
        self._plan = self._plan._replace(clear_line_first=None)
        self._enter(Step.REWRITING)
        image = formats[mime]
        self._original = f"(an image from the clipboard: {mime}, {len(image):,} bytes)"
        request = RewriteRequest(self._original, target="image", app_class=self._app.app_class)
        self._rewrite_with_model(lambda _request, on_delta, token: describe(image, on_delta, token), request)

    def _revert(self, selected: str, last: HistoryEntry) -> None:
        """The selection is the last rewrite: paste its original over it. Anything else (another text,
        nothing): the original goes to the clipboard once the user's is restored, and the user hears so."""
        if selected.strip() and " ".join(selected.split()) == " ".join(last.rewrite.split()):
            self._enter(Step.REWRITING)
            self._paste(last.original)
            return
        self._copy_at_end = last.original
        self._end("copied", REVERT_COPIED)

    def _rewrite_offline(self, request: RewriteRequest) -> None:
        """Offline too runs in the background: a user template that spins (bounded at 2 s by the render
        limits) must never freeze the hotkey, Esc or `rephraser trigger`."""
        offline = self._rewriters.offline
        self._model_task = run_in_background(
            lambda _report: Rewritten(offline(request)),
            self._in_step(Step.REWRITING, self._rewritten),
            self._in_step(Step.REWRITING, self._model_failed),
            name="rephraser-offline-rewrite",
        )

    def _rewrite_with_model(self, model: ModelRewrite, request: RewriteRequest) -> None:
        """The model path, called once in the background; its result comes back in this step only."""
        from rephraser.core.providers.cancel import CancelToken

        token = CancelToken()
        self._cancel_model = token.cancel
        offline = self._rewriters.offline if self._settings.preview is not None else None

        def work(report: Report) -> Rewritten:
            streamed: list[str] = []

            def on_delta(text: str) -> None:
                streamed.append(text)
                report((sum(map(len, streamed)), streamed, time.perf_counter()))

            result = model(request, on_delta, token)
            return Rewritten(result, offline_beside(offline, request, result))

        self._model_task = run_in_background(
            work,
            self._in_step(Step.REWRITING, self._rewritten),
            self._in_step(Step.REWRITING, self._model_failed),
            self._in_step(Step.REWRITING, self._streamed),
            name="rephraser-rewrite",
        )

    def _streamed(self, report: tuple[int, list[str], float]) -> None:
        chars, pieces, arrived = report
        self.progress.emit(chars)
        if not self._previewing:
            return
        assert self._preview is not None
        first = not self._streamed_once
        self._streamed_once = True
        self._preview.show_streaming("".join(pieces))
        if first:
            self._log.event("preview-text", ms=self._ms(), lag_ms=round((time.perf_counter() - arrived) * 1000, 1))

    def _model_failed(self, error: BaseException) -> None:
        if isinstance(error, RephraserError):
            self._fail(str(error))
            return
        # Only the type: an unexpected error's text from the model path may quote the endpoint's reply.
        self._fail(f"Rewrite failed ({type(error).__name__}); your text and clipboard are unchanged.")

    def _rewritten(self, rewritten: Rewritten) -> None:
        result = rewritten.result
        self._log.event(
            "rewritten", ms=self._ms(), mode=result.mode, target=result.target.value, chars=len(result.text)
        )
        self._result = result
        wants = self._settings.preview
        if self._preview is not None and wants is not None and wants(result.target.value, self._app.app_class):
            self._offer(rewritten)
            return
        if result.notice:
            self.notice.emit(result.notice)
        self._close_preview()
        self._paste(result.text, result.mode)

    def _offer(self, rewritten: Rewritten) -> None:
        """Show the rewrite (and its alternative) and wait for the user's choice: no deadline, since reading
        takes what it takes; Esc, the hotkey or Cancel end it like any cancel."""
        assert self._preview is not None
        self._enter(Step.PREVIEWING)
        if not self._previewing:
            self._show_preview("")
        choices = preview_choices(
            self._original, rewritten.result, rewritten.offline_text, self._settings.fill_placeholders
        )
        self._choices = choices
        self._preview.offer(
            choices, self._in_step(Step.PREVIEWING, self._chosen), self._in_step(Step.PREVIEWING, self._cancelled)
        )
        self._log.event("previewing", ms=self._ms(), options=len(choices.options))

    def _chosen(self, text: str, index: int) -> None:
        """The user's pick: pasted into the app that had the selection, which kept the focus all along;
        should another window have it now, the rewrite goes to the clipboard instead."""
        self._previewing = False
        assert self._choices is not None
        mode = self._choices.options[index].mode if index >= 0 else "edited"
        self._log.event("chosen", ms=self._ms(), option=index, mode=mode)
        now = self._focus.focused_app()
        if self._app.window and now.window != self._app.window:
            self._copy_at_end = text
            self._end("copied", FOCUS_MOVED)
            return
        self._paste(text, mode)

    def _show_preview(self, status: str) -> None:
        assert self._preview is not None
        self._previewing = True
        self._preview.show_status(status)
        self._log.event("preview-shown", ms=self._ms())

    def _close_preview(self) -> None:
        if self._previewing and self._preview is not None:
            self._preview.close_preview()
        self._previewing = False

    def _paste(self, text: str, mode: str = "") -> None:
        assert self._plan is not None
        self._pasted = (text, mode)
        self._enter(Step.PASTING, self._timing.restore_deadline, self._paste_deadline)
        self._clipboard.serve(text, self._plan.paste_primary, self._in_step(Step.PASTING, self._read))
        self._pasted_at = time.perf_counter()
        if self._plan.clear_line_first is not None:
            self._inject(self._plan.clear_line_first)
        self._log.event("pasted", ms=self._ms(), key=str(self._plan.paste_key))  # before the app can read
        self._inject(self._plan.paste_key)

    def _read(self) -> None:
        """The app read the rewrite: restore after its last read when the app's count is known (at once,
        once Qt has sent this read's data), else after a quiet period without another read."""
        self._reads += 1
        reads = self._reads
        self._log.event("read", ms=self._ms(), reads=reads)
        assert self._plan is not None
        if self._plan.paste_reads:
            if reads >= self._plan.paste_reads:
                self._after(0, lambda: self._end("pasted", ""))
            return  # else the deadline ends it, should the app read fewer times than it does
        if reads == 1:
            first_read_ms = (time.perf_counter() - self._pasted_at) * 1000
            self._quiet_ms = max(self._timing.restore_quiet, round(QUIET_PER_LATENCY * first_read_ms))
        self._after(self._quiet_ms, lambda: self._end("pasted", "") if reads == self._reads else None)

    def _paste_deadline(self) -> None:
        if self._reads:
            self._end("pasted", "")
        else:
            self._end("error", NOT_TAKEN)

    # -- the ways out ------------------------------------------------------------------------------

    def cancel(self) -> None:
        """The user cancelled: nothing more is pasted and the clipboard is restored. Once the paste key
        is sent, the job finishes by restoring the clipboard as usual."""
        if self._step not in (Step.NEW, Step.PASTING, Step.DONE):
            self._cancelled()

    def abort(self) -> None:
        """The app quits: end at once whatever the step; the clipboard is restored (a paste in flight gets
        the user's own contents rather than losing them)."""
        if self._step not in (Step.NEW, Step.DONE):
            self._cancelled()

    def _cancelled(self) -> None:
        self._log.event("cancelled", ms=self._ms(), step=self._step.value)
        self._end("cancelled", "")

    def _fail(self, message: str) -> None:
        self._log.event("error", ms=self._ms(), step=self._step.value, message=message)
        self._end("error", message)

    def _end(self, outcome: str, message: str) -> None:
        """The one way out: stop everything, put the clipboard back, tell the user once, report."""
        self._stop_timers()
        self._step = Step.DONE
        self._close_preview()
        self._cancel_model()
        if self._model_task is not None:
            self._model_task.cancel()
        try:
            self._clipboard.on_change(None)
            formats = self._guard.restore()
        except Exception as error:  # the job must still end, and the user hear of it
            log.error("restoring the clipboard failed", exc_info=error)
            message = message or f"Could not put your clipboard back ({type(error).__name__}: {error})."
        else:
            if formats is not None:
                self._log.event("restored", ms=self._ms(), reads=self._reads, formats=formats)
        if self._copy_at_end:
            self._clipboard.serve(self._copy_at_end, False, lambda: None)
        if message:
            self.notice.emit(message)
        self.finished.emit(outcome)

    # -- the machinery -----------------------------------------------------------------------------

    def _enter(self, step: Step, deadline_ms: int | None = None, on_deadline: Callable[[], None] | None = None) -> None:
        """Move to `step` (as NEXT_STEPS allows), ending the previous step's timers; start the step's deadline."""
        if step not in NEXT_STEPS[self._step]:
            raise RuntimeError(f"a job cannot go from {self._step.value} to {step.value}")
        self._stop_timers()
        self._step = step
        if deadline_ms is not None and on_deadline is not None:
            self._after(deadline_ms, on_deadline)

    def _after(self, delay_ms: int, action: Callable[[], object]) -> None:
        """Run `action` after `delay_ms`, unless the current step ends first."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._guarded(action))
        timer.start(delay_ms)
        self._timers.append(timer)

    def _stop_timers(self) -> None:
        for timer in self._timers:
            timer.stop()
        self._timers = []

    def _in_step(self, step: Step, action: Callable[..., object]) -> Callable[..., None]:
        """A callback for a port or the background: it runs only while the job is still in `step`."""

        def callback(*args: object) -> None:
            if self._step is step:
                self._guarded(lambda: action(*args))

        return callback

    def _guarded(self, action: Callable[[], object]) -> None:
        """Run a step; an unexpected failure still restores the clipboard and tells the user once."""
        try:
            action()
        except KeysRefusedError as error:  # the desktop's own word on what the user must do
            if self._step is not Step.DONE:
                self._fail(f"{error} Your text and clipboard are unchanged.")
        except Exception as error:  # the job's one hook for the unexpected
            log.error("rewrite job failed in %s", self._step.value, exc_info=error)
            if self._step is not Step.DONE:
                self._fail(f"Rewrite failed ({type(error).__name__}: {error}); your text and clipboard are unchanged.")

    def _inject(self, combo: KeyCombo) -> None:
        self.injected.emit(combo)
        self._keys.press(combo)

    def _ms(self) -> float:
        return round((time.perf_counter() - self._started) * 1000, 1)
