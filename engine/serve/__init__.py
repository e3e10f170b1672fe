"""``kaohe serve``: a local browser workbench over scheme folders — the schemes,
each scheme as a readable 考核细则, editing with validation, assessing uploaded or
sample data, what-if with the outcome diff, and the history record.

Folders and options → a running server (:func:`engine.serve.server.serve`); the app itself is
:func:`engine.serve.app.create_app`, the safety rules :mod:`engine.serve.safety`.
"""
