"""``summarizer eval``: run and score the gold set, compare runs, gate against a baseline.

Exit codes of a run: 0 all good; 1 articles failed (extraction errors; not with
``--allow-errors``); 4 the gate failed (a headline metric dropped significantly); 5 both
(1 + 4). Bad input, configuration and other errors keep their usual codes (2, 3, 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from summarizer.cli._common import (
    BaseUrlOpt,
    CacheOpt,
    LocalOpt,
    ModelOpt,
    ModeOpt,
    errors,
    make_settings,
    output_dir_option,
    output_option,
)
from summarizer.errors import InputError

if TYPE_CHECKING:
    from summarizer.evaluation.runner import EvalRun

EXIT_ARTICLES_FAILED = 1
EXIT_GATE_FAILED = 4  # both at once: 5 (the two added)


@contextmanager
def _writing() -> Iterator[None]:
    """An output file that cannot be written is bad input: one line, exit 2."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot write {exc.filename or 'output'}: {exc.strerror or exc}") from None


def _paired(before: EvalRun, run: EvalRun, path: Path) -> EvalRun:
    """The baseline's scores of the run's articles (``--only`` runs a part of the gold set)."""
    from summarizer.evaluation.runner import EvalRun

    names = {r.article for r in run.results}
    kept = [r for r in before.results if r.article in names]
    missing = sorted(names - {r.article for r in kept})
    if missing:
        raise InputError(
            f"{path}: the baseline has no scores for {len(missing)} article(s) of this run, "
            f"first: {missing[0]} (write one with --update-baseline)"
        )
    return EvalRun(kept, before.provenance, before.n_boot)


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
    language: Annotated[
        Optional[str],
        typer.Option(
            "--language", help="Only articles in this language (gold 'language'); '!en': all but English."
        ),
    ] = None,
    out: Annotated[Path, output_dir_option("--out", help="Directory for results.json and report.md.")] = Path(
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
        bool,
        typer.Option("--allow-errors", help="Failed articles do not fail the run (the gate still does)."),
    ] = False,
    html: Annotated[
        Optional[Path], output_option("--html", help="Also write an HTML report here.", stdout=False)
    ] = None,
    junit: Annotated[
        Optional[Path],
        typer.Option("--junit", help="Also write JUnit XML here: a case per article and per gated metric."),
    ] = None,
    oracle: Annotated[
        bool,
        typer.Option(
            "--oracle",
            help="Answers built from the gold files replace the model: what our own code loses.",
        ),
    ] = False,
    min_f1: Annotated[
        Optional[float],
        typer.Option("--min-f1", min=0, max=1, help="Fail (exit 4) when a strict object F1 is under this."),
    ] = None,
    events: Annotated[
        bool,
        typer.Option(
            "--events", help="Also resolve the records into events and score them against gold events."
        ),
    ] = False,
    events_min_precision: Annotated[
        float,
        typer.Option(
            "--events-min-precision",
            min=0,
            max=1,
            help="With --events: fail (exit 4) when B-cubed precision is under this.",
        ),
    ] = 0.9,
) -> None:
    """Extract every gold article, score it, write results.json and report.md.

    Exit 1 when articles failed, 4 when the gate failed, 5 when both did.
    """
    if ctx.invoked_subcommand is not None:
        return
    from summarizer.evaluation.report import github_annotations, markdown_report, print_report
    from summarizer.evaluation.runner import gate, load_results, run_eval
    from summarizer.pipeline import Summarizer
    from summarizer.settings import github_actions

    annotate, step_summary = github_actions()
    with errors():
        settings = make_settings(
            model=model, base_url=base_url, mode=mode, cache=cache, cache_path=cache_path, local_model=local
        )
        factory = _oracle(settings, gold, articles) if oracle else (lambda: Summarizer(settings))
        result = run_eval(
            gold,
            factory,
            articles,
            concurrency=concurrency,
            progress=progress,
            limit=only,
            language=language,
        )
        print_report(result)
        with _writing():
            result.save(out / "results.json")
            if html is not None:
                from summarizer.evaluation.gold import load_gold_dir
                from summarizer.evaluation.html_report import eval_html

                html.write_text(eval_html(result, load_gold_dir(gold, articles)), encoding="utf-8")
        failures = before = None
        if baseline is not None and not update_baseline:
            before = _paired(load_results(baseline), result, baseline)
            failures = gate(result, before, max_drop)
        if min_f1 is not None:
            floor = [
                f"{key}: {value:.3f} under the floor {min_f1:.2f}"
                for key, value in result.headline().items()
                if key.endswith(".object.f1") and value < min_f1
            ]
            failures = [*(failures or []), *floor]
        if events:
            failures = _events(result, gold, articles, out, events_min_precision, failures)
        with _writing():
            report = markdown_report(result, failures)
            (out / "report.md").write_text(report, encoding="utf-8")
            if step_summary is not None:
                with open(step_summary, "a", encoding="utf-8") as fh:
                    fh.write(report)
            if junit is not None:
                from summarizer.evaluation.junit import junit_xml

                junit.parent.mkdir(parents=True, exist_ok=True)
                xml = junit_xml(result, before, failures or [], max_drop=max_drop)
                junit.write_text(xml, encoding="utf-8")
            if update_baseline:
                target = baseline or Path("evals/baseline.json")
                result.save(target)
                typer.echo(f"baseline written: {target}")
    typer.echo(f"results: {out / 'results.json'} · report: {out / 'report.md'}")
    if annotate:
        for line in github_annotations(
            result, failures, article_level="warning" if allow_errors else "error"
        ):
            typer.echo(line)
    code = 0
    failed = [r for r in result.results if r.error]
    if failed and not allow_errors:
        typer.echo(
            f"error: {len(failed)} article(s) failed, first: {failed[0].article}: {failed[0].error}", err=True
        )
        code += EXIT_ARTICLES_FAILED
    if failures:
        for line in failures:
            typer.echo(f"regression: {line}", err=True)
        typer.echo(
            f"error: {len(failures)} gate check(s) failed (a headline metric dropped beyond {max_drop}, "
            "or a floor: --min-f1, --events-min-precision)",
            err=True,
        )
        code += EXIT_GATE_FAILED
    elif failures is not None:
        typer.echo(f"gate: no headline metric dropped beyond {max_drop} with significance")
    if code:
        raise typer.Exit(code)


def _events(
    result: Any,
    gold: Path,
    articles: Path | None,
    out: Path,
    min_precision: float,
    failures: list[str] | None,
) -> list[str] | None:
    """Score event resolution (``--events``), print it, write events.json and events.jsonl."""
    import json

    from summarizer.evaluation.events_score import score_events
    from summarizer.evaluation.gold import load_gold_dir
    from summarizer.events import write_events

    golds = load_gold_dir(gold, articles)
    predictions = {r.article: r.prediction for r in result.results if r.prediction is not None}
    alignments = {r.article: r.score.alignments for r in result.results}
    scored = score_events(predictions, alignments, golds)
    with _writing():
        (out / "events.json").write_text(json.dumps(scored.to_dict(), indent=1) + "\n", encoding="utf-8")
        write_events(scored.events, out / "events.jsonl")
    if not scored.metrics:
        typer.echo("events: no matched record has a gold event")
        return failures
    m, ci = scored.metrics, scored.ci
    typer.echo(
        f"events: {scored.records} matched record(s), {scored.gold_events} gold event(s), "
        f"{scored.predicted_events} found · B-cubed P {m['bcubed.precision']:.3f} "
        f"[{ci['bcubed.precision'][0]:.2f}, {ci['bcubed.precision'][1]:.2f}] R {m['bcubed.recall']:.3f} "
        f"F1 {m['bcubed.f1']:.3f} · pairwise P {m['pairwise.precision']:.3f} R {m['pairwise.recall']:.3f} "
        f"F1 {m['pairwise.f1']:.3f} · {scored.gold_events - len(scored.splits)} of {scored.gold_events} "
        "gold events found as one event"
    )
    if m["bcubed.precision"] < min_precision:
        return [
            *(failures or []),
            f"events.bcubed.precision: {m['bcubed.precision']:.3f} under {min_precision:.2f}",
        ]
    return failures


def _oracle(settings: Any, gold: Path, articles: Path | None) -> Any:
    """An extractor factory whose model answers come from the gold files."""
    from summarizer.articles.documents import load_document
    from summarizer.evaluation.gold import load_gold_dir
    from summarizer.evaluation.oracle import OracleModel
    from summarizer.pipeline import Summarizer

    folder = articles or gold.parent / "articles"
    golds = load_gold_dir(gold, folder)
    by_text = {load_document(folder / name).text: g for name, g in golds.items()}
    settings = settings.model_copy(
        update={"local_model": None, "base_url": "http://127.0.0.1:9/v1", "cache": "off", "model": "oracle"}
    )

    def make() -> Any:
        summarizer = Summarizer(settings)
        summarizer.llm = OracleModel(by_text)  # type: ignore[assignment]
        return summarizer

    return make


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
