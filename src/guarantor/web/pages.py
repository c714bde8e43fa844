"""HTML pages. Each route checks the CSRF token on writes, calls one service and renders."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from guarantor.i18n import N_
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.portal import User
from guarantor.report.tables import Labels, assessment_csv, assessment_json, caveat_lines
from guarantor.services import accounts
from guarantor.services import portal as uc
from guarantor.services.access import can_administer, can_read_submission, can_write_submission
from guarantor.services.portal import Portal
from guarantor.services.rounds import AssessRequest, parse_assumptions
from guarantor.store.repository import Conflict
from guarantor.web import views
from guarantor.web.forms import field_errors, field_values, parse_form
from guarantor.web.security import (
    NotAuthenticated,
    RateLimited,
    actor,
    check_csrf,
    csrf_token,
    end_session,
    safe_next,
    session_user,
    start_session,
)
from guarantor.web.templating import current_lang

router = APIRouter(include_in_schema=False)


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def _user(request: Request) -> User:
    user = session_user(request, _portal(request))
    if user is None:
        raise NotAuthenticated()
    return user


def _expected(raw: object) -> int:
    """The revision a form was loaded from (a hidden field); a bad one is refused clearly."""
    text = str(raw or "0").strip()
    if not text.isdigit():
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.wrong_type",
                    path=("expected",),
                    params={"expected": "integer", "found": "text", "value": text[:20]},
                )
            ]
        )
    return int(text)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page with the common context (user, CSRF token, language)."""
    context.setdefault("user", session_user(request, _portal(request)))
    context["csrf"] = csrf_token(request)
    context.setdefault("units", views.UNITS)
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next), user=None)


@router.post("/login")
async def login(request: Request) -> Response:
    await check_csrf(request)
    client = request.client.host if request.client else "unknown"
    if not request.app.state.login_limiter.hit(client):
        raise RateLimited()
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = str(form.get("next", "/"))
    try:
        user = accounts.login(_portal(request), username, password, actor(request, None))
    except accounts.LoginRefused as refused:
        del refused  # one message for every refusal: no hint that an account exists
        message = N_("Wrong username or password, or the account is locked for a while.")
        return render(
            request,
            "login.html",
            status=401,
            error=message,
            next=target,
            username=username,
            user=None,
        )
    start_session(request, _portal(request), user)
    return RedirectResponse(safe_next(target), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await check_csrf(request)
    user = session_user(request, _portal(request))
    if user:
        _portal(request).accounts.record(actor(request, user), "logout", f"user/{user.username}")
    end_session(request, _portal(request))
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
async def set_language(request: Request) -> Response:
    await check_csrf(request)
    form = await request.form()
    lang = str(form.get("lang", "en"))
    lang = lang if lang in ("en", "ar") else "en"
    request.session["lang"] = lang
    user = session_user(request, _portal(request))
    if user and user.lang != lang:
        _portal(request).accounts.set_lang(user.username, lang, actor(request, user))
    return RedirectResponse(safe_next(str(form.get("next", "/"))), status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    user = _user(request)
    portal = _portal(request)
    return render(
        request,
        "home.html",
        user=user,
        rounds=uc.visible_rounds(portal, user),
        countries=views.country_names(portal),
    )


def _submission_page(
    request: Request, user: User, round_id: str, country: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    portal = _portal(request)
    view = uc.submission_view(portal, user, round_id, country)
    answers = extra.pop("answers", None)
    if answers is None:
        answers = dict(view.latest.submission.answers) if view.latest else {}
    return render(
        request,
        "submission.html",
        status=status,
        view=view,
        round_id=round_id,
        country=country,
        values=field_values(answers),
        answers=answers,
        editable=can_write_submission(user, country),
        form=views.form_model(portal, view.questionnaire, current_lang.get()),
        expected=view.latest.number if view.latest else 0,
        errors=extra.pop("errors", {}),
        general=extra.pop("general", []),
        **extra,
    )


@router.get("/rounds/{round_id}/countries/{country}", response_class=HTMLResponse)
def submission_page(request: Request, round_id: str, country: str) -> HTMLResponse:
    return _submission_page(request, _user(request), round_id, country.upper())


@router.post("/rounds/{round_id}/countries/{country}")
async def save_submission(request: Request, round_id: str, country: str) -> Response:
    await check_csrf(request)
    user = _user(request)
    portal = _portal(request)
    country = country.upper()
    form = await request.form()
    draft = form.get("action") != "submit"
    expected = _expected(form.get("expected"))
    view = uc.submission_view(portal, user, round_id, country)
    document = parse_form(view.questionnaire, form)
    partial = request.headers.get("hx-request") == "true"
    try:
        revision = uc.save_answers(
            portal,
            user,
            round_id,
            country,
            document,
            draft=draft,
            expected=expected,
            actor=actor(request, user),
        )
    except InvalidInput as exc:
        errors, general = field_errors(exc.diagnostics, current_lang.get())
        if partial:
            return render(
                request,
                "_save_status.html",
                status=422,
                state="invalid",
                count=len(exc.diagnostics),
                expected=expected,
            )
        return _submission_page(
            request,
            user,
            round_id,
            country,
            status=422,
            answers=document["answers"],
            errors=errors,
            general=general,
        )
    except Conflict as conflict:
        if partial:
            return render(
                request,
                "_save_status.html",
                status=409,
                state="conflict",
                revision=conflict.latest,
                expected=expected,
            )
        return render(
            request,
            "conflict.html",
            status=409,
            round_id=round_id,
            country=country,
            theirs=conflict.latest,
            yours=document["answers"],
            form=views.form_model(portal, view.questionnaire, current_lang.get()),
        )
    if partial:
        return render(
            request, "_save_status.html", state="saved", revision=revision, expected=revision.number
        )
    return RedirectResponse(
        f"/rounds/{round_id}/countries/{country}?saved={revision.number}", status_code=303
    )


@router.get("/rounds/{round_id}/countries/{country}/row", response_class=HTMLResponse)
def new_row(request: Request, round_id: str, country: str, question: str) -> HTMLResponse:
    """A blank line for a list question (HTMX). Its index only has to be unique in the form:
    lines are read back in index order and renumbered on saving."""
    user = _user(request)
    portal = _portal(request)
    questionnaire = uc.editable_questionnaire(portal, user, round_id, country.upper())
    model = views.form_model(portal, questionnaire, current_lang.get())
    try:
        field = model.question(question)
    except KeyError:
        return render(request, "error.html", status=404, title=N_("Not found"), lines=[])
    index = 1000 + secrets.randbelow(10**9)
    return render(
        request,
        "_row.html",
        q=field,
        base=f"answers.{field.id}",
        i=index,
        values={},
        errors={},
        editable=True,
    )


@router.get("/rounds/{round_id}/countries/{country}/history", response_class=HTMLResponse)
def history_page(request: Request, round_id: str, country: str) -> HTMLResponse:
    user = _user(request)
    country = country.upper()
    revisions = uc.history(_portal(request), user, round_id, country)
    return render(
        request,
        "history.html",
        revisions=list(reversed(revisions)),
        round_id=round_id,
        country=country,
        editable=can_write_submission(user, country),
        country_name=views.country_names(_portal(request)).get(country, country),
    )


@router.get("/rounds/{round_id}/countries/{country}/diff", response_class=HTMLResponse)
def diff_page(request: Request, round_id: str, country: str, old: int, new: int) -> HTMLResponse:
    user = _user(request)
    country = country.upper()
    changes = uc.diff(_portal(request), user, round_id, country, old, new)
    return render(
        request, "diff.html", changes=changes, old=old, new=new, round_id=round_id, country=country
    )


@router.get(
    "/rounds/{round_id}/countries/{country}/revisions/{number}", response_class=HTMLResponse
)
def revision_page(request: Request, round_id: str, country: str, number: int) -> HTMLResponse:
    user = _user(request)
    country = country.upper()
    found = uc.revision(_portal(request), user, round_id, country, number)
    return render(
        request,
        "revision.html",
        revision=found,
        round_id=round_id,
        country=country,
        answers_json=json.dumps(dict(found.submission.answers), ensure_ascii=False, indent=2),
        editable=can_write_submission(user, country),
    )


@router.post("/rounds/{round_id}/countries/{country}/restore/{number}")
async def restore(request: Request, round_id: str, country: str, number: int) -> Response:
    await check_csrf(request)
    user = _user(request)
    form = await request.form()
    country = country.upper()
    expected = _expected(form.get("expected"))
    try:
        revision = uc.restore(
            _portal(request),
            user,
            round_id,
            country,
            number,
            expected=expected,
            actor=actor(request, user),
        )
    except Conflict as conflict:
        view = uc.submission_view(_portal(request), user, round_id, country)
        old = uc.revision(_portal(request), user, round_id, country, number)
        return render(
            request,
            "conflict.html",
            status=409,
            round_id=round_id,
            country=country,
            theirs=conflict.latest,
            yours=dict(old.submission.answers),
            form=views.form_model(_portal(request), view.questionnaire, current_lang.get()),
        )
    return RedirectResponse(
        f"/rounds/{round_id}/countries/{country}?saved={revision.number}", status_code=303
    )


@router.get("/rounds/{round_id}", response_class=HTMLResponse)
def round_page(request: Request, round_id: str) -> HTMLResponse:
    user = _user(request)
    portal = _portal(request)
    statuses = uc.round_status(portal, user, round_id)
    return render(
        request,
        "round.html",
        round=portal.round(round_id),
        statuses=statuses,
        countries=views.country_names(portal),
        administer=can_administer(user),
        readable=[s.country for s in statuses if can_read_submission(user, s.country)],
        invitation=request.session.pop("invitation", None),
    )


@router.post("/rounds")
async def open_round(request: Request) -> Response:
    await check_csrf(request)
    user = _user(request)
    form = await request.form()
    deadline_raw = str(form.get("deadline", "")).strip()
    try:
        deadline = dt.date.fromisoformat(deadline_raw) if deadline_raw else None
    except ValueError:
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.bad_date", path=("deadline",), params={"value": deadline_raw[:20]}
                )
            ]
        ) from None
    invited = [
        c.strip().upper()
        for c in str(form.get("invited", "")).replace(",", " ").split()
        if c.strip()
    ]
    info = uc.open_round(
        _portal(request),
        user,
        str(form.get("id", "")).strip(),
        deadline,
        invited,
        actor(request, user),
    )
    return RedirectResponse(f"/rounds/{info.id}", status_code=303)


@router.post("/rounds/{round_id}/invitations")
async def invite(request: Request, round_id: str) -> Response:
    await check_csrf(request)
    user = _user(request)
    form = await request.form()
    country = str(form.get("country", "")).strip().upper()
    secret, expires = accounts.invite(
        _portal(request), user, round_id, country, actor(request, user)
    )
    request.session["invitation"] = {
        "country": country,
        "url": f"/invite/{secret}",
        "expires": expires.isoformat(timespec="minutes"),
    }
    return RedirectResponse(f"/rounds/{round_id}", status_code=303)


@router.get("/invite/{secret}", response_class=HTMLResponse)
def invitation_page(request: Request, secret: str) -> HTMLResponse:
    found = _portal(request).accounts.invitation(secret)
    return render(
        request,
        "invite.html",
        status=200 if found else 404,
        found=found,
        secret=secret,
        user=None,
        countries=views.country_names(_portal(request)),
    )


@router.post("/invite/{secret}")
async def accept_invitation(request: Request, secret: str) -> Response:
    await check_csrf(request)
    form = await request.form()
    user = accounts.accept_invitation(
        _portal(request),
        secret,
        str(form.get("username", "")),
        str(form.get("password", "")),
        actor(request, None),
    )
    start_session(request, _portal(request), user)
    return RedirectResponse("/", status_code=303)


def _request_from(query: dict[str, str]) -> AssessRequest:
    assume = [
        f"{key[7:]}={value}"
        for key, value in query.items()
        if key.startswith("assume.") and value in ("true", "false")
    ]
    return AssessRequest(
        requirement=query.get("requirement") or None, assume=parse_assumptions(assume)
    )


def _assessed(request: Request, round_id: str) -> tuple[Portal, User, Any, Labels]:
    """The round's assessment under the page's query (requirement, assumptions)."""
    user = _user(request)
    portal = _portal(request)
    result = uc.dashboard(portal, user, round_id, _request_from(dict(request.query_params)))
    context = result.context
    labels = Labels(
        current_lang.get(),
        portal.reference,
        result.requirement,
        context.questionnaire,
        context.scenario,
    )
    return portal, user, result, labels


@router.get("/rounds/{round_id}/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, round_id: str) -> HTMLResponse:
    _, _, result, labels = _assessed(request, round_id)
    lang = labels.lang
    return render(
        request,
        "dashboard.html",
        result=result,
        labels=labels,
        tables=views.assessment_tables(result.assessment, labels),
        charts={
            kind: views.chart_svg(result.assessment, labels, kind)
            for kind in ("coverage", "readiness", "burden")
        },
        caveats=caveat_lines(result.assessment, labels),
        round_id=round_id,
        requirements=views.requirement_choices(lang),
        query=dict(request.query_params),
    )


@router.get("/rounds/{round_id}/export.{fmt}")
def export(request: Request, round_id: str, fmt: str, table: str = "coverage") -> Response:
    portal, user, result, labels = _assessed(request, round_id)
    if fmt not in ("json", "csv", "pdf"):
        return Response(status_code=404)
    portal.accounts.record(actor(request, user), "export", round_id, format=fmt, table=table)
    if fmt == "json":
        body = assessment_json(result.assessment, {"run": result.run.__dict__, "round": round_id})
        return Response(body, media_type="application/json")
    if fmt == "csv":
        from guarantor.report.tables import TABLES

        name = table if table in TABLES else "coverage"
        return Response(
            assessment_csv(result.assessment, labels, name),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{round_id}-{name}.csv"'},
        )
    if fmt == "pdf":
        from guarantor.report.brief import brief_pdf

        return Response(
            brief_pdf(result, portal.round(round_id)),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{round_id}-brief.pdf"'},
        )
    return Response(status_code=404)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, prefix: str = "") -> HTMLResponse:
    user = _user(request)
    return render(
        request, "audit.html", entries=uc.audit_trail(_portal(request), user, prefix), prefix=prefix
    )


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    user = _user(request)
    return render(request, "users.html", users=uc.list_users(_portal(request), user))


@router.post("/users/{username}/raw-access")
async def raw_access(request: Request, username: str) -> Response:
    await check_csrf(request)
    user = _user(request)
    form = await request.form()
    uc.set_raw_access(
        _portal(request), user, username, form.get("granted") == "true", actor(request, user)
    )
    return RedirectResponse("/users", status_code=303)
