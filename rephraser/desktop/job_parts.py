"""The rewrite job's parts that are plain values: its settings, deadlines, rewriters, steps and the table of
where each step may go, the preview it talks to, and its messages for the user (job.py is the job)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Any, NamedTuple, Protocol

from rephraser.core.desktop.preview import PreviewChoices
from rephraser.core.history import HistoryEntry
from rephraser.core.requests import RewriteRequest, RewriteResult

__all__ = [
    "FOCUS_MOVED",
    "HELD_TOO_LONG",
    "IMAGE_FORMATS",
    "NEXT_STEPS",
    "NOTHING_SELECTED",
    "NOT_TAKEN",
    "NO_IMAGE",
    "QUIET_PER_LATENCY",
    "REVERT_COPIED",
    "DescribeImage",
    "JobSettings",
    "ModelRewrite",
    "Preview",
    "Rewriters",
    "Rewritten",
    "Step",
    "Timing",
    "offline_beside",
]

log = logging.getLogger("rephraser.desktop")

ModelRewrite = Callable[[RewriteRequest, Callable[[str], None], Any], RewriteResult]
"""model(request, on_delta, cancel_token): the model path, called once in the background."""
DescribeImage = Callable[[bytes, Callable[[str], None], Any], RewriteResult]
"""describe(image_bytes, on_delta, cancel_token): image to prompt, called once in the background."""

# An app that took long to read the paste (a busy machine) takes as long again between its reads: the
# quiet period before the restore is at least this many times the wait from the paste key to the first read.
QUIET_PER_LATENCY = 3


class Timing(NamedTuple):
    """How long each wait may last (ms): the one place for every step's deadline."""

    keys_poll: int = 5
    keys_deadline: int = 3000
    copy_deadline: int = 400
    # For apps whose count of reads is not known (apps.py): an app may read more than once, as Chromium
    # does ~7 ms apart when idle and up to ~65 ms apart with both cores busy (and see QUIET_PER_LATENCY);
    # restoring between the reads would paste the old clipboard.
    restore_quiet: int = 150
    restore_deadline: int = 1500


class JobSettings(NamedTuple):
    target: str
    capture: str = "auto"
    terminal_replace: bool = True
    revert: HistoryEntry | None = None  # put this rewrite's original back instead of rewriting
    describe: bool = False  # image to prompt: the clipboard's image, not the selection
    # preview(target, app_class): whether to show the rewrite before pasting it (None: never). Asked at the
    # start with what is known then ("auto", "") to show the preview at once, and again with the result.
    preview: Callable[[str, str], bool] | None = None
    fill_placeholders: bool = True
    command_key: bool = False  # the platform copies and pastes with Command (macOS)


class Preview(Protocol):
    """The window that shows a rewrite before the paste (desktop/preview.py: PreviewWindow)."""

    def show_status(self, text: str) -> None: ...

    def show_streaming(self, text: str) -> None: ...

    def offer(
        self, choices: PreviewChoices, on_paste: Callable[[str, int], None], on_cancel: Callable[[], None]
    ) -> None:
        """Wait for the user: `on_paste(text, option_index)` (-1: an edit) or `on_cancel()`."""
        ...

    def close_preview(self) -> None: ...


class Rewritten(NamedTuple):
    """A finished rewrite, and the offline one made beside a model rewrite for the preview ("": none)."""

    result: RewriteResult
    offline_text: str = ""


class Rewriters(NamedTuple):
    """The offline rewrite (quick, still off the GUI thread), the model path (None: offline only), and
    image to prompt (None: no model to ask)."""

    offline: Callable[[RewriteRequest], RewriteResult]
    model: ModelRewrite | None = None
    describe: DescribeImage | None = None


class Step(Enum):
    NEW = "new"
    WAITING_FOR_KEYS = "waiting-for-keys"
    CAPTURING = "capturing"
    REWRITING = "rewriting"
    PREVIEWING = "previewing"
    PASTING = "pasting"
    DONE = "done"


# The steps each step may go on to; any step but DONE may also end (in DONE).
NEXT_STEPS: dict[Step, frozenset[Step]] = {
    Step.NEW: frozenset({Step.WAITING_FOR_KEYS}),
    Step.WAITING_FOR_KEYS: frozenset({Step.CAPTURING}),
    Step.CAPTURING: frozenset({Step.REWRITING}),
    Step.REWRITING: frozenset({Step.PREVIEWING, Step.PASTING}),
    Step.PREVIEWING: frozenset({Step.PASTING}),
    Step.PASTING: frozenset(),
    Step.DONE: frozenset(),
}

HELD_TOO_LONG = "A key stayed held down after the hotkey; release every key and press the hotkey again."
NOTHING_SELECTED = "Nothing is selected: select the text to rewrite, then press the hotkey."
NOT_TAKEN = "The app did not take the pasted text; your text and clipboard are unchanged."
NO_IMAGE = "There is no image on the clipboard: copy an image, then press the image-to-prompt hotkey again."
# The formats an endpoint takes, in the order a copied image offers them best.
IMAGE_FORMATS = ("image/png", "image/jpeg", "image/webp", "image/gif")
FOCUS_MOVED = (
    "The window you selected the text in no longer has the focus, so the rewrite is on the clipboard instead: "
    "paste it where you want it."
)
REVERT_COPIED = (
    "The last rewrite is not selected here, so its original is on the clipboard instead: paste it where you want it."
)


def offline_beside(
    offline: Callable[[RewriteRequest], RewriteResult] | None, request: RewriteRequest, result: RewriteResult
) -> str:
    """For the preview's Tab: the offline rewrite for the model's target (a model rewrite only). Quick;
    a failure only means the preview offers one rewrite."""
    if offline is None or result.mode != "model":
        return ""
    try:
        return offline(request._replace(target=result.target.value)).text
    except Exception as error:  # the model's rewrite stands; the alternative is a convenience
        log.warning("the offline rewrite beside the model's failed (%s)", type(error).__name__)
        return ""
