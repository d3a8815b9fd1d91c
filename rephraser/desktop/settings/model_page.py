"""Model: provider, base URL, model (fetched from the endpoint), timeout, temperature, the API key
(written to the keyring only), presets, and Test connection off the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from rephraser.core.config.schema import REWRITE_STRENGTHS, Settings, describe
from rephraser.core.errors import RephraserError, SecretStoreError
from rephraser.core.keys import resolve_key
from rephraser.core.providers import PROVIDER_NAMES, get_provider
from rephraser.core.secret import Secret
from rephraser.desktop.background import BackgroundTask, failure_message
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import Page, add_row

if TYPE_CHECKING:
    from rephraser.core.providers.client import ModelClient

__all__ = ["PRESETS", "ModelPage"]

# (name, provider, base URL): common endpoints; "" is the provider's public API.
PRESETS = (
    ("OpenAI", "openai", ""),
    ("Ollama (local)", "openai", "http://127.0.0.1:11434/v1"),
    ("LM Studio (local)", "openai", "http://127.0.0.1:1234/v1"),
    ("llama.cpp server (local)", "openai", "http://127.0.0.1:8080/v1"),
    ("vLLM (local)", "openai", "http://127.0.0.1:8000/v1"),
    ("OpenRouter", "openai", "https://openrouter.ai/api/v1"),
    ("Groq", "openai", "https://api.groq.com/openai/v1"),
    ("Anthropic", "anthropic", ""),
    ("Google Gemini", "gemini", ""),
)


class ModelPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        form = QFormLayout(self)
        self.preset = QComboBox()
        self.preset.addItems(["Choose a preset...", *(p[0] for p in PRESETS)])
        self.preset.activated.connect(self.apply_preset)
        form.addRow("&Preset:", self.preset)
        self.provider = QComboBox()
        self.provider.addItems(list(PROVIDER_NAMES))
        self.provider.setCurrentText(self.draft.value("provider"))
        self.provider.currentTextChanged.connect(self._provider_changed)
        add_row(self, form, "P&rovider:", "provider", self.provider)
        self.base_url = QLineEdit(self.draft.value("base_url"))
        self.base_url.setPlaceholderText("empty: the provider's public API")
        self.base_url.textChanged.connect(lambda text: self.report("base_url", self.draft.set("base_url", text)))
        add_row(self, form, "Base &URL:", "base_url", self.base_url)
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setCurrentText(self.draft.value("model"))
        self.model.currentTextChanged.connect(lambda text: self.report("model", self.draft.set("model", text.strip())))
        self.fetch = QPushButton("&Fetch models")
        self.fetch.clicked.connect(self.fetch_models)
        add_row(self, form, "Mode&l:", "model", _row(self.model, self.fetch))
        self.timeout = self._spin("read_timeout_s", 0.1, 3600, 1)
        add_row(self, form, "T&imeout (s):", "read_timeout_s", self.timeout)
        self.temperature = self._spin("temperature", 0.0, 2.0, 0.1)
        add_row(self, form, "T&emperature:", "temperature", self.temperature)
        self.strength = QComboBox()
        self.strength.addItems(list(REWRITE_STRENGTHS))
        self.strength.setCurrentText(self.draft.value("rewrite_strength"))
        self.strength.setToolTip(describe_setting("rewrite_strength"))
        self.strength.currentTextChanged.connect(
            lambda text: self.report("rewrite_strength", self.draft.set("rewrite_strength", text))
        )
        add_row(self, form, "Re&write strength:", "rewrite_strength", self.strength)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("type a new key to store it in the keyring")
        self.key.textChanged.connect(lambda _text: self.changed.emit())
        self.key_status = QLabel()
        add_row(self, form, "API key (sa&ved in the keyring):", "api_key", _row(self.key, self.key_status))
        self.test = QPushButton("Test co&nnection")
        self.test.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setWordWrap(True)
        form.addRow(self.test, self.result)
        self._task: BackgroundTask | None = None
        self.refresh_key_status()

    def refresh_key_status(self) -> None:
        """Whether a key is stored (never the key itself)."""
        provider = get_provider(self.provider.currentText())
        try:
            source = resolve_key(provider, self.context.secrets).source
        except SecretStoreError as error:
            source = f"keyring unavailable: {error}"
        self.key_status.setText(
            {"keyring": "a key is stored in the keyring", "none": "no key stored"}.get(source, source)
        )

    def apply_preset(self, index: int) -> None:
        if index <= 0:
            return
        _name, provider, url = PRESETS[index - 1]
        self.provider.setCurrentText(provider)
        self.base_url.setText(url)

    def fetch_models(self) -> None:
        def fetch() -> list[str]:
            client = self._client()
            try:
                return client.list_models()
            finally:
                client.close()

        self._run(fetch, self._models_fetched, self.fetch)

    def test_connection(self) -> None:
        def probe() -> str:
            client = self._client()
            started = time.perf_counter()
            try:
                names = client.list_models()
            finally:
                client.close()
            model = self.draft.value("model")
            where = "is listed" if model in names else "is not among them"
            return (
                f"Connected in {(time.perf_counter() - started) * 1000:.0f} ms: {len(names)} model(s); "
                f'"{model}" {where}.'
            )

        self.result.setText("Testing...")
        self._run(probe, lambda text: self.result.setText(str(text)), self.test)

    def _models_fetched(self, names: object) -> None:
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(list(names))  # type: ignore[call-overload]
        self.model.setCurrentText(current)
        self.result.setText(f"{self.model.count()} model(s) available.")

    def _run(self, work: Callable[[], object], on_done: Callable[[Any], None], button: QPushButton) -> None:
        button.setEnabled(False)
        task = BackgroundTask(lambda _report: work(), "rephraser-settings-task")
        task.done.connect(on_done)
        task.failed.connect(lambda error: self.result.setText(failure_message(error)))
        task.done.connect(lambda _r: button.setEnabled(True))
        task.failed.connect(lambda _e: button.setEnabled(True))
        self._task = task
        task.start()

    def _client(self) -> ModelClient:
        """A client for the fields as they are now (not yet saved), with the typed key if any."""
        from rephraser.composition import build_model_client

        base: Settings = (
            self.context.draft.settings() if self.context.draft.valid else self.context.core.config.settings
        )
        settings = base._replace(
            provider=self.provider.currentText(),
            base_url=self.base_url.text(),
            model=self.model.currentText() or "-",
            read_timeout_s=self.timeout.value(),
            max_output_tokens=16,
        )
        typed = self.key.text().strip()
        return build_model_client(settings, self.context.secrets, Secret(typed) if typed else None)

    def _provider_changed(self, name: str) -> None:
        self.report("provider", self.draft.set("provider", name))
        self.refresh_key_status()

    def _spin(self, name: str, low: float, high: float, step: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setDecimals(1 if step >= 0.1 else 2)
        spin.setValue(float(self.draft.value(name)))
        spin.valueChanged.connect(lambda value: self.report(name, self.draft.set(name, round(value, 2))))
        return spin

    def save_key(self) -> str | None:
        """Store a typed key in the keyring (on Save); return a problem, or None."""
        typed = self.key.text().strip()
        if not typed:
            return None
        try:
            self.context.secrets.set(self.provider.currentText(), typed)
        except RephraserError as error:
            return str(error)
        self.key.clear()
        self.refresh_key_status()
        return None


def describe_setting(name: str) -> str:
    info = describe(name)
    return info.description if info else ""


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row
