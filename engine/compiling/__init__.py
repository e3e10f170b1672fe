"""The compiler's steps: a structurally valid scheme's keys → the frozen model.

:mod:`engine.compiler` is the entry point (``check_scheme``, ``compile_scheme``)
and strings the steps together in the order of the name scope's stages
(:data:`engine.compiling.scope.STAGES`). Each step reads the
:class:`~engine.compiling.state.Compilation` (the raw scheme, the problems so
far, the names visible at its stage) and gives its model objects and the names
it declares:

* :mod:`~engine.compiling.scope` — the stages, the :class:`Scope` of names, the
  hints for a name used before it is computed;
* :mod:`~engine.compiling.state` — the shared state and its helpers;
* :mod:`~engine.compiling.declarations` — dimensions, inputs, params, history, derived values;
* :mod:`~engine.compiling.items` — parts, items, sections, adjustments (each item's rule by its kind);
* :mod:`~engine.compiling.bands` — bands and their overlap and gap checks;
* :mod:`~engine.compiling.decisions` — vetoes, grades, manual grading, rankings, actions.
"""
