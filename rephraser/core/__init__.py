"""The Qt-free heart of Rephraser: input checks, target detection, templates, config and rewriting.

Nothing here may import Qt (ruff TID251 and tests/unit/test_architecture.py enforce it), so the CLI and
tests run on the core alone.
"""
