"""``python -m engine`` is the ``kaohe`` command."""

from engine.cli import main

raise SystemExit(main())
