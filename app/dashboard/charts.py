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


def _config(**extra: object) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "no_data_text": NO_DATA,
        "width": 800,
        "height": 420,
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
    chart = pygal.HorizontalBar(**_config(title="Cung – cầu theo lĩnh vực (đã công bố)"))
    chart.x_labels = [field_name(code) for code in codes]
    chart.add("Công nghệ (cung)", [offers.get(code, 0) for code in codes])
    chart.add("Nhu cầu (cầu)", [needs.get(code, 0) for code in codes])
    return _svg(chart)


def unmet_by_field(report: SummaryReport) -> str:
    """Unmet needs per field group."""
    counts: dict[str, int] = defaultdict(int)
    for group in report.unmet_demand.by_field:
        counts[group.code[:1]] += group.count
    chart = pygal.HorizontalBar(**_config(title="Nhu cầu chưa được đáp ứng theo lĩnh vực"))
    codes = sorted(counts)
    chart.x_labels = [field_name(code) for code in codes]
    chart.add("Nhu cầu chưa đáp ứng", [counts[code] for code in codes])
    return _svg(chart)


def unmet_by_province(report: SummaryReport) -> str:
    """Unmet needs per province."""
    groups = report.unmet_demand.by_province
    chart = pygal.HorizontalBar(**_config(title="Nhu cầu chưa được đáp ứng theo tỉnh/thành"))
    chart.x_labels = [group.name for group in groups]
    chart.add("Nhu cầu chưa đáp ứng", [group.count for group in groups])
    return _svg(chart)


def funnel(report: SummaryReport) -> str:
    """Connections that reached each stage."""
    stages = report.connection_funnel.stages
    chart = pygal.Bar(**_config(title="Phễu kết nối", show_legend=False, print_values=True))
    chart.x_labels = [stage.name for stage in stages]
    chart.add("Số kết nối", [stage.count for stage in stages])
    return _svg(chart)


def monthly(report: SummaryReport) -> str:
    """New offers, needs and connections per month."""
    chart = pygal.Line(**_config(title="Hoạt động 12 tháng gần nhất", x_label_rotation=30))
    chart.x_labels = [f"{p.month[5:]}/{p.month[:4]}" for p in report.monthly]
    chart.add("Công nghệ mới", [p.offers for p in report.monthly])
    chart.add("Nhu cầu mới", [p.needs for p in report.monthly])
    chart.add("Kết nối mới", [p.connections for p in report.monthly])
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
