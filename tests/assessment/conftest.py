"""A self-assessment campaign open in ward A for two units, on the default framework."""

import pytest

from theodoi.assessment import services


@pytest.fixture
def campaign(world):
    office = world.people.office
    row = services.framework_adopt_default(actor=office, ward=world.ward_a, year=2026)
    return services.campaign_open(
        actor=office, framework=row, units=[world.vhxh, world.police], name="Tự đánh giá 2026"
    )
