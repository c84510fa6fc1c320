"""`RemovableHandle`: what `register_hook` and a module's `register_forward_hook` return
(torch.utils.hooks.RemovableHandle).

The hooks live in an ordered dict, keyed by the handle's `id`; the handle keeps only a weak
reference to that dict, so it does not keep a tensor's graph or a module alive.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict


class RemovableHandle:
    """A handle whose `remove()` takes its hook out again (also on leaving a `with` block).

    >>> from course_lib import tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> handle = x.register_hook(lambda g: g * 10)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([20., 40.])
    >>> handle.remove()
    """

    id: int
    next_id: int = 0  # one count for every handle, as torch's

    def __init__(self, hooks_dict: OrderedDict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        self.extra_dict_ref: tuple = ()
        if isinstance(extra_dict, dict):
            extra_dict = [extra_dict]
        if extra_dict:
            self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)

    def remove(self) -> None:
        """Take the hook out; removing it twice does nothing."""
        hooks_dict = self.hooks_dict_ref()
        if hooks_dict is not None and self.id in hooks_dict:
            del hooks_dict[self.id]
        for ref in self.extra_dict_ref:
            extra = ref()
            if extra is not None and self.id in extra:
                del extra[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, type, value, tb) -> None:
        self.remove()
