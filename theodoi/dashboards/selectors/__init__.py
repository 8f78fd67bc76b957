"""Reads behind the dashboards, scoped to the person asking (``core.access``), one module per
page: ``ward_board``, ``charts`` (the indicator page), ``province``; ``indicators`` holds the
indicators' status they share."""
