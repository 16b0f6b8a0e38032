"""Content as data: every prompt, list and explanation, loaded and validated in one place.

The built-in texts live in ``workbook/content/*.toml``. A facilitator can point
``REBOUND_CONTENT_DIR`` at a folder holding files of the same names; each file found
there replaces the built-in file of that name whole, and is validated the same way, so
a typo is reported with the file and the field instead of breaking a page later.
"""

from __future__ import annotations

import functools
import tempfile
import tomllib
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook import config
from workbook.models import ActionStatus, ResourceKind, SkillSource, SkillStatus, Stage

BUILTIN_DIR = Path(__file__).with_name("content")


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = str


class Phase(_Content):
    key: str
    name: Text
    summary: Text


class Home(_Content):
    title: Text
    welcome: Text
    welcome_hosted: Text  # in a hosted workshop
    saved_here: Text
    saved_hosted: Text
    where_you_are: Text
    next_step: Text
    phases: list[Phase] = Field(min_length=5, max_length=5)


class Care(_Content):
    title: Text
    note: Text
    help: Text


class Explainer(_Content):
    title: Text
    body: Text


class ValuesExercise(_Content):
    title: Text
    intro: Text
    kinds: list[Text] = Field(min_length=1)
    placeholder: Text
    empty: Text


class WhyItHurts(_Content):
    title: Text
    intro: Text
    explainers: list[Explainer] = Field(min_length=1)
    exercise: ValuesExercise


class StartContent(_Content):
    home: Home
    care: Care
    why_it_hurts: WhyItHurts


class StageText(_Content):
    key: Stage
    label: Text
    help: Text


class Channels(_Content):
    options: list[Text] = Field(min_length=1)


class RejectionsContent(_Content):
    title: Text
    intro: Text
    empty: Text
    archive_help: Text
    stages: list[StageText]
    channels: Channels

    @model_validator(mode="after")
    def _every_stage_once(self) -> RejectionsContent:
        keys = [s.key for s in self.stages]
        if sorted(keys) != sorted(Stage) or len(set(keys)) != len(keys):
            raise ValueError("stages must list each of " + ", ".join(s.value for s in Stage))
        return self

    def stage_label(self, stage: Stage | str) -> str:
        for item in self.stages:
            if item.key == stage:
                return item.label
        return str(stage)


class Window(_Content):
    title: Text
    hours: int = Field(ge=1, le=24 * 14)
    intro: Text
    open_text: Text
    over_text: Text
    over_invite: Text


class Feelings(_Content):
    title: Text
    intro: Text
    emotions: list[Text] = Field(min_length=1)
    own_label: Text
    intensity_label: Text
    journal_label: Text
    journal_placeholder: Text
    high_intensity_note: Text
    empty: Text


class Item(_Content):
    key: str
    label: Text
    hint: Text = ""
    why: Text = ""


class _ItemList(_Content):
    items: list[Item] = Field(min_length=1)

    def label(self, key: str) -> str:
        """The label for a stored key; the key itself if a facilitator removed the item."""
        return next((i.label for i in self.items if i.key == key), key)


class Outlets(_ItemList):
    title: Text
    intro: Text


class SelfTalkContent(_Content):
    title: Text
    intro: Text
    label: Text
    examples: list[Text]


class Avoid(_ItemList):
    title: Text
    intro: Text
    pledge_label: Text
    urge_label: Text
    instead_label: Text


class Drafts(_Content):
    title: Text
    intro: Text
    to_label: Text
    body_label: Text
    after_window: Text
    yours: Text
    empty: Text
    empty_hosted: Text


class Phase1Content(_Content):
    window: Window
    feelings: Feelings
    outlets: Outlets
    self_talk: SelfTalkContent
    avoid: Avoid
    drafts: Drafts


class Prompt(_Content):
    key: str
    label: Text
    help: Text = ""


class ReviewContent(_Content):
    title: Text
    intro: Text
    early_note: Text
    finish_label: Text
    unfinish_label: Text
    finished_note: Text
    need_all: Text
    prompts: list[Prompt] = Field(min_length=1)


class FeedbackContent(_Content):
    title: Text
    intro: Text
    window_days: tuple[int, int]
    before_window: Text
    in_window: Text
    after_window: Text
    addressee_label: Text
    thanks_label: Text
    questions_label: Text
    own_question_label: Text
    status_label: Text
    sender_label: Text
    sent_on_label: Text
    answered_on_label: Text
    feedback_label: Text
    tags_label: Text
    own_tags_label: Text
    signature: Text
    thanks: list[Text] = Field(min_length=1)
    questions: list[Text] = Field(min_length=1)
    tags: list[Text]
    statuses: dict[str, Text]

    @model_validator(mode="after")
    def _window(self) -> FeedbackContent:
        first, last = self.window_days
        if not 0 <= first <= last <= 60:
            raise ValueError("window_days must be two day counts, the first not after the last")
        return self


class FindingTexts(_Content):
    late: Text
    technical: Text
    screening: Text
    application: Text
    channel: Text
    tag: Text


class PatternsContent(_Content):
    title: Text
    intro: Text
    too_few: Text
    findings_title: Text
    no_findings: Text
    tags_title: Text
    no_tags: Text
    findings: FindingTexts


class ReassessContent(_Content):
    title: Text
    intro: Text
    name_label: Text
    interest_label: Text
    strength_label: Text
    notes_label: Text
    correction_label: Text
    chosen_label: Text
    empty: Text


class Phase2Content(_Content):
    review: ReviewContent
    feedback: FeedbackContent
    patterns: PatternsContent
    reassess: ReassessContent


class WinsContent(_Content):
    title: Text
    intro: Text
    text_label: Text
    text_placeholder: Text
    category_label: Text
    day_label: Text
    other_day_label: Text
    save_label: Text
    saved: Text
    current_label: Text
    longest_label: Text
    total_label: Text
    streak_alive: Text
    streak_today: Text
    streak_rest: Text
    empty: Text
    chart_empty: Text
    categories: list[Text] = Field(min_length=1)


def _labels_for(keys: tuple[str, ...], what: str) -> Any:
    """A validator: a {key: label} table must label exactly these keys."""

    def check(value: dict[str, str]) -> dict[str, str]:
        if sorted(value) != sorted(keys):
            raise ValueError(f"{what} must label each of " + ", ".join(keys))
        return value

    return AfterValidator(check)


class SkillsContent(_Content):
    title: Text
    intro: Text
    name_label: Text
    source_label: Text
    source_note_label: Text
    resource_kind_label: Text
    resource_label: Text
    link_label: Text
    start_label: Text
    deadline_label: Text
    no_deadline_label: Text
    status_label: Text
    progress_label: Text
    from_label: Text
    from_none: Text
    overdue_note: Text
    empty: Text
    chart_empty: Text
    sources: Annotated[dict[str, Text], _labels_for(get_args(SkillSource), "sources")]
    resources: Annotated[dict[str, Text], _labels_for(get_args(ResourceKind), "resources")]
    statuses: Annotated[dict[str, Text], _labels_for(get_args(SkillStatus), "statuses")]


class TeamContent(_Content):
    title: Text
    intro: Text
    roles_heading: Text
    empty_role: Text
    name_label: Text
    contact_label: Text
    notes_label: Text
    last_contact_label: Text
    next_checkin_label: Text
    checkin_weeks: int = Field(ge=1, le=52)
    roles: list[Item] = Field(min_length=1)

    def label(self, key: str) -> str:
        """The role's label; the key itself if a facilitator removed the role."""
        return next((r.label for r in self.roles if r.key == key), key)


class CurrentContent(_Content):
    title: Text
    intro: Text
    kind_label: Text
    name_label: Text
    link_label: Text
    why_label: Text
    save_label: Text
    empty: Text
    kinds: list[Text] = Field(min_length=1)


class Phase3Content(_Content):
    wins: WinsContent
    skills: SkillsContent
    team: TeamContent
    current: CurrentContent


class Step(_Content):
    key: str
    label: Text


class MaterialsPart(_Content):
    key: str
    label: Text
    steps: list[Step] = Field(min_length=1)


class MaterialsContent(_Content):
    title: Text
    intro: Text
    bank_title: Text
    bank_intro: Text
    question_label: Text
    answer_label: Text
    ready_label: Text
    seeds_label: Text
    seed_fallback: Text
    bank_empty: Text
    notes_label: Text
    questions_for: dict[str, Text]
    parts: list[MaterialsPart] = Field(min_length=1)

    @property
    def step_keys(self) -> list[str]:
        return [step.key for part in self.parts for step in part.steps]

    @model_validator(mode="after")
    def _unique_steps(self) -> MaterialsContent:
        keys = self.step_keys
        if len(set(keys)) != len(keys):
            raise ValueError("each step key must appear once across all parts")
        return self


class ChannelsContent(_ItemList):
    title: Text
    intro: Text
    channel_label: Text
    action_label: Text
    status_label: Text
    planned_on_label: Text
    done_on_label: Text
    note_label: Text
    empty: Text
    chart_empty: Text
    online_label: Text
    online_from_log: list[Text]
    beyond_note: Text
    statuses: Annotated[dict[str, Text], _labels_for(get_args(ActionStatus), "statuses")]


class DoorsContent(_Content):
    title: Text
    intro: Text
    company_label: Text
    thank_you_label: Text
    connected_label: Text
    shared_label: Text
    shared_what_label: Text
    next_checkin_label: Text
    mention_label: Text
    own_mention_label: Text
    notes_label: Text
    closed_label: Text
    checked_in_label: Text
    checked_in_done: Text
    due_title: Text
    due_none: Text
    empty: Text
    checkin_months: int = Field(ge=1, le=24)
    due_within_days: int = Field(ge=0, le=120)


class Phase4Content(_Content):
    materials: MaterialsContent
    channels: ChannelsContent
    doors: DoorsContent


class Detect(_Content):
    phrases: list[Text] = Field(min_length=1)
    negations: list[Text] = Field(default_factory=list)


class ReframeSuggestion(_Content):
    match: Text  # a piece of the thought, ignoring case; "" matches every thought
    reframes: list[Text] = Field(min_length=1)


class ReframeContent(_Content):
    title: Text
    intro: Text
    start_label: Text
    resume_note: Text
    your_thought: Text
    situation_label: Text
    feeling_label: Text
    intensity_label: Text
    thought_label: Text
    thought_help: Text
    traps_label: Text
    own_traps_label: Text
    for_label: Text
    against_label: Text
    rewrite_label: Text
    suggestions_label: Text
    after_label: Text
    finished: Text
    finished_same: Text
    empty_history: Text
    offer: Text
    offer_yes: Text
    offer_no: Text
    steps: list[Step] = Field(min_length=7, max_length=7)
    traps: list[Item] = Field(min_length=1)
    detect: Detect
    suggestions: list[ReframeSuggestion] = Field(default_factory=list)

    def trap_label(self, key: str) -> str:
        return next((t.label for t in self.traps if t.key == key), key)


class GrowthContent(_Content):
    title: Text
    intro: Text
    cant_label: Text
    cant_placeholder: Text
    yet_label: Text
    yet_help: Text
    challenges_title: Text
    challenge_label: Text
    growth_label: Text
    empty_rewrites: Text
    empty_challenges: Text


class BeyondContent(_Content):
    title: Text
    intro: Text
    category_label: Text
    text_label: Text
    day_label: Text
    empty: Text
    small_wins_title: Text
    categories: list[Item] = Field(min_length=1)

    def label(self, key: str) -> str:
        return next((c.label for c in self.categories if c.key == key), key)


class PersistenceContent(_Content):
    title: Text
    intro: Text
    went_wrong_label: Text
    went_wrong_links: Text
    changes_label: Text
    changes_links: Text
    next_label: Text
    next_links: Text
    saved: Text


class DashboardContent(_Content):
    title: Text
    intro: Text
    phases_title: Text
    worksheets_title: Text
    charts_title: Text
    done_label: Text
    not_yet_label: Text


class Phase5Content(_Content):
    reframe: ReframeContent
    growth: GrowthContent
    beyond: BeyondContent
    persistence: PersistenceContent
    dashboard: DashboardContent


class YourData(_Content):
    title: Text
    intro: Text
    location: Text
    location_hint: Text
    holds: Text
    backups: Text
    recovered: Text
    intro_hosted: Text
    delete_title: Text
    delete_intro: Text
    delete_hosted: Text
    delete_confirm: Text
    delete_button: Text
    deleted: Text
    kinds: dict[str, Text]

    def kind(self, table: str) -> str:
        return self.kinds.get(table, table)


class ExportContent(_Content):
    title: Text
    intro: Text
    intro_hosted: Text
    restore_title: Text
    restore_intro: Text


class ProgressContent(_Content):
    your_data: YourData
    export: ExportContent


class SignInTexts(_Content):
    title: Text
    intro: Text
    name_label: Text
    password_label: Text
    button: Text
    missing: Text
    checking: Text
    new_here: Text
    join_link: Text
    forgot_link: Text


class JoinTexts(_Content):
    title: Text
    intro: Text
    code_label: Text
    name_help: Text
    password_label: Text
    password_help: Text
    again_label: Text
    button: Text
    no_code: Text
    mismatch: Text
    working: Text
    sign_in_link: Text


class RecoverTexts(_Content):
    title: Text
    intro: Text
    code_label: Text
    password_label: Text
    button: Text
    missing: Text
    back_link: Text


class RecoveryCodeTexts(_Content):
    title: Text
    intro: Text
    button: Text


class AccountTexts(_Content):
    title: Text
    intro: Text
    name: Text
    password_title: Text
    password_intro: Text
    current_label: Text
    new_label: Text
    again_label: Text
    change_button: Text
    mismatch: Text
    changing: Text
    changed: Text
    sign_out_title: Text
    sign_out_button: Text
    delete_title: Text
    delete_intro: Text
    delete_confirm: Text
    delete_button: Text
    deleted: Text


class SharingTexts(_Content):
    title: Text
    intro: Text
    worksheets: Text
    toggle: Text
    now_shared: Text
    now_private: Text
    summary: Text


class OverviewTexts(_Content):
    intro: Text
    names_toggle: Text
    names_help: Text
    participants: Text
    started: Text
    open_codes: Text
    no_one: Text
    people_link: Text
    empty_chart: Text
    no_rejections: Text
    not_started: Text
    progress_title: Text
    worksheets_title: Text
    worksheet_column: Text
    finished_column: Text
    participants_title: Text
    participant_column: Text
    furthest_column: Text
    done_column: Text
    download: Text


class SharedTexts(_Content):
    title: Text
    intro: Text
    none: Text
    participant_label: Text
    worksheet_label: Text
    unavailable: Text
    empty: Text
    shared_by: Text


class PromptsTexts(_Content):
    title: Text
    intro: Text
    file_label: Text
    changed_mark: Text
    use_button: Text
    reset_button: Text
    refused: Text
    in_use: Text
    reset_done: Text
    upload_title: Text
    upload_label: Text
    upload_button: Text
    download: Text


class PeopleTexts(_Content):
    title: Text
    invites_title: Text
    invites_intro: Text
    invite_counts: Text
    how_many: Text
    create_button: Text
    revoke_label: Text
    revoke_button: Text
    revoked: Text
    participants_title: Text
    no_one: Text
    joined: Text
    remove_intro: Text
    remove_confirm: Text
    remove_button: Text
    removed: Text


class CohortContent(_Content):
    """Texts of a hosted workshop (sign-in, account, sharing, the facilitator's pages)."""

    sign_in: SignInTexts
    join: JoinTexts
    recover: RecoverTexts
    recovery_code: RecoveryCodeTexts
    account: AccountTexts
    sharing: SharingTexts
    overview: OverviewTexts
    shared: SharedTexts
    prompts: PromptsTexts
    people: PeopleTexts


FILES: dict[str, type[_Content]] = {
    "start": StartContent,
    "rejections": RejectionsContent,
    "phase1": Phase1Content,
    "phase2": Phase2Content,
    "phase3": Phase3Content,
    "phase4": Phase4Content,
    "phase5": Phase5Content,
    "progress": ProgressContent,
    "cohort": CohortContent,
}


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match what the pages need."""


class Content(_Content):
    """All the workbook's texts."""

    start: StartContent
    rejections: RejectionsContent
    phase1: Phase1Content
    phase2: Phase2Content
    phase3: Phase3Content
    phase4: Phase4Content
    phase5: Phase5Content
    progress: ProgressContent
    cohort: CohortContent
    sources: dict[str, str]


def _read(path: Path, model: type[_Content]) -> _Content:
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read as TOML ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ContentError(f"{path}: {problems}") from None


Folders = tuple[Path, ...]


def _source(name: str, folders: Folders) -> Path:
    """The file that supplies ``name``: the first folder that has it, else the built-in one."""
    for folder in folders:
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    return BUILTIN_DIR / f"{name}.toml"


def _signature(folders: Folders) -> tuple[tuple[str, int, int], ...]:
    # Overrides may change while the server runs (a facilitator edits the workshop's
    # prompts), so the cache is keyed by each override file's size and time.
    found = []
    for folder in folders:
        for name in FILES:
            try:
                stat = (folder / f"{name}.toml").stat()
            except OSError:
                continue
            found.append((f"{folder}/{name}", stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _load(folders: Folders, signature: tuple[tuple[str, int, int], ...]) -> Content:
    parts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, model in FILES.items():
        path = _source(name, folders)
        parts[name] = _read(path, model)
        sources[name] = str(path)
    return Content(**parts, sources=sources)


def load(override_dir: Path | None = None, *, workshop_dir: Path | None = None) -> Content:
    """The workbook's content.

    A file in ``workshop_dir`` (a hosted workshop's prompts) wins over one in
    ``override_dir`` (default ``REBOUND_CONTENT_DIR``), which wins over the built-in one.
    """
    folder = override_dir if override_dir is not None else config.content_dir()
    if folder is not None and not folder.is_dir():
        raise ContentError(f"REBOUND_CONTENT_DIR is set to {folder}, which is not a folder")
    folders = tuple(f for f in (workshop_dir, folder) if f is not None)
    return _load(folders, _signature(folders))


MAX_FILE_BYTES = 512 * 1024


def check(name: str, raw: bytes, folders: Folders = ()) -> Content:
    """Validate ``raw`` as the content file ``name`` together with the other files in use.

    Raises :class:`ContentError` with the reason, naming the file as ``<name>.toml``.
    """
    if name not in FILES:
        raise ContentError(f"there is no content file called {name!r}")
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(f"{name}.toml is larger than {MAX_FILE_BYTES // 1024} KB")
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / f"{name}.toml"
        trial.write_bytes(raw)
        try:
            return _load.__wrapped__((Path(tmp), *folders), ())
        except ContentError as exc:
            raise ContentError(str(exc).replace(str(trial), f"{name}.toml")) from None
