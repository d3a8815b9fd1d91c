"""The composition root: builds the core's objects once and hands them to the CLI or the desktop app.

It is also the one meeting point of `cli` and `desktop` (tests/unit/test_architecture.py checks that
neither imports the other): the CLI starts the tray app and the settings window through `run_desktop`
and `run_settings_window`, `doctor` asks `tray_available`, and the settings window's About page gets the
doctor report from `doctor_text`. Each imports its side only when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rephraser.core.config import ConfigStore, LoadedConfig, Settings
from rephraser.core.config.paths import config_dir
from rephraser.core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rephraser.core.detection import TargetDetector
    from rephraser.core.history import History
    from rephraser.core.keys import SecretStore
    from rephraser.core.model_rewrite import ModelRewriter
    from rephraser.core.providers.cancel import CancelToken
    from rephraser.core.providers.client import ModelClient
    from rephraser.core.requests import RewriteResult
    from rephraser.core.rewrite import Rewriter
    from rephraser.core.secret import Secret
    from rephraser.core.templates import TemplateStore

__all__ = [
    "Core",
    "build_core",
    "build_history",
    "build_image_describer",
    "build_model_client",
    "build_model_rewriter",
    "build_secret_store",
    "doctor_text",
    "load_config",
    "run_desktop",
    "run_settings_window",
    "tray_available",
]


class Core(NamedTuple):
    """The Qt-free services, wired together."""

    config_store: ConfigStore
    config: LoadedConfig
    templates: TemplateStore
    detector: TargetDetector
    rewriter: Rewriter


def load_config(folder: Path | None = None) -> tuple[ConfigStore, LoadedConfig]:
    """The config alone (quick: what the tray app needs before its hotkey is live)."""
    store = ConfigStore(folder or config_dir())
    return store, store.load()


def build_core(folder: Path | None = None, config: tuple[ConfigStore, LoadedConfig] | None = None) -> Core:
    """Wire the core from the config folder ($REPHRASER_CONFIG_DIR or the platform's), or from a config
    `load_config` read already. Imports the rewriter's modules (analysis, detection, templates) only now."""
    from rephraser.core.config.paths import cache_dir
    from rephraser.core.detection import TargetDetector, load_rules
    from rephraser.core.resources import builtin_templates_dir
    from rephraser.core.rewrite import Rewriter
    from rephraser.core.target_model import load_model
    from rephraser.core.templates import TemplateStore

    store, loaded = config or load_config(folder)
    folder = store.folder
    templates = TemplateStore(builtin_templates_dir(), folder / "templates", cache_dir())
    detector = TargetDetector(load_rules(cache_dir=cache_dir()), loaded.settings.app_rules, model=load_model())
    rewriter = Rewriter(loaded.settings, templates, detector, user_title_rules=folder / "title_rules.toml")
    return Core(store, loaded, templates, detector, rewriter)


def build_history(settings: Settings, busy_timeout_s: float = 2.0) -> History:
    """The history file in the data folder, with the caps the settings give (opened on first use);
    `busy_timeout_s`: how long to wait for another program's lock on it."""
    from rephraser.core.config.paths import data_dir
    from rephraser.core.history import HISTORY_FILE, History

    caps = settings.history_max_entries, int(settings.history_max_mb * 1e6)
    return History(data_dir() / HISTORY_FILE, *caps, busy_timeout_s=busy_timeout_s)


def build_secret_store(settings: Settings) -> SecretStore:
    """The OS keyring, or the backend the user named in `keyring_backend`."""
    from rephraser.platform.keyring_secrets import KeyringSecretStore

    return KeyringSecretStore(settings.keyring_backend)


def build_model_client(settings: Settings, store: SecretStore, key: Secret | None = None) -> ModelClient:
    """A client for the configured endpoint (imports httpx: only call on the model path); `key` overrides
    the environment and the keyring (the settings window tests a key before storing it).

    Raises:
        ConfigError: no model name is set.
        SecretStoreError: the provider needs a key and the keyring cannot be read.
    """
    from rephraser.core.keys import resolve_key
    from rephraser.core.providers import get_provider
    from rephraser.core.providers.base import ModelParams
    from rephraser.core.providers.client import ModelClient

    if not settings.model.strip():
        raise ConfigError("No model is set: run `rephraser config set model NAME` (`rephraser models` lists them).")
    provider = get_provider(settings.provider)
    params = ModelParams(
        settings.model,
        settings.temperature,
        settings.max_output_tokens,
        settings.connect_timeout_s,
        settings.read_timeout_s,
        settings.request_deadline_s,
    )
    return ModelClient(provider, settings.base_url, key or resolve_key(provider, store).key, params)


def build_model_rewriter(core: Core, store: SecretStore | None = None) -> ModelRewriter:
    """Model mode on top of the core; the client (and httpx) is created on the first request."""
    from rephraser.core.model_rewrite import ModelRewriter

    settings = core.config.settings
    secrets = store or build_secret_store(settings)
    return ModelRewriter(core.rewriter, settings, lambda: build_model_client(settings, secrets))


def build_image_describer(
    settings: Settings,
) -> Callable[[bytes, Callable[[str], None] | None, CancelToken | None], RewriteResult]:
    """Image to prompt for the tray app: the client (httpx, the keyring) is made on the first picture, in
    the worker that describes it."""
    clients: list[ModelClient] = []

    def describe(image: bytes, on_delta: Callable[[str], None] | None, cancel: CancelToken | None) -> RewriteResult:
        from rephraser.core.describe import DEFAULT_FAMILY, describe_picture
        from rephraser.core.pictures import picture_from_bytes
        from rephraser.core.requests import RewriteResult
        from rephraser.core.targets import Target

        picture = picture_from_bytes(image, "The clipboard's image")
        if not clients:
            clients.append(build_model_client(settings, build_secret_store(settings)))
        family = settings.family_image or DEFAULT_FAMILY
        text = describe_picture(clients[0], picture, family, on_delta=on_delta, cancel=cancel)
        return RewriteResult(text, Target.IMAGE, f"image to prompt ({family})", "model", "", "image to prompt")

    return describe


def run_desktop(started: float, log_json: bool) -> int:
    """`rephraser run`: the tray app until Quit (imports Qt)."""
    from rephraser.desktop.app import run

    return run(started, log_json)


def run_settings_window() -> int:
    """`rephraser settings` without a running tray app: the window on its own (imports Qt)."""
    from rephraser.desktop.settings.launch import run_standalone

    return run_standalone()


def tray_available() -> bool:
    """Whether a system tray host runs (asks Qt: only `doctor` needs it)."""
    from rephraser.desktop.probe import tray_available as probe

    return probe()


def doctor_text(core: Core) -> str:
    """The `rephraser doctor` report as text (the settings window's About page)."""
    from rephraser.cli.doctor import doctor_report

    lines, _ok = doctor_report(core)
    return "\n".join(lines)
