"""The tray icon and its menu (when the desktop has a tray; the app works without one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from rephraser.core.history import HistoryEntry, one_line
from rephraser.core.resources import resources_dir
from rephraser.core.targets import TARGET_CHOICES

__all__ = ["Tray", "TrayActions"]


_RECENT = 8  # rewrites in the Recent submenu
_LABEL_CHARS = 40


class TrayActions:
    """What the menu's items do (the controller's methods), and where Recent reads from."""

    def __init__(
        self,
        rewrite: Callable[[], None],
        set_target: Callable[[str], None],
        set_offline: Callable[[bool], None],
        open_settings: Callable[[], None],
        set_paused: Callable[[bool], None],
        quit: Callable[[], None],
        revert: Callable[[], None] = lambda: None,
        recent: Callable[[int], list[HistoryEntry]] = lambda _limit: [],
        copy: Callable[[str], None] = lambda _text: None,
        describe: Callable[[], None] = lambda: None,
    ) -> None:
        self.rewrite, self.set_target, self.set_offline = rewrite, set_target, set_offline
        self.open_settings, self.set_paused, self.quit = open_settings, set_paused, quit
        self.revert, self.recent, self.copy, self.describe = revert, recent, copy, describe


class Tray(QObject):
    """Menu: Rewrite selection, Revert last rewrite, Image to prompt, Recent (copy an original or a
    rewrite), Target (radio), Offline mode, Settings..., Pause hotkeys, Quit."""

    def __init__(self, actions: TrayActions, target: str, offline: bool, paused: bool) -> None:
        super().__init__()
        self._idle = QIcon(str(resources_dir() / "rephraser.svg"))
        self._busy = QIcon(str(resources_dir() / "rephraser-busy.svg"))
        self.menu = QMenu()
        self.menu.addAction("&Rewrite selection", actions.rewrite)
        self.menu.addAction("Re&vert last rewrite", actions.revert)
        self.menu.addAction("&Image to prompt (from the clipboard)", actions.describe)
        self.recent_menu = self.menu.addMenu("Re&cent")
        self.recent_menu.aboutToShow.connect(lambda: self._fill_recent(actions))
        targets = self.menu.addMenu("&Target")
        group = QActionGroup(targets)
        self.target_actions: dict[str, QAction] = {}
        for name in TARGET_CHOICES:
            action = targets.addAction(name.capitalize())
            action.setCheckable(True)
            action.setChecked(name == target)
            action.triggered.connect(lambda _=False, n=name: actions.set_target(n))
            group.addAction(action)
            self.target_actions[name] = action
        self.offline_action = self.menu.addAction("&Offline mode")
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(offline)
        self.offline_action.toggled.connect(actions.set_offline)
        self.menu.addAction("&Settings...", actions.open_settings)
        self.pause_action = self.menu.addAction("&Pause hotkeys")
        self.pause_action.setCheckable(True)
        self.pause_action.setChecked(paused)
        self.pause_action.toggled.connect(actions.set_paused)
        self.menu.addSeparator()
        self.menu.addAction("&Quit", actions.quit)
        self.icon = QSystemTrayIcon(self._idle)
        self.icon.setToolTip("Rephraser")
        self.icon.setContextMenu(self.menu)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()

    def _fill_recent(self, actions: TrayActions) -> None:
        """Read when the submenu opens: the newest rewrites, each with its original and its rewrite."""
        self.recent_menu.clear()
        entries = actions.recent(_RECENT)
        if not entries:
            self.recent_menu.addAction("No rewrites yet").setEnabled(False)
        for entry in entries:
            item = self.recent_menu.addMenu(_label(entry.original))
            item.addAction("Copy &original", _copying(actions, entry.original))
            item.addAction("Copy &rewrite", _copying(actions, entry.rewrite))

    @property
    def available(self) -> bool:
        return self.icon.isVisible()

    def set_busy(self, busy: bool) -> None:
        self.icon.setIcon(self._busy if busy else self._idle)
        self.icon.setToolTip("Rephraser: rewriting..." if busy else "Rephraser")


def _copying(actions: TrayActions, text: str) -> Callable[[], None]:
    return lambda: actions.copy(text)


def _label(text: str) -> str:
    """A menu label: one line, short, and no "&" taken for a shortcut."""
    return one_line(text.replace("&", "&&"), _LABEL_CHARS)
