"""Small charts drawn on the server as inline SVG, for the PDF (wkhtmltopdf renders SVG)."""

from markupsafe import Markup, escape

BAR_COLOR = "#4c78a8"
LINE_COLOR = "#e45756"
AXIS_COLOR = "#888888"
FONT = 'font-family="sans-serif" font-size="9" fill="#333333"'


def _caption(label, room):
    """The label cut to the room it has (about 5 pixels a character at this font size)."""
    label = str(label)
    chars = max(int(room / 5), 3)
    return escape(label if len(label) <= chars else label[: chars - 1] + "…")


def _svg(width, height, body):
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{body}</svg>'
    )


def bar_chart(items, width=480, height=160):
    """Vertical bars of ``items`` [(label, value)], each value written above its bar."""
    if not items:
        return Markup("")
    top, bottom, left = 14, 30, 4
    plot = height - top - bottom
    peak = max(value for _label, value in items) or 1
    slot = (width - left) / len(items)
    bar_width = max(slot * 0.7, 1)
    parts = [f'<line x1="{left}" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="{AXIS_COLOR}"/>']
    for index, (label, value) in enumerate(items):
        x = left + index * slot + (slot - bar_width) / 2
        h = plot * value / peak
        y = top + plot - h
        middle = x + bar_width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{h:.1f}" fill="{BAR_COLOR}"/>'
        )
        parts.append(f'<text x="{middle:.1f}" y="{y - 2:.1f}" text-anchor="middle" {FONT}>{value:g}</text>')
        caption = _caption(label, slot)
        parts.append(
            f'<text x="{middle:.1f}" y="{top + plot + 12}" text-anchor="middle" {FONT}>{caption}</text>'
        )
    return _svg(width, height, "".join(parts))


def line_chart(points, width=480, height=140, maximum=None):
    """A line through ``points`` [(label, value)], the labels under the axis."""
    if not points:
        return Markup("")
    top, bottom, left, right = 14, 26, 22, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = maximum or max(value for _label, value in points) or 1
    step = plot_w / max(len(points) - 1, 1)
    coords = [
        (left + index * step, top + plot_h - plot_h * min(value, peak) / peak)
        for index, (_label, value) in enumerate(points)
    ]
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{AXIS_COLOR}"/>',
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            LINE_COLOR, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        ),
    ]
    for (x, y), (label, value) in zip(coords, points, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE_COLOR}"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 5:.1f}" text-anchor="middle" {FONT}>{value:g}</text>')
        caption = _caption(label, step)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 12}" text-anchor="middle" {FONT}>{caption}</text>'
        )
    return _svg(width, height, "".join(parts))
