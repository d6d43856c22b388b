"""Console users (admins only): list, add, change, deactivate and reactivate, reset a
password, unlock a locked-out account. The account rules live in bot/web/accounts.py, which
the CLI's `users add` uses too. Every change is written to the audit log; passwords never are.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from bot.jobs.places import Places
from bot.web import accounts
from bot.web.console import render
from bot.web.deps import Console, Gate, PostedForm, Viewer
from bot.web.login_guard import Busy
from bot.web.models import ROLES, User

MAX_NAME = 100
MAX_TELEGRAM_ID = 2**63 - 1


class FormProblem(Exception):
    """A field's value is refused; `field` names the field for the page."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def build_users_router(console: Console, gate: Gate, places: Places | None = None) -> APIRouter:
    router = APIRouter(prefix="/console/users")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]
    supported = list(console.settings.languages.supported)
    team_names = [team.name for team in console.settings.handoff.teams]
    loaded: list[list[str]] = []

    def regions() -> list[str]:
        """The labour-market region names, read once on first use."""
        if not loaded:
            loaded.append(sorted((places or Places.load()).regions().values()))
        return loaded[0]

    def coach_fields(form: PostedForm) -> dict[str, Any]:
        """Name, role and the coach fields from a form; FormProblem for the first bad one."""
        name = form.get("name").strip()
        if not name:
            raise FormProblem("name", "give a name")
        if len(name) > MAX_NAME:
            raise FormProblem("name", f"at most {MAX_NAME} characters")
        role = form.get("role")
        if role not in ROLES:
            raise FormProblem("role", f"choose one of {', '.join(ROLES)}")
        raw_id = form.get("telegram_id").strip()
        telegram_id = None
        if raw_id:
            if not (raw_id.isascii() and raw_id.isdecimal()) or not 0 < int(raw_id) <= \
                    MAX_TELEGRAM_ID:
                raise FormProblem("telegram_id", "a Telegram user id is a positive whole "
                                  "number (the coach can get it from @userinfobot)")
            telegram_id = int(raw_id)
        langs = form.lists.get("languages", [])
        if unknown := sorted(set(langs) - set(supported)):
            raise FormProblem("languages", f"unknown language code(s): {', '.join(unknown)}")
        picked = form.lists.get("regions", [])
        if unknown := sorted(set(picked) - set(regions())):
            raise FormProblem("regions", "unknown region(s): " + ", ".join(unknown)[:200])
        teams = form.lists.get("teams", [])
        if unknown := sorted(set(teams) - set(team_names)):
            raise FormProblem("teams", "unknown team(s): " + ", ".join(unknown)[:200])
        if role != "coach":
            telegram_id, langs, picked, teams = None, [], [], []
        return {"name": name, "role": role, "telegram_id": telegram_id,
                "languages": [c for c in supported if c in langs],
                "regions": [r for r in regions() if r in picked],
                "teams": [t for t in team_names if t in teams]}

    async def audit(session: AsyncSession, form: PostedForm, action: str, user: User,
                    detail: dict[str, Any] | None = None) -> None:
        await accounts.audit(session, actor=form.viewer.email, action=action,
                             user_id=form.viewer.user_id, target=f"user/{user.email}"[:128],
                             detail=detail)

    async def find(session: AsyncSession, user_id: str) -> User | None:
        if not (user_id.isascii() and user_id.isdecimal()) or len(user_id) > 18:
            return None
        return await session.get(User, int(user_id))

    def form_values(user: User | None = None, form: PostedForm | None = None) -> dict[str, Any]:
        if form is not None:
            return {"name": form.get("name"), "email": form.get("email"),
                    "role": form.get("role"), "telegram_id": form.get("telegram_id"),
                    "languages": form.lists.get("languages", []),
                    "regions": form.lists.get("regions", []),
                    "teams": form.lists.get("teams", [])}
        if user is not None:
            return {"name": user.name, "email": user.email, "role": user.role,
                    "telegram_id": "" if user.telegram_id is None else str(user.telegram_id),
                    "languages": (user.languages or "").split(","),
                    "regions": (user.regions or "").split(","),
                    "teams": (user.teams or "").split(",")}
        return {"name": "", "email": "", "role": "coach", "telegram_id": "", "languages": [],
                "regions": [], "teams": []}

    async def list_page(
        request: Request, *, values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None, status_code: int = 200,
    ) -> Response:
        async with console.sessions() as session:
            users = await accounts.list_users(session)
        return render(console, request, "users_list.html", status_code=status_code,
                      title="Users", users=users, values=values or form_values(),
                      errors=errors or {}, roles=ROLES, supported=supported,
                      regions=regions(), teams=team_names, is_locked=accounts.is_locked,
                      min_password=accounts.MIN_PASSWORD_LENGTH,
                      done=request.query_params.get("done"))

    async def user_page(
        request: Request, user: User, *, values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None, status_code: int = 200,
    ) -> Response:
        return render(console, request, "users_edit.html", status_code=status_code,
                      title=f"User {user.name}", user=user,
                      values=values or form_values(user), errors=errors or {}, roles=ROLES,
                      supported=supported, regions=regions(), teams=team_names,
                      locked=accounts.is_locked(user),
                      min_password=accounts.MIN_PASSWORD_LENGTH,
                      done=request.query_params.get("done"))

    def not_found(request: Request, user_id: str) -> Response:
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no user {user_id[:40]!r}.")

    def back(user: User, done: str) -> Response:
        return RedirectResponse(f"/console/users/{user.id}?done={done}", status_code=303)

    @router.get("", name="users_list")
    async def users_list(request: Request, viewer: AdminUser) -> Response:
        return await list_page(request)

    @router.post("", name="users_add")
    async def users_add(request: Request, form: AdminForm) -> Response:
        values = form_values(form=form)
        try:
            fields = coach_fields(form)
        except FormProblem as exc:
            return await list_page(request, values=values, errors={exc.field: exc.message},
                                   status_code=422)
        try:
            async with console.sessions() as session, session.begin():
                user = await accounts.create_user(
                    session, email=form.get("email"), password=form.get("password"), **fields)
                await audit(session, form, "users.add", user, {"role": user.role})
        except accounts.AccountError as exc:
            message = str(exc)
            field = ("password" if "password" in message else
                     "email" if "mail" in message or "already" in message else "form")
            return await list_page(request, values=values, errors={field: message},
                                   status_code=422)
        return RedirectResponse(f"/console/users/{user.id}?done=added", status_code=303)

    @router.get("/{user_id}", name="users_edit")
    async def users_edit(request: Request, user_id: str, viewer: AdminUser) -> Response:
        async with console.sessions() as session:
            user = await find(session, user_id)
        if user is None:
            return not_found(request, user_id)
        return await user_page(request, user)

    @router.post("/{user_id}", name="users_save")
    async def users_save(request: Request, user_id: str, form: AdminForm) -> Response:
        async with console.sessions() as session, session.begin():
            user = await find(session, user_id)
            if user is None:
                return not_found(request, user_id)
            try:
                fields = coach_fields(form)
                if user.id == form.viewer.user_id and fields["role"] != user.role:
                    raise FormProblem("role", "you cannot change your own role; ask another "
                                      "admin")
            except FormProblem as exc:
                values = {**form_values(form=form), "email": user.email}
                return await user_page(request, user, values=values,
                                       errors={exc.field: exc.message}, status_code=422)
            before = form_values(user)
            accounts.update_profile(user, **fields)
            after = form_values(user)
            changed = sorted(k for k in after if after[k] != before[k])
            await audit(session, form, "users.update", user, {"changed": changed})
        return back(user, "saved")

    @router.post("/{user_id}/active", name="users_active")
    async def users_active(request: Request, user_id: str, form: AdminForm) -> Response:
        active = form.get("active") == "yes"
        async with console.sessions() as session, session.begin():
            user = await find(session, user_id)
            if user is None:
                return not_found(request, user_id)
            if not active and user.id == form.viewer.user_id:
                return await user_page(request, user, status_code=422, errors={
                    "active": "You cannot deactivate yourself; ask another admin."})
            if user.active != active:
                await accounts.set_active(session, user=user, active=active)
                await audit(session, form, "users.reactivate" if active else
                            "users.deactivate", user)
        return back(user, "reactivated" if active else "deactivated")

    @router.post("/{user_id}/password", name="users_password")
    async def users_password(request: Request, user_id: str, form: AdminForm) -> Response:
        password = form.get("password")
        # hashed before the transaction, in the sign-in checks' worker pool (not on the loop)
        hashed = None
        if password == form.get("password_again") and \
                len(password) >= accounts.MIN_PASSWORD_LENGTH:
            try:
                hashed = await console.guard.verifier.hash(password)
            except Busy:
                hashed = None
        async with console.sessions() as session, session.begin():
            user = await find(session, user_id)
            if user is None:
                return not_found(request, user_id)
            if form.get("password") != form.get("password_again"):
                return await user_page(request, user, status_code=422, errors={
                    "password": "The two passwords differ; nothing was changed."})
            try:
                await accounts.set_password(session, user=user, password=password,
                                            password_hash=hashed)
            except accounts.AccountError as exc:
                return await user_page(request, user, status_code=422,
                                       errors={"password": str(exc)})
            await audit(session, form, "users.password_reset", user)
        return back(user, "password")

    @router.post("/{user_id}/unlock", name="users_unlock")
    async def users_unlock(request: Request, user_id: str, form: AdminForm) -> Response:
        async with console.sessions() as session, session.begin():
            user = await find(session, user_id)
            if user is None:
                return not_found(request, user_id)
            was_locked = accounts.is_locked(user)
            accounts.unlock(user)
            await audit(session, form, "users.unlock", user, {"was_locked": was_locked})
        return back(user, "unlocked")

    return router
