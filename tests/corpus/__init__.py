"""The bad-input corpus (issue 12): malformed schemes, expressions, data files and
command lines generated at test time, and the worker that runs them (see README)."""
