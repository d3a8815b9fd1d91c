"""The statistical target classifier: shipped, current, deterministic, and right on clear everyday prompts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rephraser.core.target_model import MODEL_FILE, TargetModel, load_model
from rephraser.core.targets import Target

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import train_target_model as training


def test_the_shipped_model_was_trained_on_the_shipped_data() -> None:
    model = load_model()
    assert model is not None
    assert training.data_crc() == model.data_crc, "run python bench/train_target_model.py"


def test_training_is_deterministic() -> None:
    rows = training.load(("detection.jsonl",))[:60]
    assert training.train(rows, crc=1).to_bytes() == training.train(rows, crc=1).to_bytes()


def test_a_model_file_round_trips_and_a_damaged_one_is_refused(tmp_path: Path) -> None:
    data = MODEL_FILE.read_bytes()
    assert data == TargetModel.from_bytes(data).to_bytes()
    broken = tmp_path / "model.bin"
    broken.write_bytes(b"not a model")
    assert load_model(broken) is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("foggy harbour at dawn, fishing boats, oil painting", Target.IMAGE),
        ("whats wrong in this ss? the button is greyed out", Target.MULTIMODAL),
        ("why does my for loop never stop", Target.CODE),
        ("tips for photographing my kids indoors", Target.CHAT),
    ],
)
def test_clear_everyday_prompts(text: str, target: Target) -> None:
    model = load_model()
    assert model is not None
    probabilities = model.probabilities(text)
    assert target == max(probabilities, key=lambda t: probabilities[t])
