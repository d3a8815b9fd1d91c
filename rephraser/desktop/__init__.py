"""The desktop layer: the tray app, the rewrite job, the clipboard, notifications and single-instance IPC.
Qt (PySide6) lives here and in rephraser.platform only; everything it decides comes from the core."""
