"""SVG chart of a per-layer profile (micronn bench --per-layer --svg FILE): no plotting library.

One row per layer: its time as a bar (length = share of the inference, colour = op kind, with
the MACs per instruction/tick), and its RAM (live activations + kernel scratch) as a thin bar
scaled to the peak.
"""

from xml.sax.saxutils import escape

_COLOURS = {"CONV_2D": "#1f77b4", "DEPTHWISE_CONV_2D": "#ff7f0e", "FULLY_CONNECTED": "#2ca02c",
            "ADD": "#d62728", "AVERAGE_POOL_2D": "#9467bd", "MAX_POOL_2D": "#8c564b",
            "SOFTMAX": "#e377c2"}
_OTHER = "#7f7f7f"


def profile_svg(rows, unit, title):
    """rows: (index, op, output shape, MACs, time, RAM bytes) per layer; unit: of `time`."""
    label_w, bar_w, right_w, row_h, top = 300, 520, 190, 18, 56
    total = sum(r[4] for r in rows) or 1
    tmax = max([r[4] for r in rows] or [1]) or 1
    rmax = max([r[5] for r in rows] or [1]) or 1
    width = label_w + bar_w + right_w
    height = top + row_h * len(rows) + 40
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" '
           'font-size="11">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="8" y="18" font-size="13" font-weight="bold">%s</text>' % escape(title),
           '<text x="%d" y="40">time per layer (%s; bar: longest = full width)</text>' % (label_w, escape(unit)),
           '<text x="%d" y="40">RAM bytes</text>' % (label_w + bar_w + 8)]
    for k, (i, op, shape, macs, t, ram) in enumerate(rows):
        y = top + k * row_h
        colour = _COLOURS.get(op, _OTHER)
        w = max(1.0, bar_w * t / tmax)
        rate = " %.2f MAC/%s" % (macs / t, "instr" if unit == "instr" else "tick") if macs and t else ""
        out.append('<text x="8" y="%d">%s</text>' % (y + 12, escape("%3d %-18s %s" % (i, op[:18], shape))))
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>' % (
            label_w, y + 2, w, row_h - 6, colour,
            escape("%s: %d %s, %.1f%% of the inference, %d MACs%s" % (op, t, unit, 100.0 * t / total, macs, rate))))
        out.append('<text x="%d" y="%d">%.1f%%%s</text>' % (
            label_w + min(w, bar_w - 150) + 4, y + 12, 100.0 * t / total, escape(rate)))
        rw = max(1.0, (right_w - 70) * ram / rmax)
        out.append('<rect x="%d" y="%d" width="%.1f" height="4" fill="#444"/>' % (label_w + bar_w + 8, y + 8, rw))
        out.append('<text x="%d" y="%d">%d</text>' % (label_w + bar_w + 14 + rw, y + 12, ram))
    y = top + len(rows) * row_h + 20
    x = 8
    for op, colour in list(_COLOURS.items()) + [("other", _OTHER)]:
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (x, y - 9, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 14, y, escape(op)))
        x += 14 + 7 * len(op) + 14
    out.append("</svg>")
    return "\n".join(out) + "\n"
