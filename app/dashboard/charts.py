"""Server-rendered SVG charts (pygal) for the overview page.

The SVG is embedded inline and fetches nothing: pygal's external JavaScript is switched off
(``js=[]``) and its inline config script is removed, so the page works offline and under a
Content-Security-Policy that allows no script at all.
"""

import re
from collections import defaultdict

import pygal
from pygal.style import Style

from app.reports.schemas import SummaryReport
from app.reports.summary import field_name

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
STYLE = Style(
    font_family="'Noto Sans', 'DejaVu Sans', 'Segoe UI', Arial, sans-serif",
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#777777",
    colors=("#1f6fb2", "#e07b1a", "#2e9d5b", "#b23a48", "#7b5ea7", "#4b8f8c"),
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)
NO_DATA = "Chưa có dữ liệu"


def _int_axis(*series: list[int]) -> list[int]:
    """Whole-number ticks (counts have no fractions), about five of them."""
    top = max((max(values, default=0) for values in series), default=0)
    step = max(1, -(-top // 5))
    return list(range(0, max(top, 1) + step, step))


def _config(**extra: object) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "no_data_text": NO_DATA,
        "width": 640,
        "height": 400,
        "legend_at_bottom": True,
        "print_values": False,
        "truncate_label": 40,
        "truncate_legend": 40,
        **extra,
    }


def _svg(chart: pygal.graph.graph.Graph) -> str:
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


def supply_demand(report: SummaryReport) -> str:
    """Published offers and needs per field group."""
    offers = {row.code: row.published for row in report.offers.by_field_group}
    needs = {row.code: row.published for row in report.needs.by_field_group}
    codes = sorted(set(offers) | set(needs))
    supply = [offers.get(code, 0) for code in codes]
    demand = [needs.get(code, 0) for code in codes]
    chart = pygal.HorizontalBar(
        **_config(title="Cung – cầu theo lĩnh vực (đã công bố)", y_labels=_int_axis(supply, demand))
    )
    chart.x_labels = [field_name(code) for code in codes]
    chart.add("Công nghệ (cung)", supply)
    chart.add("Nhu cầu (cầu)", demand)
    return _svg(chart)


def unmet_by_field(report: SummaryReport) -> str:
    """Unmet needs per field group."""
    counts: dict[str, int] = defaultdict(int)
    for group in report.unmet_demand.by_field:
        counts[group.code[:1]] += group.count
    codes = sorted(counts)
    values = [counts[code] for code in codes]
    chart = pygal.HorizontalBar(
        **_config(title="Nhu cầu chưa được đáp ứng theo lĩnh vực", y_labels=_int_axis(values))
    )
    chart.x_labels = [field_name(code) for code in codes]
    chart.add("Nhu cầu chưa đáp ứng", values)
    return _svg(chart)


def unmet_by_province(report: SummaryReport) -> str:
    """Unmet needs per province."""
    groups = report.unmet_demand.by_province
    values = [group.count for group in groups]
    chart = pygal.HorizontalBar(
        **_config(title="Nhu cầu chưa được đáp ứng theo tỉnh/thành", y_labels=_int_axis(values))
    )
    chart.x_labels = [group.name for group in groups]
    chart.add("Nhu cầu chưa đáp ứng", values)
    return _svg(chart)


def funnel(report: SummaryReport) -> str:
    """Connections that reached each stage."""
    stages = report.connection_funnel.stages
    values = [stage.count for stage in stages]
    chart = pygal.Bar(
        **_config(
            title="Phễu kết nối", show_legend=False, print_values=True, y_labels=_int_axis(values)
        )
    )
    chart.x_labels = [stage.name for stage in stages]
    chart.add("Số kết nối", values)
    return _svg(chart)


def monthly(report: SummaryReport) -> str:
    """New offers, needs and connections per month."""
    points = report.monthly
    series = {
        "Công nghệ mới": [p.offers for p in points],
        "Nhu cầu mới": [p.needs for p in points],
        "Kết nối mới": [p.connections for p in points],
    }
    chart = pygal.Line(
        **_config(
            title="Hoạt động 12 tháng gần nhất",
            width=1280,
            height=420,
            y_labels=_int_axis(*series.values()),
            dots_size=4,
        )
    )
    chart.x_labels = [f"{p.month[5:]}/{p.month[:4]}" for p in points]
    for name, values in series.items():
        chart.add(name, values)
    return _svg(chart)


def all_charts(report: SummaryReport) -> dict[str, str]:
    """Every overview chart by name."""
    return {
        "supply_demand": supply_demand(report),
        "unmet_field": unmet_by_field(report),
        "unmet_province": unmet_by_province(report),
        "funnel": funnel(report),
        "monthly": monthly(report),
    }
