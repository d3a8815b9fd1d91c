"""Implementations of the core's ports for each platform (secret store, and later clipboard, keys,
hotkeys). The composition root picks them; nothing else looks at the platform."""
