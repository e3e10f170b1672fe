"""The message catalogue, one module per pipeline area.

A new area (a command, a reader, a report) adds its own module here and
lists it in ``AREAS``; a code may be defined in one area only (tests check it).
"""

from __future__ import annotations

from engine.messages.catalogue import loading, schema, compiling, expressions, data, evaluation, diff, command_line, outputs, documents, language_a

AREAS = (loading, schema, compiling, expressions, data, evaluation, diff, command_line, outputs, documents, language_a,)
