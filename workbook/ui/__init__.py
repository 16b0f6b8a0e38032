"""Small Streamlit helpers shared by the pages. The only workbook module that imports streamlit.

- :func:`setup` opens the store once per workbook file and reads the content.
- :func:`text_input` / :func:`text_area` keep unsaved text: across page switches in the
  session, and in the workbook file so a closed tab loses nothing either.
- :class:`Form` shows a field's validation message right under that field.
- :func:`show_text` shows the person's words exactly as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from workbook import config, content, privacy, progress, textsafe, timefmt
from workbook.cohort import Role
from workbook.models import Record, RecordInvalid, Rejection
from workbook.navigation import ALL_PAGES, PAGES
from workbook.repository import Workbook
from workbook.storage import StorageError
from workbook.ui import auth

T = TypeVar("T")
R = TypeVar("R", bound=Record)

# A local file: an icon name such as ":material/spa:" makes the browser fetch the favicon
# from a font server, and nothing in Rebound should leave this computer.
FAVICON = str(Path(__file__).with_name("favicon.png"))
KEEP = "keep."  # widget keys with this prefix survive page switches (see keep_widget_state)
SELECTED_REJECTION = "selected_rejection"
_PAGE_NOW = "_keep.page"  # the page this run shows
_OWNERS = "_keep.owners"  # field key -> the page that draws it
EARLIEST_DAY = date(1970, 1, 1)


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Workbook:
    # One store per workbook file for the whole server: TinyDB is not thread-safe, and the
    # store's locks only protect what goes through one object per file in this process.
    wb = Workbook(Path(path))
    wb.context_provider = context  # each save is judged in the saving person's time zone
    return wb


def store() -> Workbook:
    """The workbook of whoever is here: the one on this computer, or a participant's own."""
    if not auth.hosted():
        return _open_store(str(config.workbook_path()))
    current = auth.session()
    if current is None or current.role != Role.PARTICIPANT:
        st.info("Please sign in to open your workbook.", icon=":material/login:")
        st.stop()
    wb = auth.host().workbook(current, texts)
    wb.context_provider = context
    return wb


def hosted() -> bool:
    """Whether this server hosts a workshop (people sign in)."""
    return auth.hosted()


def delete_personal_workbook() -> int:
    """Delete this computer's workbook and its copies (personal mode), then start afresh."""
    path = config.workbook_path()
    with store().file.locked():
        removed = privacy.delete_workbook(path)
    _open_store.clear()  # the next run opens (and creates) a fresh, empty workbook
    # Completion is cached by path and generation; a fresh store starts generations again.
    _completion.clear()
    return removed


def texts() -> content.Content:
    if auth.hosted():
        return content.load(workshop_dir=auth.host().cohort.content_dir)
    return content.load()


def setup() -> str:
    """Shared setup for every run: who is here, the store, the content, any recoveries.

    Returns the role that decides which pages exist (see ``navigation.sections_for``).
    """
    try:
        role = auth.role()
        texts()
        if role not in {"personal", "participant"}:
            _signed_in_bar(role)
            return role
        wb = store()
    except StorageError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    except content.ContentError as exc:
        st.error(f"The workbook's texts could not be loaded: {exc}", icon=":material/error:")
        st.stop()
    shown = st.session_state.setdefault("_notices_shown", set())
    for notice in wb.notices:
        if notice.damaged_copy not in shown:
            st.warning(notice.message, icon=":material/restore:")
            shown.add(notice.damaged_copy)
    _signed_in_bar(role)
    return role


def _signed_in_bar(role: str) -> None:
    current = auth.session() if role in {"participant", "facilitator"} else None
    if current is None:
        return
    with st.sidebar:
        who = "facilitator" if role == "facilitator" else "participant"
        st.caption(f"Signed in as {textsafe.escape_markdown(current.name)} ({who})")
        st.button("Sign out", icon=":material/logout:", on_click=auth.sign_out, key="_sign_out")


def keep_widget_state(page: str) -> None:
    """Keep the values of fields on other pages; call once per run with the page shown.

    Streamlit forgets a widget's value when a run does not draw it (another page is open),
    so values of fields that belong to other pages are written back through session state.
    Fields of the page being shown are left alone: writing them back would send the
    server's copy to the browser and undo key presses made while a rerun was under way.
    """
    st.session_state[_PAGE_NOW] = page
    owners: dict[str, str] = st.session_state.setdefault(_OWNERS, {})
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP) and owners.get(key) != page:
            st.session_state[key] = st.session_state[key]


def _own(full: str) -> None:
    st.session_state.setdefault(_OWNERS, {})[full] = st.session_state.get(_PAGE_NOW, "")


@st.cache_resource(max_entries=16, show_spinner=False)
def _completion(path: str, generation: int, minute: datetime) -> dict[str, progress.Completion]:
    text = texts()
    records = progress.gather(
        store().all, minute, text.phase1.window.hours, tuple(text.phase4.materials.step_keys)
    )
    return progress.worksheets(records)


def completion() -> dict[str, progress.Completion]:
    """Each worksheet's completion, worked out once per saved state of the workbook (and
    per minute, for the rules that depend on the time)."""
    wb = store()
    minute = now().replace(second=0, microsecond=0)
    return _completion(str(wb.path), wb.file.generation, minute)


def tz() -> tzinfo:
    try:
        name = st.context.timezone
    except Exception:  # no browser context (tests, scripts)
        name = None
    return timefmt.zone(name)


def now() -> datetime:
    return datetime.now(UTC)


def context() -> dict[str, Any]:
    """Validation context: the person's today, now and time zone."""
    zone, moment = tz(), now()
    return {"now": moment, "today": timefmt.local_today(zone, moment), "tz": zone}


def page_start(title: str, intro: str, *, per_rejection: bool = False) -> Rejection | None:
    """The opening every worksheet shares: title, intro, the rejection choice, confirmations."""
    st.title(title)
    st.write(intro)
    _worksheet_download()
    rejection = rejection_selector() if per_rejection else None
    show_flash()
    return rejection


def _worksheet_download() -> None:
    """A quiet "download this worksheet" button on every worksheet (Markdown, made on click)."""
    from workbook import exports  # the export modules load only where they are used

    page = st.session_state.get(_PAGE_NOW)
    key = next((k for k, spec in PAGES.items() if spec.url_path == page), None)
    if key not in exports.WORKSHEETS:
        return
    wb, text, zone = store(), texts(), tz()
    opts = exports.Options(worksheets=(key,))
    st.download_button(
        "Download this worksheet",
        lambda: exports.make("md", exports.snapshot_of(wb), text, zone, opts),
        file_name=exports.filename("md", opts, timefmt.local_today(zone, now())),
        mime="text/markdown",
        icon=":material/download:",
        type="tertiary",
        on_click="ignore",
        key=f"_download.{key}",
    )


# -- showing text --------------------------------------------------------------------
def show_text(text: str, *, caption: bool = False) -> None:
    """The person's words, exactly as typed: never markdown, never HTML."""
    safe = textsafe.escape_markdown(text)
    (st.caption if caption else st.markdown)(safe)


def page_link(key: str, label: str | None = None, icon: str | None = None) -> None:
    spec = ALL_PAGES[key]
    st.page_link(spec.file, label=label or spec.title, icon=icon or spec.icon)


def flash(message: str) -> None:
    """A confirmation shown after the next rerun (saves happen in callbacks)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        # Messages may quote the person's words (a company name): show them as text.
        safe = textsafe.escape_markdown(message)
        st.success(safe, icon=":material/check_circle:")
        st.toast(safe, icon=":material/check_circle:")


# -- text that is never lost -----------------------------------------------------------
def _remember_text(key: str, then: Callable[[], object] | None = None) -> None:
    store().set_text_draft(key, st.session_state.get(key, ""))
    if then is not None:
        then()


def _seed(key: str, default: Any = "") -> str:
    full = KEEP + key
    _own(full)
    if full not in st.session_state:
        draft = store().text_draft(full) if isinstance(default, str) else ""
        st.session_state[full] = draft or default
    return full


def text_input(
    label: str,
    key: str,
    default: str = "",
    *,
    then: Callable[[], object] | None = None,
    **kwargs: Any,
) -> str:
    """A text field whose unsaved text is kept; ``then`` runs after each change."""
    full = _seed(key, default)
    return st.text_input(label, key=full, on_change=_remember_text, args=(full, then), **kwargs)


def text_area(label: str, key: str, default: str = "", **kwargs: Any) -> str:
    full = _seed(key, default)
    return st.text_area(label, key=full, on_change=_remember_text, args=(full,), **kwargs)


def kept(key: str, default: Any) -> str:
    """A widget key whose value survives page switches, seeded with ``default``."""
    full = KEEP + key
    _own(full)
    if full not in st.session_state:
        st.session_state[full] = default
    return full


def day_input(label: str, key: str, default: date | None) -> None:
    """A date field for days that may lie years back (the default floor is ten years)."""
    st.date_input(label, key=kept(key, default), min_value=EARLIEST_DAY, format="YYYY-MM-DD")


def value(key: str, default: Any = None) -> Any:
    return st.session_state.get(KEEP + key, default)


def reset(*keys: str) -> None:
    """Forget fields after a save (call from a callback)."""
    wb = store()
    for key in keys:
        full = KEEP + key
        st.session_state.pop(full, None)
        wb.clear_text_draft(full)


# -- forms -----------------------------------------------------------------------------
class Form:
    """Validation messages for one group of fields, shown right under each field."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def errors(self) -> dict[str, str]:
        return st.session_state.get(f"_errors.{self.name}", {})

    def error(self, field: str) -> None:
        message = self.errors.get(field)
        if message:
            st.error(message, icon=":material/info:")

    def other_errors(self, known: Sequence[str]) -> None:
        for field, message in self.errors.items():
            if field not in known:
                st.error(message, icon=":material/info:")

    def submit(self, save: Callable[[], object], done: str, clear: Sequence[str] = ()) -> None:
        """Run ``save``; on success confirm with ``done`` (or the text ``save`` returned).

        If validation fails the fields keep what was typed and the messages show.
        """
        try:
            result = save()
        except RecordInvalid as exc:
            st.session_state[f"_errors.{self.name}"] = exc.errors
            return
        st.session_state.pop(f"_errors.{self.name}", None)
        reset(*clear)
        flash(result if isinstance(result, str) else done)

    def button(
        self,
        label: str,
        save: Callable[[], object],
        clear: Sequence[str] = (),
        done: str = "Saved.",
        *,
        key: str | None = None,
        primary: bool = True,
    ) -> None:
        st.button(
            label,
            key=key or f"_submit.{self.name}",
            type="primary" if primary else "secondary",
            on_click=self.submit,
            args=(save, done, clear),
        )


# -- rejections and lists ------------------------------------------------------------
def rejection_label(rejection: Rejection, zone: tzinfo | None = None) -> str:
    # Pass ``zone`` when labelling many: reading the browser's zone is not free.
    day = timefmt.to_local(rejection.rejected_at, zone or tz()).strftime("%d %b %Y")
    return f"{rejection.company} — {rejection.role} ({day})"


def _select_rejection(key: str) -> None:
    store().set_setting(SELECTED_REJECTION, st.session_state[key])


def _active_rejections() -> list[Rejection]:
    """Rejections not archived, newest "no" first."""
    active = [r for r in store().all(Rejection) if not r.archived]
    return sorted(active, key=lambda r: r.rejected_at, reverse=True)


def _chosen(active: list[Rejection]) -> Rejection | None:
    chosen = store().setting(SELECTED_REJECTION)
    return next((r for r in active if r.id == chosen), active[0] if active else None)


def current_rejection() -> Rejection | None:
    """The rejection being worked on (chosen, else the newest active one), without a widget."""
    return _chosen(_active_rejections())


def rejection_selector() -> Rejection | None:
    """The shared "which rejection am I working on" choice, remembered across restarts."""
    active = _active_rejections()
    current = _chosen(active)
    if current is None:
        st.info("Start by adding the rejection you are working through.", icon=":material/add:")
        page_link("rejections", "Go to the rejection log")
        return None
    zone = tz()
    labels = {r.id: rejection_label(r, zone) for r in active}
    ids = list(labels)
    by_id = {r.id: r for r in active}
    key = "_rejection_choice"
    st.session_state[key] = current.id
    st.selectbox(
        "The rejection you are working on",
        ids,
        format_func=labels.__getitem__,
        key=key,
        on_change=_select_rejection,
        args=(key,),
    )
    return by_id[st.session_state[key]]


def _turn(page_key: str, step: int) -> None:
    st.session_state[page_key] = st.session_state.get(page_key, 1) + step


def paginate(items: Sequence[T], key: str, per_page: int = 10) -> Sequence[T]:
    """One page of ``items`` (newest first) with quiet previous/next controls."""
    pages = max(1, -(-len(items) // per_page))
    page_key = f"_page.{key}"
    page = min(max(st.session_state.get(page_key, 1), 1), pages)
    st.session_state[page_key] = page
    if pages > 1:
        left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
        left.button(
            "← Newer",
            key=f"{page_key}.prev",
            disabled=page <= 1,
            on_click=_turn,
            args=(page_key, -1),
        )
        middle.caption(f"Page {page} of {pages} · {len(items)} in all")
        right.button(
            "Older →",
            key=f"{page_key}.next",
            disabled=page >= pages,
            on_click=_turn,
            args=(page_key, 1),
        )
    start = (page - 1) * per_page
    return items[start : start + per_page]


def confirm_delete(
    key: str,
    question: str | Callable[[], str],
    on_yes: Callable[[], object],
    done: str = "Deleted.",
) -> None:
    """A delete button that asks first. ``question`` may be a callable, worked out only
    once the person has asked to delete (it may need to count linked entries)."""
    flag = f"_confirm.{key}"
    if not st.session_state.get(flag):
        if st.button("Delete…", key=f"{flag}.ask", icon=":material/delete:"):
            st.session_state[flag] = True
            st.rerun()
        return
    text = question() if callable(question) else question
    st.warning(textsafe.escape_markdown(text), icon=":material/help:")
    yes, no = st.columns(2)

    def _yes() -> None:
        st.session_state.pop(flag, None)
        on_yes()
        flash(done)

    yes.button("Yes, delete", key=f"{flag}.yes", type="primary", on_click=_yes)
    no.button("No, keep it", key=f"{flag}.no", on_click=lambda: st.session_state.pop(flag, None))


def choose_one(
    records: Sequence[R],
    key: str,
    label: Callable[[R], str],
    prompt: str = "Choose an entry to change or delete",
) -> R | None:
    """One selectbox to open a single entry of the list shown (nothing chosen by default)."""
    if not records:
        return None
    by_id = {r.id: r for r in records}
    chosen = st.selectbox(
        prompt,
        list(by_id),
        index=None,
        placeholder="Choose…",
        format_func=lambda rid: textsafe.preview(label(by_id[rid]), 90),
        key=f"_choose.{key}",
    )
    return by_id.get(chosen) if chosen else None
