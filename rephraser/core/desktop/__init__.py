"""The desktop loop's Qt-free parts: the ports each OS back-end implements, hotkey parsing, and the
per-app knowledge (terminals, paste keys) as data."""
