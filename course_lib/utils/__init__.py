"""torch.utils, as far as the course uses it: `hooks.RemovableHandle`."""

from . import hooks

__all__ = ["hooks"]
