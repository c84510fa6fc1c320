"""Per-notebook exercise cases used by tests/test_exercises.py."""
