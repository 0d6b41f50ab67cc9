"""``summarizer eval``: run and score the gold set, compare runs, gate against a baseline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from summarizer.cli._common import (
    BaseUrlOpt,
    CacheOpt,
    LocalOpt,
    ModelOpt,
    ModeOpt,
    errors,
    fail,
    make_settings,
)

eval_app = typer.Typer(help="Evaluate extraction against hand-labelled gold files.")


@eval_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Option("--gold", help="Gold directory.")] = Path("evals/gold"),
    articles: Annotated[Optional[Path], typer.Option("--articles", help="Articles directory.")] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    local: LocalOpt = None,
    cache: CacheOpt = None,
    cache_path: Annotated[Optional[Path], typer.Option("--cache-path")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1)] = 1,
    only: Annotated[Optional[list[str]], typer.Option("--only", help="Article name prefixes.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for results.json and report.md.")] = Path(
        "results"
    ),
    baseline: Annotated[
        Optional[Path], typer.Option("--baseline", help="Gate against this results file.")
    ] = None,
    max_drop: Annotated[float, typer.Option("--max-drop")] = 0.02,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write the run as the baseline.")
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    allow_errors: Annotated[
        bool, typer.Option("--allow-errors", help="Exit 0 even if articles failed.")
    ] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write an HTML report here.")] = None,
) -> None:
    """Extract every gold article, score it, write results.json and report.md."""
    if ctx.invoked_subcommand is not None:
        return
    from summarizer.evaluation.report import markdown_report, print_report
    from summarizer.evaluation.runner import gate, load_results, run_eval
    from summarizer.pipeline import Summarizer

    with errors():
        settings = make_settings(
            model=model, base_url=base_url, mode=mode, cache=cache, cache_path=cache_path, local_model=local
        )
        result = run_eval(
            gold,
            lambda: Summarizer(settings),
            articles,
            concurrency=concurrency,
            progress=progress,
            limit=only,
        )
        print_report(result)
        result.save(out / "results.json")
        if html is not None:
            from summarizer.evaluation.gold import load_gold_dir
            from summarizer.evaluation.html_report import eval_html

            html.write_text(eval_html(result, load_gold_dir(gold, articles)), encoding="utf-8")
        failures = None
        if baseline is not None and not update_baseline:
            failures = gate(result, load_results(baseline), max_drop)
        report = markdown_report(result, failures)
        (out / "report.md").write_text(report, encoding="utf-8")
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(report)
        if update_baseline:
            target = baseline or Path("evals/baseline.json")
            result.save(target)
            typer.echo(f"baseline written: {target}")
    typer.echo(f"results: {out / 'results.json'} · report: {out / 'report.md'}")
    failed = [r for r in result.results if r.error]
    if failed and not allow_errors:
        raise fail(f"{len(failed)} article(s) failed, first: {failed[0].article}: {failed[0].error}", 1)
    if failures:
        for line in failures:
            typer.echo(f"regression: {line}", err=True)
        raise fail(f"{len(failures)} headline metric(s) dropped beyond {max_drop}", 1)
    if failures is not None:
        typer.echo(f"gate: no headline metric dropped beyond {max_drop} with significance")


@eval_app.command("compare")
def compare_cmd(
    a: Annotated[Path, typer.Argument(help="Results file A (before).")],
    b: Annotated[Path, typer.Argument(help="Results file B (after).")],
) -> None:
    """Per-metric deltas B − A with paired-bootstrap CIs, and the articles that changed most."""
    from summarizer.evaluation.metrics import compare
    from summarizer.evaluation.report import comparison_markdown
    from summarizer.evaluation.runner import load_results

    with errors():
        run_a, run_b = load_results(a), load_results(b)
        try:
            deltas = compare(run_a.scores, run_b.scores)
        except ValueError as exc:
            from summarizer.errors import SummarizerError

            raise SummarizerError(str(exc)) from None
    typer.echo(comparison_markdown(run_a, run_b, deltas))
