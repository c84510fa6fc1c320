"""The notebook pipeline: build learner copies from solutions, report a learner's progress.

It knows notebooks, not tensors; `python -m course_lib` is its command line.
"""
