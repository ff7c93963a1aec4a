"""Every check's values can be traced to where the county typed them in."""

from __future__ import annotations

from zc_review.bundles.sources import source_location
from zc_review.core.indicators import evaluate
from zc_review.demo import demo_applications


def test_every_check_source_names_a_workbook_place() -> None:
    for check in evaluate(demo_applications()[0].app):
        assert check.sources, check.key
        for source in check.sources:
            where = source_location(source)
            assert where.startswith("众创社区申报书 › "), (check.key, source, where)


def test_named_places() -> None:
    assert source_location("carrier_floor_area_m2").endswith(
        "基本情况 › “创新创业服务载体建筑面积（平方米）”"
    )
    assert "投资规模" in source_location("years.sei_investment")
    assert source_location("service_platforms").count("“") == 4
    assert source_location("no_such_field") == "no_such_field"
