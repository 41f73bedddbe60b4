"""``python -m tsunagu``: everyday jobs from the command line.

    python -m tsunagu report JOURNAL.jsonl --fiscal-year 2020 [--format terminal|csv|json]
    python -m tsunagu validate taxonomy FILE.toml|FILE.json
    python -m tsunagu validate rules FILE.toml|FILE.json [--standalone]
    python -m tsunagu rules check FILE.toml|FILE.json [--standalone] [--format text|json]
    python -m tsunagu rules show [FILE] [--standalone]     (the rule set in force, as JSON)

Rule documents are checked as extensions of the built-in rules unless ``--standalone``; every
problem is printed (code, rule id, JSON path, TOML line) and the exit status is 1 when there are
any.

Exit status: 0 success, 1 a tsunagu error (code and path printed), 2 usage errors.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import pathlib
import sys
from typing import Any, Sequence

from . import RuleSet, TsunaguError, annual_report, rule_problems, validate_taxonomy


def _rows(report: dict[str, Any]) -> list[tuple[str, str, str, int | float | str]]:
    """The report as (section, code, label, value) rows."""
    out: list[tuple[str, str, str, int | float | str]] = []
    fc = report["first_consultations"]
    for key in ("total", "monthly_average", "single", "continuing", "handed_over", "undecided"):
        out.append(("first_consultations", key, key, fc[key]))
    for m in fc["by_month"]:
        out.append(("first_consultations_by_month", m["month"], m["month"], m["count"]))
    for key, value in report["caseload"].items():
        out.append(("caseload", key, key, value))
    for section in ("issues", "age_bands", "closures", "referrals"):
        for row in report[section]:
            out.append((section, row["code"], row["ja"], row["count"]))
    for key, value in report["plans"].items():
        out.append(("plans", key, key, value))
    for row in report["contacts"]["rows"]:
        out.append(("contacts", row["kind"], row["ja"], row["count"]))
    for row in report["contacts"]["sectors"]:
        out.append(("contact_sectors", row["sector"], row["ja"], row["count"]))
    out.append(("contacts_total", "total", "計", report["contacts"]["total"]))
    cm = report["case_meetings"]
    out.append(("case_meetings", "total", "計", cm["total"]))
    for row in cm["by_type"]:
        out.append(("case_meetings_by_type", row["code"], row["ja"], row["count"]))
    for role, n in cm["by_convener"]:
        out.append(("case_meetings_by_convener", role, role, n))
    for m in report["network_meetings"]:
        out.append(("network_meetings", str(m["number"]), m["meeting_type"], m["date"]))
    return out


def _terminal(report: dict[str, Any]) -> str:
    fc = report["first_consultations"]
    lines = [
        f"{report['label']} 実績報告 (fiscal year {report['fiscal_year']})",
        "",
        f"初回相談 {fc['total']} 名 (月平均 {fc['monthly_average']:.1f}) — 単発 {fc['single']}, "
        f"継続 {fc['continuing']}, つなぎ {fc['handed_over']}, 未決 {fc['undecided']}",
        f"新規 {report['caseload']['new']}, 繰越 {report['caseload']['carried_over']}, "
        f"再開 {report['caseload']['reopened']}",
        f"プラン作成 {report['plans']['made']}, リプラン {report['plans']['replans']}, "
        f"モニタリング {report['plans']['monitoring']}",
        "",
        "相談支援機関等との連絡調整 (表1)",
    ]
    c = report["contacts"]
    for sector in c["sectors"]:
        lines.append(f"  {sector['ja']}")
        for row in c["rows"]:
            if row["sector"] == sector["sector"] and row["count"]:
                lines.append(f"    {row['ja']:<24}{row['count']:>6}")
        lines.append(f"    {'計':<24}{sector['count']:>6}")
    lines.append(f"  {'合計':<26}{c['total']:>6}")
    cm = report["case_meetings"]
    lines += ["", f"ケース会議 {cm['total']} 回"]
    for role, n in cm["by_convener"]:
        lines.append(f"  {role:<28}{n:>4}")
    lines += ["", "ネットワーク会議"]
    for m in report["network_meetings"]:
        lines.append(f"  第{m['number']}回 {m['date']} {m['meeting_type']}")
    return "\n".join(lines) + "\n"


def _report(args: argparse.Namespace) -> int:
    settings = json.loads(pathlib.Path(args.settings).read_text()) if args.settings else None
    report = annual_report(pathlib.Path(args.journal), args.fiscal_year, settings)
    data = report.to_dict()
    if args.format == "json":
        sys.stdout.write(report.to_json(indent=2) + "\n")
    elif args.format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["section", "code", "label", "value"])
        w.writerows(_rows(data))
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(_terminal(data))
    return 0


def _problem_line(p: dict[str, Any]) -> str:
    where = p["path"] + (f" (line {p['line']})" if p.get("line") is not None else "")
    rule = f" rule {p['rule']}" if p.get("rule") else ""
    related = f" (related: {p['related_rule']})" if p.get("related_rule") else ""
    source = " [builtin]" if p.get("source") == "builtin" else ""
    return f"{p['code']}{rule} at {where}{source}: {p['message']}{related}"


def _rules_check(args: argparse.Namespace) -> int:
    path = pathlib.Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    problems = rule_problems(path, builtin=not args.standalone)
    if getattr(args, "format", "text") == "json":
        sys.stdout.write(json.dumps({"file": str(path), "problems": problems}, ensure_ascii=False, indent=2) + "\n")
    elif problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  {_problem_line(p)}", file=sys.stderr)
    else:
        rules = RuleSet.load(path, builtin=not args.standalone)
        base = "standalone" if args.standalone else "on top of the built-in rules"
        print(f"ok: {path} is a valid rule document ({len(rules)} rules in force, {base})")
    return 1 if problems else 0


def _rules_show(args: argparse.Namespace) -> int:
    if args.file:
        rules = RuleSet.load(pathlib.Path(args.file), builtin=not args.standalone)
    else:
        rules = RuleSet.empty() if args.standalone else RuleSet.builtin()
    sys.stdout.write(rules.to_json(indent=2) + "\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    if args.kind == "rules":
        return _rules_check(args)
    text = pathlib.Path(args.file).read_text(encoding="utf-8")
    tax = validate_taxonomy(text)
    print(f"ok: {args.file} is a valid taxonomy extension ({tax.issue_count} issues, {tax.agency_kind_count} agency kinds in force)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tsunagu", description="tsunagu everyday jobs")
    sub = p.add_subparsers(dest="job", required=True)
    r = sub.add_parser("report", help="annual report (実績報告) of a journal for a fiscal year")
    r.add_argument("journal", help="journal as JSON Lines (one event per line)")
    r.add_argument("--fiscal-year", "-y", required=True, help="2020, 令和2年度, R2 …")
    r.add_argument("--format", "-f", choices=["terminal", "csv", "json"], default="terminal")
    r.add_argument("--settings", help="report settings JSON (age bands, network meeting types)")
    r.set_defaults(run=_report)
    v = sub.add_parser("validate", help="validate a taxonomy or routing rule document")
    v.add_argument("kind", choices=["taxonomy", "rules"])
    v.add_argument("file")
    v.add_argument("--standalone", action="store_true", help="rules: check without the built-in rules")
    v.set_defaults(run=_validate)
    rules = sub.add_parser("rules", help="routing rule documents (振り分けルール)")
    rsub = rules.add_subparsers(dest="rules_job", required=True)
    rc = rsub.add_parser("check", help="print every problem of a rule document (exit 1 if any)")
    rc.add_argument("file", help="rule document, TOML or JSON")
    rc.add_argument("--standalone", action="store_true", help="check without the built-in rules")
    rc.add_argument("--format", "-f", choices=["text", "json"], default="text")
    rc.set_defaults(run=_rules_check)
    rs = rsub.add_parser("show", help="the rule set in force as one JSON document")
    rs.add_argument("file", nargs="?", help="rule document to apply")
    rs.add_argument("--standalone", action="store_true", help="without the built-in rules")
    rs.set_defaults(run=_rules_show)
    args = p.parse_args(argv)
    if hasattr(args, "fiscal_year"):
        fy = args.fiscal_year
        args.fiscal_year = int(fy) if fy.isdigit() else fy
    try:
        return int(args.run(args))
    except TsunaguError as e:
        print(f"error {e.code} at {e.path}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
