"""Whether this run is ``make soak`` (``BROADSHEET_SOAK=1``): the big probes, else the
quick ones of ``make test``."""

from __future__ import annotations

import os

SOAK = os.environ.get("BROADSHEET_SOAK") == "1"
