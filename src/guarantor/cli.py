"""The ``guarantor`` command: thin commands that call one service each and format results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from guarantor import services
from guarantor.config import Settings
from guarantor.i18n import N_, gettext
from guarantor.model.diagnostics import Diagnostic, InvalidInput, Severity
from guarantor.report.messages import describe, describe_all
from guarantor.report.tables import (
    REVISION_STATUS,
    TABLES,
    Labels,
    assessment_csv,
    assessment_json,
    assessment_renderables,
    history_table,
)
from guarantor.store import StoreError

app = typer.Typer(
    help="Build and stress-test multinational security guarantees.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
questionnaire_app = typer.Typer(
    help="Show the questionnaire, its JSON Schema or an answer template.", no_args_is_help=True
)
app.add_typer(questionnaire_app, name="questionnaire")
user_app = typer.Typer(help="Manage the portal's users.", no_args_is_help=True)
app.add_typer(user_app, name="user")
token_app = typer.Typer(help="API tokens for scripted clients.", no_args_is_help=True)
app.add_typer(token_app, name="token")


class Lang(StrEnum):
    """Output language."""

    en = "en"
    ar = "ar"


class Format(StrEnum):
    """Output format of ``assess``."""

    table = "table"
    json = "json"
    csv = "csv"


def _console(err: bool = False) -> Console:
    # Tables are wide: give them room when writing to a file or a pipe.
    return Console(stderr=err, width=None if sys.stdout.isatty() else 160, soft_wrap=False)


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _fail(lines: list[str], title: str, code: int) -> NoReturn:
    console = _console(err=True)
    console.print(f"[bold red]{title}[/]", highlight=False)
    for line in lines:
        console.print(f"  - {line}", highlight=False, markup=False)
    raise typer.Exit(code)


@contextmanager
def _errors(settings: Settings) -> Iterator[None]:
    """Turn the project's own errors into messages and exit codes, never tracebacks."""
    lang = settings.lang
    try:
        yield
    except InvalidInput as exc:
        _fail(
            [describe(d, lang) for d in exc.diagnostics],
            gettext(lang, N_("Invalid input; nothing was stored:")),
            2,
        )
    except StoreError as exc:
        _fail(
            [describe(Diagnostic(code=exc.code, params=exc.params), lang)],
            gettext(lang, N_("Storage error:")),
            1,
        )
    except OSError as exc:
        _fail(
            [describe(Diagnostic(code="file.unreadable", params={"problem": str(exc)}), lang)],
            gettext(lang, N_("Cannot read the file:")),
            2,
        )


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: a SQLite file in the "
            "user data folder, or GUARANTOR_DB_URL)."
        ),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help="Shipped scenario name or YAML path.")
    ] = None,
    lang: Annotated[Lang | None, typer.Option(help="Output language.")] = None,
) -> None:
    """Guarantor: questionnaires, submissions and force-package assessment."""
    overrides: dict[str, Any] = {}
    if db:
        overrides["db_url"] = db
    if scenario:
        overrides["scenario"] = scenario
    if lang:
        overrides["lang"] = lang.value
    ctx.obj = Settings(**overrides)


LangOption = Annotated[Lang | None, typer.Option("--lang", help="Output language (en or ar).")]


def _lang(settings: Settings, lang: Lang | None) -> Settings:
    return settings.model_copy(update={"lang": lang.value}) if lang else settings


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=_console(err=True),
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def report(task: str, done: int, total: int) -> None:
            if task not in tasks:
                tasks[task] = bar.add_task(task, total=total)
            bar.update(tasks[task], completed=done)

        yield report


@app.command()
def assess(
    ctx: typer.Context,
    requirement: Annotated[
        str | None,
        typer.Option(
            help="Requirement template (reassurance, deterrence, monitoring) or a YAML file."
        ),
    ] = None,
    assume: Annotated[
        list[str] | None,
        typer.Option(help="Override an assumption, e.g. us_backstop=false (repeatable)."),
    ] = None,
    rotation_ratio: Annotated[
        float | None,
        typer.Option(min=1.0, max=10.0, help="Rotation ratio (default: the requirement's)."),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="table, json or csv.")
    ] = Format.table,
    table: Annotated[
        str, typer.Option(help=f"Table for --format csv: {', '.join(TABLES)}.")
    ] = "coverage",
    plot: Annotated[
        Path | None, typer.Option(help="Write coverage and readiness charts (PNG/SVG/PDF).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Assess the round's force package against a requirement."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        if table not in TABLES:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="value.not_in_choices",
                        path=("table",),
                        params={"value": table, "choices": list(TABLES)},
                    )
                ]
            )
        request = services.AssessRequest(
            requirement=requirement,
            assume=services.rounds.parse_assumptions(assume or []),
            rotation_ratio=rotation_ratio,
        )
        with _progress(output_format is Format.table) as progress:
            result = services.assess_round(settings, request, progress)
        context = result.context
        labels = Labels(
            settings.lang,
            context.reference,
            result.requirement,
            context.questionnaire,
            context.scenario,
        )
        if output_format is Format.json:
            extra = {
                "run": result.run.__dict__,
                "scenario": context.scenario.id,
                "round": context.scenario.round.id,
            }
            typer.echo(assessment_json(result.assessment, extra))
        elif output_format is Format.csv:
            typer.echo(assessment_csv(result.assessment, labels, table), nl=False)
        else:
            console = _console()
            console.print(
                assessment_renderables(
                    result.assessment, result.requirement, labels, context.scenario
                )
            )
            console.print(
                f"[dim]guarantor {result.run.code_version} · inputs "
                f"{result.run.inputs_hash[:12]} · {result.run.created_at}[/]"
            )
        if plot is not None:
            from guarantor.report.plots import write_coverage_plot

            written = write_coverage_plot(result.assessment, labels, plot)
            typer.echo(
                gettext(settings.lang, N_("Charts written to {path}")).format(path=written),
                err=True,
            )


@app.command()
def submit(
    ctx: typer.Context,
    answers: Annotated[Path, typer.Argument(help="Answer file (YAML or JSON).")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 code of the capital answering.")],
    draft: Annotated[
        bool, typer.Option("--draft", help="Save as a draft (may be incomplete).")
    ] = False,
    author: Annotated[
        str | None, typer.Option("--as", help="Who is saving (default: the OS user).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Validate a capital's answers and store them as a new revision."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        raw = _read_bounded(answers, settings.max_upload_bytes)
        revision = services.submit(
            settings, raw, answers.name, country=country.upper(), draft=draft, author=author
        )
        message = N_(
            "Stored revision {number} of {country} ({status}), hash {hash}; {n} field(s) changed."
        )
        typer.echo(
            gettext(settings.lang, message).format(
                number=revision.number,
                country=revision.country,
                status=gettext(settings.lang, REVISION_STATUS[revision.status]),
                hash=revision.content_hash[:12],
                n=len(revision.changed),
            )
        )


def _read_bounded(path: Path, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so a huge file is refused without loading it."""
    with path.open("rb") as handle:
        return handle.read(limit + 1)


@app.command()
def history(
    ctx: typer.Context,
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 code.")],
    lang: LangOption = None,
) -> None:
    """List the revisions of a capital's answers: who, when, content hash, what changed."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        revisions = services.history(settings, country.upper())
        context = services.questionnaire_context(settings)
        labels = Labels(settings.lang, context.reference, questionnaire=context.questionnaire)
        _console().print(history_table(revisions, labels, country.upper()))


@app.command()
def show(
    ctx: typer.Context,
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 code.")],
    revision: Annotated[
        int | None, typer.Option(min=1, help="Revision number (default: latest).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="yaml or json.")] = "yaml",
    lang: LangOption = None,
) -> None:
    """Print one revision of a capital's answers (any past one with --revision)."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        found = services.show_revision(settings, country.upper(), revision)
        document = {
            "revision": found.number,
            "status": found.status,
            "author": found.author,
            "saved_at": found.created_at.isoformat(),
            "content_hash": found.content_hash,
            "questionnaire": found.submission.questionnaire,
            "version": found.submission.version,
            "country": found.country,
            "answers": dict(found.submission.answers),
        }
        if output_format == "json":
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            typer.echo(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), nl=False)


@questionnaire_app.command("show")
def questionnaire_show(ctx: typer.Context, lang: LangOption = None) -> None:
    """The questionnaire as Markdown."""
    from guarantor.report.questionnaire_docs import to_markdown

    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        context = services.questionnaire_context(settings)
        typer.echo(
            to_markdown(
                context.questionnaire, context.reference, "ar" if settings.lang == "ar" else "en"
            ),
            nl=False,
        )


@questionnaire_app.command("schema")
def questionnaire_schema(
    ctx: typer.Context,
    draft: Annotated[
        bool, typer.Option("--draft", help="The schema drafts are checked against.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """The JSON Schema of an answer file."""
    from guarantor.questionnaire import json_schema

    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        context = services.questionnaire_context(settings)
        schema = json_schema(
            context.questionnaire,
            context.reference,
            draft=draft,
            lang="ar" if settings.lang == "ar" else "en",
        )
        typer.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@questionnaire_app.command("template")
def questionnaire_template(
    ctx: typer.Context,
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3 code of the capital.")],
    blank: Annotated[
        bool, typer.Option("--blank", help="Do not pre-fill from the latest revision.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """A YAML answer file for one capital, pre-filled with its latest revision."""
    from guarantor.report.questionnaire_docs import answer_template

    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        code = country.upper()
        context = services.questionnaire_context(settings)
        answers = None if blank else services.rounds.latest_answers(settings, code)
        typer.echo(
            answer_template(
                context.questionnaire,
                context.reference,
                code,
                lang="ar" if settings.lang == "ar" else "en",
                answers=answers,
            ),
            nl=False,
        )


@app.command()
def check(ctx: typer.Context, lang: LangOption = None) -> None:
    """Check the scenario and reference data: every figure cited or flagged an assumption."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        found = services.rounds.check_data(settings)
        problems = [d for d in found if d.severity is Severity.ERROR]
        for d in found:
            typer.echo(f"{d.severity.value}: {describe(d, settings.lang)}")
        if problems:
            raise typer.Exit(1)
        typer.echo(gettext(settings.lang, N_("All checks passed.")))


@app.command()
def requirements(ctx: typer.Context, lang: LangOption = None) -> None:
    """List the shipped requirement templates."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        for name, label in services.rounds.requirement_names(settings.lang):
            typer.echo(f"{name}\t{label}")


class RoleOption(StrEnum):
    """A user's role."""

    coordinator = "coordinator"
    capital = "capital"
    analyst = "analyst"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Start the web portal on the scenario (creates demo logins on an empty database)."""
    settings = _settings(ctx)
    if host:
        settings = settings.model_copy(update={"host": host})
    if port:
        settings = settings.model_copy(update={"port": port})
    with _errors(settings):
        import uvicorn

        from guarantor.services.admin import ensure_demo_users
        from guarantor.services.portal import Portal
        from guarantor.web import create_app

        portal = Portal(settings)
        logins = ensure_demo_users(portal) if settings.demo_users else []
        t = settings.lang
        typer.echo(
            gettext(t, N_("Guarantor portal: http://{host}:{port}/")).format(
                host=settings.host, port=settings.port
            )
        )
        if logins:
            typer.echo(gettext(t, N_("Demo logins (username, password, role):")))
            for username, password, role in logins:
                typer.echo(f"  {username:<12} {password:<20} {role}")
        typer.echo(gettext(t, N_("Database: {url}")).format(url=settings.db_url), err=True)
        uvicorn.run(
            create_app(settings, portal),
            host=settings.host,
            port=settings.port,
            log_level="warning",
            proxy_headers=False,  # the client address is the peer's: no X-Forwarded-For games
        )


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[RoleOption, typer.Option(help="coordinator, capital or analyst.")],
    country: Annotated[str | None, typer.Option(help="Country of a capital (ISO alpha-3).")] = None,
    password: Annotated[str | None, typer.Option(help="Password (default: generated).")] = None,
) -> None:
    """Add a user."""
    settings = _settings(ctx)
    with _errors(settings):
        from guarantor.services import admin
        from guarantor.services.portal import Portal

        with Portal(settings) as portal:
            user, secret = admin.add_user(
                portal, username, password, role.value, country.upper() if country else None
            )
        typer.echo(f"{user.username}\t{user.role}\t{user.country or ''}\t{secret}")


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """List users."""
    settings = _settings(ctx)
    with _errors(settings):
        from guarantor.services.portal import Portal

        with Portal(settings) as portal:
            for user in portal.accounts.users():
                state = "disabled" if user.disabled else "active"
                typer.echo(f"{user.username}\t{user.role}\t{user.country or '-'}\t{state}")


@user_app.command("disable")
def user_disable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name.")],
    enable: Annotated[bool, typer.Option("--enable", help="Re-enable instead.")] = False,
) -> None:
    """Disable a user (or re-enable with --enable). Users are never deleted."""
    settings = _settings(ctx)
    with _errors(settings):
        from guarantor.services import admin
        from guarantor.services.portal import Portal

        with Portal(settings) as portal:
            user = admin.set_disabled(portal, username, not enable)
        typer.echo(f"{user.username}\t{'disabled' if user.disabled else 'active'}")


@app.command()
def invite(
    ctx: typer.Context,
    country: Annotated[str, typer.Option(help="Capital to invite (ISO alpha-3).")],
    round_id: Annotated[
        str | None, typer.Option("--round", help="Round (default: the scenario's).")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=90, help="Days the link stays valid.")] = 14,
) -> None:
    """Create a one-time invitation link for a capital."""
    settings = _settings(ctx)
    with _errors(settings):
        from guarantor.services import admin
        from guarantor.services.portal import Portal

        with Portal(settings) as portal:
            path, expires = admin.invite(portal, country.upper(), round_id, days)
        typer.echo(f"http://{settings.host}:{settings.port}{path}\t{expires}")


@token_app.command("add")
def token_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Whose token.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "script",
) -> None:
    """Create an API token (printed once; only its hash is stored)."""
    settings = _settings(ctx)
    with _errors(settings):
        from guarantor.services import admin
        from guarantor.services.portal import Portal

        with Portal(settings) as portal:
            typer.echo(admin.create_token(portal, username, label))


@app.command()
def stress(
    ctx: typer.Context,
    instrument: Annotated[
        str,
        typer.Option(
            help="Instrument (article5-like, bilateral-pledges, "
            "budapest-like, istanbul-2022, "
            "reassurance-tripwire) or a YAML file."
        ),
    ] = "article5-like",
    threat: Annotated[str, typer.Option(help="Threat name or YAML file.")] = "ukraine-2025",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (recorded with the result).")] = 20250815,
    shapley_draws: Annotated[
        int, typer.Option(help="Draws each coalition is valued on for the Shapley contributions.")
    ] = 500,
    assume: Annotated[
        list[str] | None, typer.Option(help="Override an assumption, e.g. us_backstop=false.")
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="table or json.")
    ] = Format.table,
    plot: Annotated[Path | None, typer.Option(help="Write the Shapley and outcome chart.")] = None,
    backend: Annotated[
        str,
        typer.Option(
            help="auto (numba where installed), numba, numpy, or jax (the 'gpu' extra: "
            "runs the battles on a GPU when JAX has one).",
        ),
    ] = "auto",
    tornado: Annotated[
        Path | None,
        typer.Option(help="Also run the sensitivity analysis and write its tornado chart here."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Stress-test the round's package: would the guarantee hold, and who makes it hold."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from dataclasses import asdict

        from guarantor.report.stress import stress_dict, stress_plot, stress_renderables
        from guarantor.services.stress import StressRequest, run_stress

        if output_format is Format.csv:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="value.not_in_choices",
                        path=("format",),
                        params={"value": "csv", "choices": ["table", "json"]},
                    )
                ]
            )
        request = StressRequest(
            instrument=instrument,
            threat=threat,
            draws=draws,
            seed=seed,
            shapley_draws=shapley_draws,
            backend=backend,
            assume=services.rounds.parse_assumptions(assume or []),
        )
        with _console(err=True).status(gettext(settings.lang, N_("Running the stress test…"))):
            done = run_stress(settings, request)
        context = services.questionnaire_context(settings)
        labels = Labels(settings.lang, context.reference, questionnaire=context.questionnaire)
        if output_format is Format.json:
            typer.echo(
                json.dumps(
                    stress_dict(done.result, {"run": asdict(done.run)}),
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            console = _console()
            console.print(
                stress_renderables(
                    done.result,
                    done.instrument.label.get(settings.lang),
                    done.threat.label.get(settings.lang),
                    labels,
                )
            )
            console.print(
                f"[dim]guarantor {done.run.code_version} · seed {done.run.seed} · "
                f"inputs {done.run.inputs_hash[:12]}[/]"
            )
        if plot is not None:
            stress_plot(done.result, labels, plot)
            typer.echo(
                gettext(settings.lang, N_("Charts written to {path}")).format(path=plot), err=True
            )
        if tornado is not None:
            from guarantor.report.stress import tornado_plot, tornado_rows
            from guarantor.services.stress import run_tornado

            base, swings = run_tornado(settings, request)
            if output_format is Format.table:
                _console().print(tornado_rows(base, swings, labels))
            tornado_plot(base, swings, labels, tornado)
            typer.echo(
                gettext(settings.lang, N_("Charts written to {path}")).format(path=tornado),
                err=True,
            )


@app.command()
def sweep(
    ctx: typer.Context,
    instrument: Annotated[
        list[str] | None, typer.Option(help="Instrument (repeatable; default: all shipped).")
    ] = None,
    vary: Annotated[
        list[str] | None, typer.Option(help="Assumption to run both true and false (repeatable).")
    ] = None,
    threat: Annotated[str, typer.Option(help="Threat name or YAML file.")] = "ukraine-2025",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per cell.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (the same for every cell).")] = 20250815,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Local processes.")] = 2,
    ray: Annotated[bool, typer.Option("--ray", help="Run on a Ray cluster (extra 'ray').")] = False,
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster address (default: start a local one).")
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="table or json.")
    ] = Format.table,
    lang: LangOption = None,
) -> None:
    """Stress-test a grid of instruments and assumptions; results are stored and reused."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.services.sweep import SweepRequest, run_sweep

        request = SweepRequest(
            instruments=tuple(instrument or ()),
            threat=threat,
            vary=tuple(vary if vary is not None else ["us_backstop"]),
            draws=draws,
            seed=seed,
            workers=workers,
            ray=ray,
            ray_address=ray_address,
        )
        with _progress(True) as progress:
            rows = run_sweep(settings, request, progress)
        if output_format is Format.json:
            typer.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
            return
        context = services.questionnaire_context(settings)
        labels = Labels(
            settings.lang,
            context.reference,
            questionnaire=context.questionnaire,
            scenario=context.scenario,
        )
        from guarantor.report.stress import sweep_table

        _console().print(sweep_table(rows, labels))


ScenarioArgument = Annotated[
    str | None,
    typer.Argument(help="Scenario name or YAML file (default: the configured scenario)."),
]


RelaxWhatIf = Annotated[
    list[str] | None, typer.Option(help="What-if, as for negotiate: PARTY.RED_LINE.")
]
ForbidWhatIf = Annotated[
    list[str] | None, typer.Option(help="What-if, as for negotiate: PARTY.ISSUE=OPTION.")
]


@app.command()
def negotiate(
    ctx: typer.Context,
    scenario: ScenarioArgument = None,
    relax: Annotated[
        list[str] | None,
        typer.Option(help="Drop a red line: PARTY.RED_LINE, e.g. RUS.nato_membership."),
    ] = None,
    forbid: Annotated[
        list[str] | None,
        typer.Option(help="Add a red line: PARTY.ISSUE=OPTION[,OPTION]."),
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option(help="Set a weight: PARTY.ISSUE=NUMBER.")
    ] = None,
    reservation: Annotated[
        list[str] | None, typer.Option(help="Set a reservation value (0-100): PARTY=NUMBER.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many ranked deals to show.")] = 10,
    samples: Annotated[
        int, typer.Option(help="Draws of the utility ranges for the robustness column.")
    ] = 1000,
    output_format: Annotated[
        Format, typer.Option("--format", help="table, json or csv.")
    ] = Format.table,
    lang: LangOption = None,
) -> None:
    """Which deals could every party accept, and which red lines block them all."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.report.negotiation import (
            negotiation_csv,
            negotiation_dict,
            negotiation_renderables,
        )
        from guarantor.services.negotiation import NegotiationRequest, run_negotiation

        request = NegotiationRequest(
            scenario=scenario,
            relax=tuple(relax or ()),
            forbid=tuple(forbid or ()),
            weight=tuple(weight or ()),
            reservation=tuple(reservation or ()),
            limit=limit,
            samples=samples,
        )
        with _console(err=True).status(gettext(settings.lang, N_("Searching the deals…"))):
            run = run_negotiation(settings, request)
        labels = Labels(settings.lang, services.questionnaire_context(settings).reference)
        if output_format is Format.json:
            typer.echo(
                json.dumps(
                    negotiation_dict(run.analysis, run.difference, labels),
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif output_format is Format.csv:
            typer.echo(negotiation_csv(run.analysis), nl=False)
        else:
            _console().print(negotiation_renderables(run.analysis, run.difference, labels))


DEFAULT_HOLD = 0.8
"""The threshold a what-if on ``--min-hold`` is compared with."""


@app.command()
def deals(
    ctx: typer.Context,
    scenario: ScenarioArgument = None,
    min_hold: Annotated[
        float, typer.Option(help="Least P(holds), 0-1, for a deal to count as enforceable.")
    ] = DEFAULT_HOLD,
    compare: Annotated[
        list[int] | None,
        typer.Option(help="Set up to four ranked deals side by side: --compare 1 --compare 2."),
    ] = None,
    relax: RelaxWhatIf = None,
    forbid: ForbidWhatIf = None,
    withdraw: Annotated[
        list[str] | None, typer.Option(help="What-if: take a capital's offers out (ISO code).")
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(help="What-if: add an offer, COUNTRY:CAPABILITY:UNITS[:ZONE[:DAYS]]."),
    ] = None,
    instrument: Annotated[
        str | None, typer.Option(help="What-if: every deal takes this guarantee form.")
    ] = None,
    posture: Annotated[
        str | None,
        typer.Option(help="What-if: every deal takes this posture (monitoring, ...)."),
    ] = None,
    assume: Annotated[
        list[str] | None, typer.Option(help="Override an assumption, e.g. us_backstop=false.")
    ] = None,
    draws: Annotated[int, typer.Option(help="Stress-test draws per distinct setting.")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed of every stress test.")] = 20250815,
    limit: Annotated[int, typer.Option(help="How many enforceable deals to show.")] = 10,
    workers: Annotated[
        int,
        typer.Option(help="Local processes for the sweep (more pay off on idle cores)."),
    ] = 1,
    ray: Annotated[bool, typer.Option("--ray", help="Run the sweep on a Ray cluster.")] = False,
    ray_address: Annotated[
        str | None, typer.Option(help="Address of the Ray cluster (default: local).")
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="table, json or csv.")
    ] = Format.table,
    lang: LangOption = None,
) -> None:
    """Which deals every party could accept that the offered forces could also hold."""
    settings = _lang(_settings(ctx), lang)
    if scenario:
        settings = settings.model_copy(update={"scenario": scenario})
    with _errors(settings):
        from guarantor.negotiate.whatif import parse_change
        from guarantor.report.deals import (
            compare_renderables,
            deals_csv,
            deals_dict,
            deals_renderables,
        )
        from guarantor.services.deals import (
            DealsRequest,
            compare_views,
            difference,
            find_deals,
        )

        changes = tuple(parse_change("relax", r) for r in relax or ()) + tuple(
            parse_change("forbid", f) for f in forbid or ()
        )
        request = DealsRequest(
            changes=changes,
            min_hold=min_hold,
            draws=draws,
            seed=seed,
            limit=max(limit, min(max(compare or [0]), 50)),
            workers=workers,
            ray=ray,
            ray_address=ray_address,
            withdraw=tuple(withdraw or ()),
            add=tuple(add or ()),
            instrument=instrument,
            posture=posture,
            assume=services.rounds.parse_assumptions(assume or []),
        )
        with _progress(output_format is Format.table) as progress:
            report = find_deals(settings, request, progress)
            what_if = bool(withdraw or add or instrument or posture or min_hold != DEFAULT_HOLD)
            base = (
                find_deals(
                    settings,
                    # The same search without the what-ifs whose effect is listed.
                    replace(
                        request,
                        min_hold=DEFAULT_HOLD,
                        limit=0,
                        withdraw=(),
                        add=(),
                        instrument=None,
                        posture=None,
                        fixes=False,
                    ),
                    progress,
                )
                if what_if
                else None
            )
        change = difference(base, report) if base is not None else None
        labels = Labels(settings.lang, services.questionnaire_context(settings).reference)
        views = compare_views(report, compare) if compare else None
        if output_format is Format.json:
            out = deals_dict(report, labels, change)
            if views is not None:
                out["compare"] = [int(r) for r in compare or []]
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        elif output_format is Format.csv:
            typer.echo(deals_csv(report, views), nl=False)
        elif views is not None:
            _console().print(compare_renderables(report, views, labels))
        else:
            _console().print(deals_renderables(report, labels, change))


@app.command(name="map")
def map_(
    ctx: typer.Context,
    scenario: ScenarioArgument = None,
    deal: Annotated[
        int | None,
        typer.Option(
            help="Colour by the terms of ranked deal N (see negotiate); default: control."
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="PNG or SVG file to write.")
    ] = Path("map.png"),
    relax: RelaxWhatIf = None,
    forbid: ForbidWhatIf = None,
    lang: LangOption = None,
) -> None:
    """Draw the regions, coloured by who controls them or by a deal's terms."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.services.negotiation import NegotiationRequest, map_figure

        request = NegotiationRequest(
            scenario=scenario, relax=tuple(relax or ()), forbid=tuple(forbid or ()), samples=0
        )
        figure = map_figure(settings, request, deal, settings.lang)
        from guarantor.report.maps import save

        written = save(figure, output)
        _console(err=True).print(
            gettext(settings.lang, N_("Map written to {path}")).format(path=written),
            highlight=False,
        )


evidence_app = typer.Typer(
    help="News documents: who said what, how well sourced, and what the scenario rests on.",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Text, HTML or JSON Lines files, or folders.")
    ],
    doc_lang: Annotated[
        str | None,
        typer.Option(
            "--doc-lang", help="Language of the documents (ar or en); detected when left out."
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet that published them.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document was read.")] = None,
    title: Annotated[str | None, typer.Option(help="The document's title.")] = None,
    skip_bad: Annotated[
        bool,
        typer.Option(help="Store the good lines of a JSON Lines file and report the bad ones."),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Store news documents (each once) and the attributions found in them."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.evidence.ingest import Meta
        from guarantor.services.evidence import add_documents

        meta = Meta(lang=doc_lang, outlet=outlet, date=date, url=url, title=title)
        with _progress(True) as progress:
            done = add_documents(settings, files, meta, skip_bad=skip_bad, progress=progress)
        console = _console(err=True)
        summary = N_("{added} documents added ({claims} attributions); {already} already stored.")
        console.print(
            gettext(settings.lang, summary).format(
                added=len(done.added), claims=done.claims, already=len(done.already)
            ),
            highlight=False,
        )
        for document in done.added:
            typer.echo(document)
        if done.skipped:
            console.print(gettext(settings.lang, N_("Skipped:")), highlight=False)
            for line in describe_all(done.skipped, settings.lang):
                console.print(f"  - {line}", highlight=False, markup=False)


@evidence_app.command("documents")
def evidence_documents(ctx: typer.Context, lang: LangOption = None) -> None:
    """List the stored documents."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.services.evidence import list_documents

        for stored in list_documents(settings):
            d = stored.document
            name = d.title or d.origin or ""
            typer.echo(f"{d.id[:12]}  {d.lang}  {d.date or '-'}  {d.outlet or '-'}  {name}")


@evidence_app.command("claims")
def evidence_claims(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="Document id (its first characters will do).")],
    output_format: Annotated[
        Format, typer.Option("--format", help="table, json or csv.")
    ] = Format.table,
    html_out: Annotated[
        Path | None,
        typer.Option("--html", help="Write the document with the attributions highlighted."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Every attribution in a document: who, what kind, how many, the cue, what was said."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.report.evidence import (
            claim_dict,
            claims_csv,
            claims_renderables,
            highlighted,
        )
        from guarantor.services.evidence import document_claims

        doc, claims = document_claims(settings, document)
        labels = Labels(settings.lang, services.questionnaire_context(settings).reference)
        if output_format is Format.json:
            typer.echo(json.dumps([claim_dict(c) for c in claims], ensure_ascii=False, indent=2))
        elif output_format is Format.csv:
            typer.echo(claims_csv(claims), nl=False)
        else:
            title = (
                f"{doc.title or doc.origin or doc.id[:12]} · {doc.outlet or ''} {doc.date or ''}"
            )
            _console().print(claims_renderables(title, claims, labels))
        if html_out is not None:
            html_out.write_text(
                highlighted(doc, [c.stored.attribution for c in claims], labels), encoding="utf-8"
            )


@evidence_app.command("who")
def evidence_who(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="A person or body, in any spelling (كيلوغ, Kellogg).")
    ],
    output_format: Annotated[
        Format, typer.Option("--format", help="table, json or csv.")
    ] = Format.table,
    lang: LangOption = None,
) -> None:
    """Everything one person or body is reported to have said, across stored documents."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.report.evidence import claim_dict, claims_csv, claims_renderables
        from guarantor.services.evidence import who

        entity, claims = who(settings, name)
        labels = Labels(settings.lang, services.questionnaire_context(settings).reference)
        if output_format is Format.json:
            typer.echo(
                json.dumps(
                    {
                        "entity": entity.model_dump(mode="json") if entity else None,
                        "claims": [claim_dict(c) for c in claims],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif output_format is Format.csv:
            typer.echo(claims_csv(claims), nl=False)
        else:
            title = entity.name.get(settings.lang) if entity else name
            _console().print(claims_renderables(title, claims, labels, with_document=True))


@evidence_app.command("trace")
def evidence_trace(
    ctx: typer.Context,
    path: Annotated[
        str,
        typer.Argument(
            help="A datum, e.g. parties.RUS.red_lines.nato_membership or "
            "submissions.FRA.force_size_personnel."
        ),
    ],
    output_format: Annotated[
        Format, typer.Option("--format", help="table or json.")
    ] = Format.table,
    lang: LangOption = None,
) -> None:
    """From a datum of the scenario to its sources, their documents and their claims."""
    settings = _lang(_settings(ctx), lang)
    with _errors(settings):
        from guarantor.report.evidence import trace_dict, trace_renderables
        from guarantor.services.evidence import trace_chain

        chain = trace_chain(settings, path)
        labels = Labels(settings.lang, services.questionnaire_context(settings).reference)
        if output_format is Format.json:
            typer.echo(json.dumps(trace_dict(chain), ensure_ascii=False, indent=2, default=str))
        else:
            _console().print(trace_renderables(chain, labels))
