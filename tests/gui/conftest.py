"""Offscreen Qt for the desktop layer's tests (one QApplication, from pytest-qt)."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
