"""A calibration report as terminal text, Markdown or JSON, and an annotator's history across batches.

Text, Markdown and the HTML page (`calibration_html`, which also holds
`render`, the choice among the four) share one set of row builders so that
all show the same figures. Coefficients show four decimals and judges'
percentages two, the precision published evaluations are compared at. Text
and Markdown cap long lists with a count of the rest; JSON and HTML keep them
whole.
"""

from __future__ import annotations

import json

from ..models import CONFIDENCE_STATED, AnnotatorHistory, AnnotatorResult, CalibrationReport, Estimate, PairTable, Rate
from .formatters import DASH, md_table, md_text, number, percent, plural, table, terminal_safe

fmt = number
pct = percent
COEFFICIENT_DIGITS = 4
SHOWN = 10  # lines of a long list in text and Markdown before "and N more"


def coef(value: float | None) -> str:
    return number(value, COEFFICIENT_DIGITS)


def pct2(value: float | None) -> str:
    return percent(value, 2)


def estimate_text(est: Estimate | None, *, percent: bool = False) -> str:
    if est is None:
        return DASH
    if not est.available:
        return est.reason or DASH
    show = (lambda v: pct(v, 1)) if percent else coef
    if est.low is None:
        return show(est.value)
    return f"{show(est.value)} [{show(est.low)}, {show(est.high)}]" + (" degenerate" if est.note else "")


def capped(lines: list[str], limit: int | None, what: str = "") -> list[str]:
    """The first `limit` lines and a count of the rest (None: all of them)."""
    if limit is None or len(lines) <= limit:
        return lines
    return [*lines[:limit], f"... and {len(lines) - limit} more{what} (every one in --format json or html)"]


def rate_text(rate: Rate | None) -> str:
    if rate is None or rate.rate is None:
        return DASH
    mark = " !" if rate.flagged else ""
    return f"{pct(rate.rate)} (gold {pct(rate.gold_rate)}){mark}"


# (label, preference field, strength field, shown as a percentage); the strength's alpha is ordinal by nature.
COEFFICIENTS = [
    ("percent agreement", "percent_agreement", "percent_agreement", True),
    ("percent agreement without ties", "percent_agreement_without_ties", None, True),
    ("Krippendorff's alpha, nominal", "krippendorff_alpha", None, False),
    ("Krippendorff's alpha, ordinal (A < tie < B)", "krippendorff_alpha_ordinal", "krippendorff_alpha", False),
    ("Fleiss' kappa", "fleiss_kappa", None, False),
    ("Gwet's AC1", "gwet_ac1", None, False),
    ("PABAK", "pabak", None, False),
]


def agreement_rows(report: CalibrationReport) -> list[list[str]]:
    pref = report.agreement["preference"]
    strength = report.agreement.get("strength") or {}
    rows = []
    for label, key, strength_key, as_percent in COEFFICIENTS:
        in_strength = estimate_text(strength.get(strength_key), percent=as_percent) if strength_key and strength_key in strength else DASH
        rows.append([label, estimate_text(pref.get(key), percent=as_percent), in_strength])
    return rows


def agreement_base(report: CalibrationReport) -> str:
    """The one base percent agreement, AC1 and PABAK share, and the categories their chance terms count."""
    categories = report.agreement.preference.categories
    return (
        "Percent agreement, AC1 and PABAK share one base: per item, the share of its vote pairs that agree,"
        f" averaged over items. AC1 and PABAK count the {len(categories)} categories in use ({', '.join(categories)})."
    )


def matrix_rows(matrix: PairTable) -> tuple[list[str], list[list[str]]]:
    names = [str(r) for r in matrix.raters]
    rows = []
    for i, name in enumerate(names):
        row = [name]
        for j in range(len(names)):
            if i == j:
                row.append(DASH)
            else:
                est = matrix.estimate(i, j)
                row.append(coef(est.value) if est.available else "n/a")
        rows.append(row)
    return ["", *names], rows


def _accuracy_text(accuracy: float | None, low: float | None, high: float | None, show=pct) -> str:  # type: ignore[no-untyped-def]
    return f"{show(accuracy)} [{show(low)}, {show(high)}]" if accuracy is not None else DASH


def annotator_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    if report.has_gold:
        headers = ["annotator", "items", "gold", "accuracy [95% CI]", "verdict", "score", "strength", "kappa w/ peers",
                   "reliability (DS)"]
        # Only where gold was made from the annotators' own votes.
        own = any(r.leave_one_out for r in report.annotator_results)
        rows = [
            [
                r.name,
                str(r.judged),
                str(r.gold_items),
                _accuracy_text(r.accuracy, r.accuracy_low, r.accuracy_high),
                r.verdict,
                fmt(r.mean_score, 1),
                fmt(r.strength_credit),
                fmt(r.kappa_with_peers),
                fmt(r.reliability),
                *([_leave_one_out_text(r)] if own else []),
            ]
            for r in report.annotator_results
        ]
        headers += ["without own vote [95% CI]"] if own else []
    else:
        headers = ["annotator", "items", "agreement w/ peers", "kappa w/ peers", "reliability (DS)"]
        rows = [
            [r.name, str(r.judged), pct(r.agreement_with_peers), fmt(r.kappa_with_peers), fmt(r.reliability)]
            for r in report.annotator_results
        ]
    return headers, rows


def _leave_one_out_text(r: AnnotatorResult) -> str:
    loo = r.leave_one_out
    if loo is None:
        return DASH
    if loo.accuracy is None:
        return f"no item left ({loo.without_winner} without a winner)"
    return f"{_accuracy_text(loo.accuracy, loo.low, loo.high)} n={loo.items}"


def consistency_text(r: AnnotatorResult) -> str:
    rate = r.self_consistency
    if rate is None:
        return DASH
    others = f" (others {pct(rate.gold_rate, 1)})" if rate.gold_rate is not None else ""
    return f"{rate.count}/{rate.n} repeated pairs{others}" + (" !" if rate.flagged else "")


def bias_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    headers = ["annotator", "A among A/B", "ties", "longer response", "self-consistency"]
    rows = [
        [r.name, rate_text(r.position), rate_text(r.ties), rate_text(r.length), consistency_text(r)]
        for r in report.annotator_results
    ]
    return headers, rows


def escalation_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    """Flags against the gold's edge cases, per annotator who flagged or met an edge case."""
    headers = ["annotator", "edge cases", "flagged", "hits", "missed", "false alarms", "flag rate [95% CI] (gold)", "flags used"]
    rows = []
    for r in report.annotator_results:
        e = r.escalation
        if e is None:
            continue
        used = ", ".join(f"{flag} {n}" for flag, n in e.flags.items()) or DASH
        rows.append([r.name, str(e.edge_cases), str(e.flagged), str(e.hits), str(e.misses), str(e.false_alarms), rate_text(e.rate), used])
    return headers, rows


def confidence_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    """Accuracy at each confidence level, Brier score, ECE and verdict, per annotator who gave a confidence."""
    headers = ["annotator", "verdict", "answers", "stated", "right", "Brier", "ECE",
               *(f"{lv} ({stated:.0%})" for lv, stated in CONFIDENCE_STATED.items())]
    rows = []
    for r in report.annotator_results:
        c = r.confidence
        if c is None:
            continue
        levels = [f"{lv.correct}/{lv.n} [{pct(lv.low)}, {pct(lv.high)}]" if lv.n else DASH for lv in c.levels]
        rows.append([r.name, c.verdict, str(c.n), pct(c.mean_stated), pct(c.accuracy), f"{c.brier:.3f}", f"{c.ece:.3f}", *levels])
    return headers, rows


CONFIDENCE_CAPTION = (
    "Right / answers at each confidence level with the 95% Wilson interval; a level stands for the probability in"
    " brackets. Brier = mean (stated - right)², 0 is perfect; ECE = |accuracy - stated| per level weighted by its"
    " share of the answers. Over-confident: the interval of the overall accuracy lies below the mean stated confidence."
)
ESCALATION_CAPTION = (
    "hits = edge cases flagged; missed = edge cases answered without a flag; false alarms = clear items flagged"
    " (harm reported on a safety-critical item is not one). ! = the gold's edge-case rate is outside the annotator's"
    " 95% interval."
)


def judge_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    """Model judges against gold: accuracy to two decimals (as published), verdict, biases, consistency."""
    headers = ["judge", "verdicts", "gold", "accuracy [95% CI]", "verdict", "A among A/B", "ties", "longer response",
               "repeated pairs, both orders"]
    rows = [
        [r.name, str(r.judged), str(r.gold_items), _accuracy_text(r.accuracy, r.accuracy_low, r.accuracy_high, pct2),
         r.verdict if r.gold_items else DASH, rate_text(r.position), rate_text(r.ties), rate_text(r.length), consistency_text(r)]
        for r in report.judge_results
    ]
    return headers, rows


def class_score_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    """Accuracy, macro precision / recall / F1 and F1 per class against gold, for annotators and judges."""
    headers = ["rater", "accuracy", "macro P", "macro R", "macro F1", "F1 A", "F1 B", "F1 tie"]
    rows = []
    for r in [*report.annotator_results, *report.judge_results]:
        if not r.classes:
            continue
        per_class = [pct2(r.per_class[c].f1) if c in r.per_class else DASH for c in ("A", "B", "tie")]
        rows.append([r.name, pct2(r.accuracy), pct2(r.precision), pct2(r.recall), pct2(r.f1), *per_class])
    return headers, rows


def class_score_caption(report: CalibrationReport) -> str:
    used = sorted({c for r in [*report.annotator_results, *report.judge_results] for c in r.classes})
    return (
        "Macro = the unweighted mean over the classes in gold or in the answers (here: " + ", ".join(used) + "),"
        " as scikit-learn's average='macro'; a class never answered has precision 0."
    )


def coaching_lines(r: AnnotatorResult) -> list[str]:
    lines = []
    for bias in r.biases:
        lines.append(f"bias: {bias}")
    e = r.escalation
    if e is not None and (e.misses or e.false_alarms):
        parts = [f"missed {e.misses} of {e.edge_cases} edge cases"] if e.misses else []
        parts += [f"flagged {e.false_alarms} clear item{'s' if e.false_alarms != 1 else ''}"] if e.false_alarms else []
        lines.append("escalation: " + "; ".join(parts))
    if r.missed_criteria:
        top = ", ".join(f"{m['name']} (missed {m['missed']} of {m['decisive']})" for m in r.missed_criteria[:3])
        lines.append(f"misses decisive criteria: {top}")
    if r.missed_key_points:
        counts: dict[str, int] = {}
        for kp in r.missed_key_points:
            counts[kp["text"]] = counts.get(kp["text"], 0) + 1
        top = "; ".join(f"{text} ({n}x)" for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
        lines.append(f"misses key points: {top}")
    return lines


def consensus_lines(report: CalibrationReport, limit: int | None = None) -> list[str]:
    c = report.consensus
    total = len(c["items"])
    if c.get("withheld"):
        agreed = sum(1 for i in c["items"] if i["majority"] is not None)
        return [f"Both annotators agree on {agreed} of {total} items.", f"Dawid-Skene and accuracy against gold withheld: {c['withheld']}."]
    lines = [
        f"Majority vote and Dawid-Skene agree on {total - len(c['differ'])} of {total} items"
        f" ({c['no_majority']} without a majority; EM {'converged' if c['em_converged'] else 'did not converge'}"
        f" in {c['em_iterations']} iterations)."
    ]
    if "majority_accuracy" in c:
        lines.append(
            f"Against gold: majority vote {pct(c['majority_accuracy'])}, Dawid-Skene {pct(c['dawid_skene_accuracy'])}."
        )
    differ = [
        f"  {d['item_id']}: majority {d['majority'] or 'none (split)'}, Dawid-Skene {d['dawid_skene']}"
        f" (posterior {d['dawid_skene_confidence']:.2f})"
        for d in c["differ"]
    ]
    return lines + capped(differ, limit, " items where they differ")


def contested_blocks(report: CalibrationReport, limit: int = 5) -> list[tuple[str, list[str]]]:
    blocks = []
    for c in report.contested[:limit]:
        votes = " | ".join(f"{side}: {', '.join(names)}" for side, names in c.votes.items())
        head = f"{c.item_id}  entropy {c.entropy:.2f} bits  votes {votes}" + (f"  gold {c.gold_preference}" if c.gold_preference else "")
        lines = []
        # Votes without rationales or criteria (imported votes) name none: say nothing rather than "none" per side.
        for side, criteria in c.criteria_by_side.items() if any(c.criteria_by_side.values()) else ():
            shown = ", ".join(f"{k} ({n})" for k, n in criteria.items()) or "no criterion named"
            lines.append(f"{side} side appeals to: {shown}")
        for kp in c.key_points_missed:
            lines.append(f"missed by {kp['missed_by']} of {kp['of']} wrong votes: {kp['text']}")
        for note in c.flag_notes:
            said = f": {note['note']}" if note["note"] else ""
            lines.append(f"flagged by {note['annotator']} ({', '.join(note['flags'])}){said}")
        if c.gold_edge_case:
            lines.append(f"the gold marks it as an edge case: {c.gold_edge_case}")
        blocks.append((head, lines))
    return blocks


# --------------------------------------------------------------------------- text


def render_text(report: CalibrationReport) -> str:
    out = [
        f"Calibration batch {report.batch}: rubric {report.rubric['id']} v{report.rubric['version']},"
        f" {report.items} {plural(report.items, 'item')}, {len(report.annotators)} {plural(len(report.annotators), 'annotator')},"
        f" {report.judgments} {plural(report.judgments, 'judgment')}",
    ]
    if report.has_gold:
        out.append(f"Verdicts: accuracy >= {report.threshold:.0%} on at least {report.min_items} gold items")
    out += _text_agreement(report) + _text_annotators(report) + _text_judges(report)
    out += ["", "Consensus without gold"] + ["  " + line for line in consensus_lines(report, SHOWN)]
    if report.contested:
        out += ["", "Most contested items (vote entropy)"]
        for head, lines in contested_blocks(report):
            out.append(f"  {head}")
            out += [f"    {line}" for line in lines]
    if report.questions:
        out += ["", "Questions for the next calibration session"]
        out += [f"  {n}. {q}" for n, q in enumerate(report.questions, 1)]
    if report.proposal:
        out += ["", "For a guideline-improvement proposal"] + [f"  - {p}" for p in report.proposal]
    if report.notes:
        out += ["", "Notes"] + [f"  - {n}" for n in report.notes]
    # Flag notes, key points and names are people's text: none may move the cursor or recolour the terminal.
    return terminal_safe("\n".join(out) + "\n")


def _indented(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def _text_agreement(report: CalibrationReport) -> list[str]:
    out = ["", f"Agreement among annotators (95% bootstrap intervals over items; not enough overlap: fewer than"
                f" {report.min_overlap} shared items, see --min-overlap)"]
    out += _indented(table(["", "preference", "strength"], agreement_rows(report)))
    out += ["  " + agreement_base(report)]
    out += ["", f"Cohen's kappa, preference (pairs of annotators; n/a = fewer than {report.min_overlap} shared items, or"
                " no variation)"]
    out += _indented(_text_matrix(report.agreement.preference.cohen_kappa))
    strength = report.agreement.strength
    if strength:
        out += ["", "Weighted kappa, strength (quadratic)"]
        out += _indented(_text_matrix(strength.weighted_kappa_quadratic))
    return out


MATRIX_MAX = 8  # annotators whose pair matrix still fits a terminal; past it, the pairs that agree least


def _text_matrix(matrix: PairTable) -> list[str]:
    """The matrix of every pair, or, for more annotators than a terminal holds, the SHOWN pairs that agree least."""
    if len(matrix.raters) <= MATRIX_MAX:
        return table(*matrix_rows(matrix))
    pairs = sorted((p for p in matrix.pairs if p["value"] is not None), key=lambda p: (p["value"], p["a"], p["b"]))
    rows = [[p["a"], p["b"], coef(p["value"]), str(p["n"])] for p in pairs[:SHOWN]]
    count = len(matrix.raters)
    return [
        f"{count} annotators make {len(matrix.pairs)} pairs, too many for a matrix here: the {len(rows)} that agree least"
        " (every pair in --format html, md or json)",
        *table(["annotator", "annotator", "kappa", "items"], rows),
    ]


def _text_annotators(report: CalibrationReport) -> list[str]:
    out = ["", "Each annotator" + (" against gold" if report.has_gold else "")]
    out += _indented(table(*annotator_rows(report)))
    if not report.has_gold:
        return out
    out += ["", "Biases against gold on the same items (! = the reference rate is outside the annotator's 95% interval;"
            " self-consistency is set against the other annotators)"]
    out += _indented(table(*bias_rows(report)))
    headers, rows = escalation_rows(report)
    if rows:
        out += ["", "Escalation against the gold's edge cases"] + _indented(table(headers, rows)) + ["  " + ESCALATION_CAPTION]
    headers, rows = confidence_rows(report)
    if rows:
        out += ["", "Confidence calibration (accuracy by stated confidence)"] + _indented(table(headers, rows))
        out += ["  " + CONFIDENCE_CAPTION]
    coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
    if any(lines for _, lines in coaching):
        out += ["", "Coaching"]
        for name, lines in coaching:
            if lines:
                out.append(f"  {name}")
                out += [f"    - {line}" for line in lines]
    return out


def _text_judges(report: CalibrationReport) -> list[str]:
    out = []
    if report.judge_results:
        out += ["", "Model judges against gold (kept out of the agreement among annotators)"]
        out += _indented(table(*judge_rows(report)))
    headers, rows = class_score_rows(report)
    if rows:
        out += ["", "Precision, recall and F1 against gold"] + _indented(table(headers, rows))
        out += ["  " + class_score_caption(report)]
    return out


def render_json(report: CalibrationReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- markdown


def render_markdown(report: CalibrationReport) -> str:
    out = [
        f"# Calibration batch {md_text(report.batch)}",
        "",
        f"Rubric **{report.rubric['id']}** v{report.rubric['version']}: {report.items} {plural(report.items, 'item')},"
        f" {len(report.annotators)} {plural(len(report.annotators), 'annotator')}, {report.judgments} {plural(report.judgments, 'judgment')}."
        + (f" Verdicts need accuracy ≥ {report.threshold:.0%} on at least {report.min_items} gold items." if report.has_gold else ""),
        "",
        "## Agreement among annotators",
        "",
        f"95% bootstrap intervals over items; \u201cnot enough overlap\u201d and n/a: fewer than {report.min_overlap}"
        " shared items (`--min-overlap`), or no variation.",
        "",
    ]
    out += md_table(["coefficient", "preference", "strength"], agreement_rows(report))
    out += ["", agreement_base(report)]
    out += ["", "### Cohen's kappa (preference)", ""] + md_table(*matrix_rows(report.agreement.preference.cohen_kappa))
    strength = report.agreement.strength
    if strength:
        out += ["", "### Weighted kappa (strength, quadratic)", ""] + md_table(*matrix_rows(strength.weighted_kappa_quadratic))
    out += _md_annotators(report) + _md_judges(report)
    out += ["", "## Consensus without gold", ""]
    out += [md_text(line.strip()) if not line.startswith("  ") else "- " + md_text(line.strip()) for line in consensus_lines(report, SHOWN)]
    if report.contested:
        out += ["", "## Where the guideline is unclear", ""]
        for head, lines in contested_blocks(report):
            out.append(f"- **{md_text(head)}**")
            out += [f"  - {md_text(line)}" for line in lines]
    if report.questions:
        out += ["", "### Questions for the next calibration session", ""] + [f"{n}. {md_text(q)}" for n, q in enumerate(report.questions, 1)]
    if report.proposal:
        out += ["", "### For a guideline-improvement proposal", ""] + [f"- {md_text(p)}" for p in report.proposal]
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {md_text(n)}" for n in report.notes]
    return "\n".join(out) + "\n"


def _md_annotators(report: CalibrationReport) -> list[str]:
    out = ["", "## Each annotator" + (" against gold" if report.has_gold else ""), ""] + md_table(*annotator_rows(report))
    if not report.has_gold:
        return out
    out += ["", "### Biases", "", "`!` = the reference rate (gold's; for self-consistency the other annotators') is outside the annotator's 95% interval.", ""]
    out += md_table(*bias_rows(report))
    headers, rows = escalation_rows(report)
    if rows:
        out += ["", "### Escalation against the gold's edge cases", ""] + md_table(headers, rows) + ["", ESCALATION_CAPTION]
    headers, rows = confidence_rows(report)
    if rows:
        out += ["", "### Confidence calibration", ""] + md_table(headers, rows) + ["", CONFIDENCE_CAPTION]
    coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
    if any(lines for _, lines in coaching):
        out += ["", "### Coaching", ""]
        for name, lines in coaching:
            if lines:
                out.append(f"- **{md_text(name)}**")
                out += [f"  - {md_text(line)}" for line in lines]
    return out


def _md_judges(report: CalibrationReport) -> list[str]:
    out = []
    if report.judge_results:
        out += ["", "## Model judges against gold", "", "Kept out of the agreement among annotators.", ""]
        out += md_table(*judge_rows(report))
    headers, rows = class_score_rows(report)
    if rows:
        out += ["", "### Precision, recall and F1 against gold", ""] + md_table(headers, rows) + ["", class_score_caption(report)]
    return out


# --------------------------------------------------------------------------- history


def render_history(history: AnnotatorHistory, fmt_name: str = "text") -> str:
    if fmt_name == "json":
        return json.dumps(history.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if not history.rows:
        return f"No stored calibration batches for {history.annotator}.\n"
    headers = ["batch", "created", "items", "accuracy [95% CI]", "verdict", "kappa w/ peers", "A among A/B", "ties", "longer", "biases"]
    rows = [_history_row(r) for r in history.rows]
    if fmt_name == "md":
        lines = [f"# Calibration history: {md_text(history.annotator)}", ""] + md_table(headers, rows)
        if history.drift:
            lines += ["", "## Drift", ""] + [f"- {md_text(d)}" for d in history.drift]
        return "\n".join(lines) + "\n"
    lines = [f"Calibration history for {history.annotator} ({len(history.rows)} {plural(len(history.rows), 'batch', 'batches')})", ""] + table(headers, rows)
    if history.drift:
        lines += ["", "Drift"] + [f"  - {d}" for d in history.drift]
    return "\n".join(lines) + "\n"


def _history_row(r) -> list[str]:  # type: ignore[no-untyped-def]
    def against_gold(rate: float | None, gold: float | None) -> str:
        return f"{pct(rate)} (gold {pct(gold)})" if rate is not None else DASH

    return [
        r.batch,
        r.created[:16],
        str(r.judged),
        f"{pct(r.accuracy)} [{pct(r.accuracy_low)}, {pct(r.accuracy_high)}]" if r.accuracy is not None else DASH,
        r.verdict or DASH,
        fmt(r.kappa_with_peers),
        against_gold(r.share_a, r.gold_share_a),
        against_gold(r.tie_rate, r.gold_tie_rate),
        against_gold(r.longer_rate, r.gold_longer_rate),
        "; ".join(b.split(":")[0] for b in r.biases) or "none",
    ]
