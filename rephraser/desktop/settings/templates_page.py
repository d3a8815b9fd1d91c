"""Templates: the list (built-in and user, by target), file actions, an editor with highlighting and line
numbers, and a live preview of the offline rewrite (plus "Try with model", off the GUI thread)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rephraser.core.errors import RephraserError, TemplateProblemError
from rephraser.core.rewrite import RewriteRequest, RewriteResult, TemplateDraft
from rephraser.core.samples import SAMPLES
from rephraser.core.targets import Target
from rephraser.core.templates import PARTS, read_info
from rephraser.desktop.background import BackgroundTask, failure_message
from rephraser.desktop.settings.confirm import ConfirmBar
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.editor import TemplateEditor
from rephraser.desktop.settings.template_changes import NEW_ORIGIN, PendingTemplates
from rephraser.desktop.settings.widgets import FieldMessage, Page

__all__ = ["TemplatesPage"]

PREVIEW_DELAY_MS = 250


class TemplatesPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        self.library = context.library
        self.pending = PendingTemplates(self.library)  # New and Delete: written on the window's Save
        self.current = ""
        self.problem: TemplateProblemError | None = None
        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter)
        splitter.addWidget(self._list_panel())
        splitter.addWidget(self._edit_panel())
        splitter.setStretchFactor(1, 3)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self.refresh_preview)
        self._task: BackgroundTask | None = None
        self._cancel: object = None
        self.reload()

    # -- list ---------------------------------------------------------------------------------------

    def _list_panel(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Template", "Origin"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(
            lambda item, _old: self.open(item.data(0, Qt.ItemDataRole.UserRole) if item else "")
        )
        column.addWidget(self.tree)
        self.name = QLineEdit()
        self.name.setPlaceholderText("name for new / duplicate / rename")
        column.addWidget(self.name)
        grid = QGridLayout()
        actions = (  # mnemonics unique beside the window's (G K O T A B S C) and the editor's (V M L)
            ("&New", self.new),
            ("D&uplicate", self.duplicate),
            ("R&ename", self.rename),
            ("&Delete", self.delete),
            ("&Reset to built-in", self.reset),
            ("&Import...", self.import_dialog),
            ("E&xport...", self.export_dialog),
        )
        self.buttons: dict[str, QPushButton] = {}
        for index, (label, action) in enumerate(actions):
            button = QPushButton(label)
            button.clicked.connect(action)
            grid.addWidget(button, index // 2, index % 2)
            self.buttons[label.replace("&", "").rstrip(".")] = button
        column.addLayout(grid)
        self.confirm = ConfirmBar("Con&firm delete", "Kee&p it")
        column.addWidget(self.confirm)
        self.list_message = FieldMessage()
        column.addWidget(self.list_message)
        return panel

    def reload(self, select: str = "") -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        chosen = None
        for info in self.pending.listing():
            group = groups.get(info.target or "other")
            if group is None:
                group = QTreeWidgetItem(self.tree, [info.target or "other", ""])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[info.target or "other"] = group
            origin = "user, overrides built-in" if info.overrides_builtin else "built-in" if info.builtin else "user"
            if self.pending.is_new(info.name):
                origin = NEW_ORIGIN
            elif self.library.draft(info.name) is not None:
                origin += ", draft"
            item = QTreeWidgetItem(group, [info.name, origin])
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            if info.name == (select or self.current):
                chosen = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if chosen is None and groups:
            chosen = next(iter(groups.values())).child(0)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)

    def names(self) -> list[str]:
        return [info.name for info in self.pending.listing()]

    # -- actions ------------------------------------------------------------------------------------

    def new(self) -> None:
        """A new template in the draft: written when the window saves, gone if it cancels."""
        name = self.name.text().strip()
        problem = self.pending.name_problem(name)
        if problem:
            self.list_message.show_problem(problem)
            return
        self.pending.create(name, self._target())
        self._act(lambda: None, name)
        self.changed.emit()

    def duplicate(self) -> None:
        self._act(lambda: self.library.duplicate(self.current, self.name.text().strip()), self.name.text().strip())

    def rename(self) -> None:
        self._act(lambda: self.library.rename(self.current, self.name.text().strip()), self.name.text().strip())

    def delete(self) -> None:
        """Ask in the window itself (no dialog to steal the focus); the deletion waits for Save."""
        name = self.current
        when = "now" if self.pending.is_new(name) else "when you press Save; Cancel keeps it"
        self.confirm.ask(f'Delete the template "{name}"? It goes {when}.', lambda: self._delete(name))

    def _delete(self, name: str) -> None:
        self.pending.delete(name)
        self.current = ""
        self._act(lambda: None, "")
        self.changed.emit()

    def apply_pending(self) -> str | None:
        """Write the new templates and deletions (the window's Save); a message if that failed."""
        try:
            self.pending.apply()
        except (RephraserError, OSError) as error:
            return str(error)
        return None

    def pending_problem(self) -> str | None:
        """A new template that does not render yet cannot be saved: say which, and where."""
        for name, source in self.pending.new_sources().items():
            try:
                self._render(name, source, self._variables(name))
            except TemplateProblemError as problem:
                where = f"line {problem.line}: " if problem.line else ""
                return (
                    f'New template "{name}" has an error ({where}{str(problem).split(": ", 1)[-1]}); fix or delete it.'
                )
        return None

    def reset(self) -> None:
        name = self.current
        self._act(lambda: self.library.reset(name), name)

    def import_paths(self, paths: list[Path]) -> None:
        self._act(lambda: self.library.import_paths(paths), "")

    def export_to(self, destination: Path) -> None:
        self._act(lambda: self.library.export([self.current], destination), self.current)

    def import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import templates", str(Path.home()), "Templates (*.j2)")
        if files:
            self.import_paths([Path(f) for f in files])

    def export_dialog(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, "Export template", f"{self.current}.j2", "Templates (*.j2)")
        if target:
            self.export_to(Path(target))

    def _act(self, action: object, select: str) -> None:
        try:
            action()  # type: ignore[operator]
        except (RephraserError, OSError) as error:
            self.list_message.show_problem(str(error))
            return
        self.list_message.show_problem(None)
        self.name.clear()
        self.reload(select)

    def _target(self) -> str:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        text = item.text(0) if item is not None else "chat"
        return text if text in {t.value for t in Target} else "chat"

    # -- editor and preview -------------------------------------------------------------------------

    def _edit_panel(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        self.title = QLabel()
        column.addWidget(self.title)
        self.editor = TemplateEditor()
        self.editor.textChanged.connect(lambda: self._debounce.start(PREVIEW_DELAY_MS))
        self.editor.textChanged.connect(lambda: self.pending.edited(self.current, self.editor.toPlainText()))
        column.addWidget(self.editor, 3)
        self.status = FieldMessage()
        column.addWidget(self.status)
        self.save_button = QPushButton("Sa&ve template")
        self.save_button.clicked.connect(self.save_template)
        column.addWidget(self.save_button)
        row = QHBoxLayout()
        self.sample_choice = QComboBox()
        self.sample_choice.activated.connect(self._pick_sample)
        row.addWidget(QLabel("Sample:"))
        row.addWidget(self.sample_choice, 1)
        column.addLayout(row)
        self.sample = QPlainTextEdit()
        self.sample.setTabChangesFocus(True)
        self.sample.setMaximumHeight(70)
        self.sample.textChanged.connect(lambda: self._debounce.start(PREVIEW_DELAY_MS))
        column.addWidget(self.sample)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        column.addWidget(self.preview, 2)
        buttons = QHBoxLayout()
        self.try_model = QPushButton("Try with &model")
        self.try_model.clicked.connect(self.try_with_model)
        self.cancel_model = QPushButton("Cance&l")
        self.cancel_model.setEnabled(False)
        self.cancel_model.clicked.connect(self.cancel_try)
        buttons.addWidget(self.try_model)
        buttons.addWidget(self.cancel_model)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return panel

    def _pick_sample(self, _index: int) -> None:
        self.sample.setPlainText(self.sample_choice.currentText())

    def open(self, name: str) -> None:
        if not name:
            return
        self.current = ""  # loading the editor is not an edit of the pending template
        self.confirm.dismiss()
        self._select_in_tree(name)
        new = self.pending.is_new(name)
        draft = None if new else self.library.draft(name)
        builtin = not new and self.library.is_builtin(name)
        overrides = not new and not builtin and self.library.has_builtin(name)
        note = " (built-in: saving makes your own copy)" if builtin else ""
        note += " (draft with an error: not used by the hotkey)" if draft is not None else ""
        note += " (new: written when you press Save)" if new else ""
        self.title.setText(f"{name}{note}")
        self.buttons["Delete"].setEnabled(not builtin and not overrides)  # an override has Reset instead
        for action in ("Duplicate", "Rename", "Export"):
            self.buttons[action].setEnabled(not new and (action != "Rename" or not builtin))
        self.buttons["Reset to built-in"].setEnabled(overrides)
        self.editor.setPlainText(
            self.pending.source(name) if new else draft if draft is not None else self.library.source(name)
        )
        self.current = name
        target = self._template_target()
        self.sample_choice.clear()
        self.sample_choice.addItems(list(SAMPLES.get(target, SAMPLES["chat"])))
        self.sample.setPlainText(self.sample_choice.currentText())
        self.refresh_preview()

    def _select_in_tree(self, name: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            children = [group.child(row) for row in range(group.childCount())] if group is not None else []
            for item in children:
                if item is None or item.data(0, Qt.ItemDataRole.UserRole) != name:
                    continue
                if self.tree.currentItem() is not item:
                    self.tree.blockSignals(True)
                    self.tree.setCurrentItem(item)
                    self.tree.blockSignals(False)

    def refresh_preview(self) -> None:
        """Render every part of the edited text against the sample; show the offline part or the error."""
        self._debounce.stop()
        if not self.current:
            return
        try:
            outputs = self._render(self.current, self.editor.toPlainText(), self._variables())
        except TemplateProblemError as problem:
            self.problem = problem
            where = f"Line {problem.line}: " if problem.line else ""
            self.status.show_problem(f"{where}{str(problem).split(': ', 1)[-1]}")
            self.editor.mark_line(problem.line)
            return
        except RephraserError as error:
            self.status.show_problem(str(error))
            return
        self.problem = None
        self.status.show_problem(None)
        self.editor.mark_line(None)
        self.preview.setPlainText(outputs["offline"])

    def _render(self, name: str, source: str, variables: dict[str, object]) -> dict[str, str]:
        label = str(self.library.folder / f"{name}.j2")
        return {part: self.context.core.templates.render_source(source, label, part, variables) for part in PARTS}

    def save_template(self) -> None:
        self.refresh_preview()
        if self.pending.is_new(self.current) and self.problem is not None:
            self.status.show_problem("Fix the error first: a new template is saved once it works.")
            return
        try:
            path = self.library.save(self.current, self.editor.toPlainText(), self.problem)
        except (RephraserError, OSError) as error:
            self.status.show_problem(str(error))
            return
        problem = self.problem
        self.pending.written(self.current)
        self.reload(self.current)
        if problem is not None:
            self.status.show_problem(
                f"Saved as a draft ({path.name}): line {problem.line} has an error. "
                "The hotkey keeps using the last working version."
            )

    def try_with_model(self) -> None:
        """Rewrite the sample through the model with the edited template, exactly as the hotkey would
        (clean-up, judge, fallback), off the GUI thread and cancellable."""
        from rephraser.composition import build_model_client
        from rephraser.core.model_rewrite import ModelRewriter
        from rephraser.core.providers.cancel import CancelToken

        token = CancelToken()
        draft = TemplateDraft(self.editor.toPlainText(), str(self.library.folder / f"{self.current}.j2"))
        settings, secrets, rewriter = (
            self.context.core.config.settings,
            self.context.secrets,
            self.context.core.rewriter,
        )
        request = self._sample_request()

        def work() -> str:
            with ModelRewriter(rewriter, settings, lambda: build_model_client(settings, secrets)) as model:
                return _shown(model.rewrite(request, cancel=token, stream=False, draft=draft))

        self._debounce.stop()  # a pending offline preview would overwrite the model's answer when it comes
        self.preview.setPlainText("Asking the model... (Cancel stops it)")
        self.try_model.setEnabled(False)
        self.cancel_model.setEnabled(True)
        self._cancel = token.cancel
        task = BackgroundTask(lambda _report: work(), "rephraser-try-model")
        task.done.connect(lambda text: self._model_done(str(text)))
        task.failed.connect(lambda error: self._model_done(f"The model could not be used: {failure_message(error)}"))
        self._task = task
        task.start()

    def cancel_try(self) -> None:
        if callable(self._cancel):
            self._cancel()
        if self._task is not None:
            self._task.cancel()
        self._model_done("Cancelled.")

    def _model_done(self, text: str) -> None:
        self.preview.setPlainText(text)
        self.try_model.setEnabled(True)
        self.cancel_model.setEnabled(False)

    def _variables(self, name: str = "") -> dict[str, object]:
        return dict(self.context.core.rewriter.prepare(self._sample_request(name)).variables)

    def _sample_request(self, name: str = "") -> RewriteRequest:
        target = self._template_target(name or self.current)
        return RewriteRequest(self.sample.toPlainText() or "example", target=target)

    def _template_target(self, name: str = "") -> str:
        name = name or self.current
        if self.pending.is_new(name):
            return self.pending.target(name)
        try:
            target = read_info(self.library.store.path_of(name), builtin=False).target
        except RephraserError:
            target = ""
        return target if target in {t.value for t in Target} else "chat"


def _shown(result: RewriteResult) -> str:
    """What the hotkey would paste, and, when the model's text was not used, why (first, on its own line)."""
    if result.mode == "model":
        return result.text
    return f"[{result.why or result.notice}]\n\n{result.text}"
