"""The audit as one self-contained HTML page (inline SVG, no scripts, no CDN) and as a model-card section."""

from __future__ import annotations

from html import escape

from .metrics import FOUR_FIFTHS

BAR_W, ROW_H, LABEL_W = 260, 18, 170


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _share(r: dict) -> str:
    """Exposure share against population share, as text."""
    return f"{_pct(r['exposure_share']['estimate'] if r['exposure_share'] else None)} / {_pct(r['population_share'])}"


def _flag(r: dict) -> str:
    """⚑ for a flag whose interval lies below 0.8, ⚑? for one whose interval reaches above it."""
    return (" ⚑" if r.get("flag_certain") else " ⚑?") if r["flagged"] else ""


def _di(r: dict) -> str:
    flag = _flag(r)
    return f"{_num(r['disparate_impact']['estimate'] if r['disparate_impact'] else None)}{flag}"


def _est(iv: dict | None, fmt=_pct) -> str:
    return "–" if iv is None else f"{fmt(iv['estimate'])} [{fmt(iv['low'])}, {fmt(iv['high'])}]"


def selection_svg(rows: list[dict]) -> str:
    """Selection rate per group with its 95 % interval; the dashed line is 0.8 × the best group's rate."""
    shown = [r for r in rows if not r["too_small"]]
    top = max([r["selection_rate"]["high"] for r in shown] + [1e-9])
    best = max([r["selection_rate"]["estimate"] for r in shown] + [0.0])
    height = ROW_H * (len(rows) + 1) + 10
    width = LABEL_W + BAR_W + 110
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    x = lambda v: LABEL_W + BAR_W * v / top  # noqa: E731 - a scale, read as one
    for i, r in enumerate(rows):
        y = 8 + i * ROW_H
        out.append(f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end" font-size="12">{escape(r["group"])}</text>')
        if r["too_small"]:
            out.append(f'<text x="{LABEL_W}" y="{y + 12}" font-size="11" fill="#777">too small (n={r["size"]})</text>')
            continue
        sr = r["selection_rate"]
        color = "#c0392b" if r["flagged"] else "#2c7fb8"
        out.append(
            f'<rect x="{LABEL_W}" y="{y + 2}" width="{x(sr["estimate"]) - LABEL_W:.1f}" height="12" fill="{color}"/>'
        )
        out.append(f'<line x1="{x(sr["low"]):.1f}" x2="{x(sr["high"]):.1f}" y1="{y + 8}" y2="{y + 8}" stroke="#222"/>')
        out.append(f'<text x="{x(sr["high"]) + 4:.1f}" y="{y + 12}" font-size="11">{_pct(sr["estimate"])}</text>')
    if best > 0:
        xf = x(FOUR_FIFTHS * best)
        out.append(
            f'<line x1="{xf:.1f}" x2="{xf:.1f}" y1="4" y2="{height - 14}" stroke="#c0392b" stroke-dasharray="4 3"/>'
        )
        out.append(f'<text x="{xf:.1f}" y="{height - 3}" font-size="10" fill="#c0392b">0.8 × best</text>')
    out.append("</svg>")
    return "".join(out)


def exposure_svg(rows: list[dict]) -> str:
    """Each group's share of the position-weighted exposure (bar) against its share of the population (tick)."""
    shown = [r for r in rows if not r["too_small"]]
    top = max(
        [r["exposure_share"]["high"] for r in shown if r["exposure_share"]]
        + [r["population_share"] for r in rows]
        + [1e-9]
    )
    height = ROW_H * len(rows) + 12
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL_W + BAR_W + 110}" height="{height}" role="img">']
    for i, r in enumerate(rows):
        y = 6 + i * ROW_H
        out.append(f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end" font-size="12">{escape(r["group"])}</text>')
        px = LABEL_W + BAR_W * r["population_share"] / top
        if r["exposure_share"] is not None:
            w = BAR_W * r["exposure_share"]["estimate"] / top
            out.append(f'<rect x="{LABEL_W}" y="{y + 2}" width="{w:.1f}" height="12" fill="#41ab5d"/>')
            out.append(
                f'<text x="{LABEL_W + max(w, px - LABEL_W) + 6:.1f}" y="{y + 12}" font-size="11">'
                f"{_pct(r['exposure_share']['estimate'])} vs {_pct(r['population_share'])}</text>"
            )
        out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y}" y2="{y + 16}" stroke="#222" stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)


def _table(rows: list[dict]) -> str:
    head = (
        "<tr><th>group</th><th>n</th><th>selection rate [95% CI]</th><th>DI ratio</th>"
        "<th>exposure share / population share</th><th>mean score gap</th><th>TPR gap (simulated)</th></tr>"
    )
    body = []
    for r in rows:
        if r["too_small"]:
            body.append(
                f"<tr class='small'><td>{escape(r['group'])}</td><td>{r['size']}</td>"
                "<td colspan=5>too small to read</td></tr>"
            )
            continue
        flag = " class='flag'" if r["flagged"] else ""
        body.append(
            f"<tr{flag}><td>{escape(r['group'])}</td><td>{r['size']}</td><td>{_est(r['selection_rate'])}</td>"
            f"<td>{_est(r['disparate_impact'], _num)}{_flag(r)}</td>"
            f"<td>{_share(r)} (×{_num(r['exposure_ratio'])})</td>"
            f"<td>{_est(r['mean_score_gap'], lambda v: f'{v:+.3f}')}</td>"
            f"<td>{_est(r['equal_opportunity_difference'], lambda v: f'{v:+.1%}')}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


CSS = (
    "body{font:13px system-ui,sans-serif;margin:1.5em;max-width:1100px;color:#222}"
    "h1{font-size:18px}h2{font-size:15px;margin:1.2em 0 .3em}table{border-collapse:collapse;margin:.4em 0}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}tr.flag td{background:#fde2e0}"
    "tr.small td{color:#777}.grid{display:flex;flex-wrap:wrap;gap:1em}.note{color:#555}"
)


def audit_html(report: dict) -> str:
    """One page: what was audited, and per grouping a table and two small charts."""
    sections = []
    for name, grouping in report["groupings"].items():
        rows = grouping["groups"]
        sections.append(
            f"<h2>{escape(name.replace('_', ' '))} <span class='note'>({escape(grouping['source'])})</span></h2>"
            f"{_table(rows)}<div class='grid'><div>Selection into the top-{report['k']}<br>{selection_svg(rows)}</div>"
            f"<div>Exposure share (bar) vs population share (tick)<br>{exposure_svg(rows)}</div></div>"
        )
    flagged = [f"{n}: {g['group']}" for n, gr in report["groupings"].items() for g in gr["groups"] if g["flagged"]]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>matcher disparate-impact audit</title>"
        f"<style>{CSS}</style></head><body><h1>Disparate-impact audit</h1>"
        f"<p>{report['lists']} ranked lists, top-{report['k']}, {report['candidates']} candidates; "
        f"bootstrap {report['n_bootstrap']} replicates, groups under {report['min_group_size']} not read. "
        f"Flag ⚑: disparate-impact ratio below {FOUR_FIFTHS} (four-fifths rule) with its whole interval below; "
        "⚑?: below on the estimate, but the interval reaches above (too uncertain to conclude). "
        f"Flagged: {escape(', '.join(flagged)) if flagged else 'none'}.</p>"
        f"<p class='note'>{escape(report['note'])}</p>{''.join(sections)}</body></html>"
    )


def model_card_section(report: dict) -> str:
    """The latest audit's figures as a Markdown section for the model card."""
    lines = [
        "## Disparate-impact audit",
        "",
        f"{report['lists']} ranked lists, top-{report['k']}, {report['candidates']} candidates "
        f"(created {report['created']}). {report['note']}",
        "",
    ]
    for name, grouping in report["groupings"].items():
        lines += [
            f"### {name.replace('_', ' ')} ({grouping['source']})",
            "",
            "| group | n | selection rate [95% CI] | DI ratio | exposure / population share | TPR gap |",
            "|---|---:|---|---|---|---|",
        ]
        for r in grouping["groups"]:
            if r["too_small"]:
                lines.append(f"| {r['group']} | {r['size']} | too small | | | |")
                continue
            lines.append(
                f"| {r['group']} | {r['size']} | {_est(r['selection_rate'])} | "
                f"{_di(r)} | {_share(r)} | "
                f"{_est(r['equal_opportunity_difference'], lambda v: f'{v:+.1%}')} |"
            )
        lines.append("")
    return "\n".join(lines)
