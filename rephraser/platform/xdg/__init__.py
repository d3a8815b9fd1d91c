"""freedesktop.org (XDG) conventions: the autostart entry."""
