"""The settings window: six pages over the core's config and template store (the CLI sees the same)."""
