"""``patuh api-token``: the same command as ``patuh api_token`` under its documented name."""

from patuh.api.management.commands.api_token import Command

__all__ = ["Command"]
