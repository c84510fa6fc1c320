"""torch.return_types: the named tuples that ops returning (values, indices) give back.

>>> import course_lib as torch
>>> r = torch.tensor([3.0, 7.0, 5.0]).max(0)
>>> isinstance(r, torch.return_types.max), r.values, r.indices
(True, tensor(7.), tensor(1))
"""

from ._ops.reductions import _max_result as max
from ._ops.reductions import _min_result as min
from ._ops.sorting import _cummax_result as cummax
from ._ops.sorting import _cummin_result as cummin
from ._ops.sorting import _kthvalue_result as kthvalue
from ._ops.sorting import _median_result as median
from ._ops.sorting import _sort_result as sort
from ._ops.sorting import _topk_result as topk

for _type in (max, min, sort, topk, kthvalue, median, cummax, cummin):
    _type.__module__ = __name__  # where pickle finds it: course_lib.return_types.max
del _type

__all__ = ["max", "min", "sort", "topk", "kthvalue", "median", "cummax", "cummin"]
