"""The map of pages: sections, files, titles and URLs, as plain data.

``app.py`` turns this into ``st.navigation``; rules elsewhere (the next step on Home)
name pages by key. Keeping the map here means it is tested without Streamlit.

:func:`sections_for` gives the pages one person may see, by role, on every run: in a hosted
workshop a page that is not theirs is not in the list, so it does not exist for them, even
by URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    title: str
    icon: str
    url_path: str
    default: bool = False

    @property
    def path(self) -> Path:
        return ROOT / self.file


SECTIONS: dict[str, list[PageSpec]] = {
    "Start": [
        # The default page is served at "/" whatever its url_path says.
        PageSpec("home", "pages/start/home.py", "Home", ":material/home:", "", default=True),
        PageSpec(
            "rejections", "pages/start/rejections.py", "Rejection log", ":material/list:", "log"
        ),
        PageSpec(
            "why", "pages/start/why_it_hurts.py", "Why it hurts", ":material/favorite:", "why"
        ),
    ],
    "Phase 1 · First 48 hours": [
        PageSpec(
            "window", "pages/phase1/window.py", "Your 48 hours", ":material/hourglass:", "window"
        ),
        PageSpec(
            "feelings",
            "pages/phase1/feelings.py",
            "Feelings check-in",
            ":material/mood:",
            "feelings",
        ),
        PageSpec(
            "outlets", "pages/phase1/outlets.py", "Healthy outlets", ":material/spa:", "outlets"
        ),
        PageSpec(
            "self_talk",
            "pages/phase1/self_talk.py",
            "Self-talk",
            ":material/record_voice_over:",
            "self-talk",
        ),
        PageSpec("avoid", "pages/phase1/avoid.py", "What to avoid", ":material/block:", "avoid"),
        PageSpec(
            "drafts", "pages/phase1/drafts.py", "Unsent drafts", ":material/drafts:", "drafts"
        ),
    ],
    "Phase 2 · Learning from it": [
        PageSpec(
            "review",
            "pages/phase2/review.py",
            "Clear-head review",
            ":material/visibility:",
            "review",
        ),
        PageSpec(
            "feedback",
            "pages/phase2/feedback.py",
            "Ask for feedback",
            ":material/mail:",
            "feedback",
        ),
        PageSpec(
            "patterns", "pages/phase2/patterns.py", "Patterns", ":material/insights:", "patterns"
        ),
        PageSpec(
            "reassess",
            "pages/phase2/reassess.py",
            "Reassess your path",
            ":material/alt_route:",
            "reassess",
        ),
    ],
    "Phase 3 · Rebuilding confidence": [
        PageSpec("wins", "pages/phase3/wins.py", "Small wins", ":material/star:", "wins"),
        PageSpec(
            "skills", "pages/phase3/skills.py", "Skill-gap plan", ":material/school:", "skills"
        ),
        PageSpec("team", "pages/phase3/team.py", "Support team", ":material/group:", "team"),
        PageSpec(
            "current",
            "pages/phase3/stay_current.py",
            "Stay current",
            ":material/newspaper:",
            "stay-current",
        ),
    ],
    "Phase 4 · Restarting the search": [
        PageSpec(
            "materials",
            "pages/phase4/materials.py",
            "Materials refresh",
            ":material/description:",
            "materials",
        ),
        PageSpec(
            "channels", "pages/phase4/channels.py", "More ways in", ":material/hub:", "channels"
        ),
        PageSpec(
            "doors",
            "pages/phase4/doors.py",
            "Keep doors open",
            ":material/door_open:",
            "doors",
        ),
    ],
    "Phase 5 · Long-term resilience": [
        PageSpec(
            "reframe",
            "pages/phase5/reframe.py",
            "Reframe a thought",
            ":material/psychology:",
            "reframe",
        ),
        PageSpec(
            "growth", "pages/phase5/growth.py", "Growth mindset", ":material/trending_up:", "growth"
        ),
        PageSpec(
            "beyond",
            "pages/phase5/beyond.py",
            "Wins beyond offers",
            ":material/emoji_events:",
            "beyond",
        ),
        PageSpec(
            "persistence",
            "pages/phase5/persistence.py",
            "Persistence plan",
            ":material/flag:",
            "persistence",
        ),
    ],
    "Progress & export": [
        PageSpec(
            "dashboard",
            "pages/progress/dashboard.py",
            "Progress",
            ":material/monitoring:",
            "progress",
        ),
        PageSpec(
            "export",
            "pages/progress/export.py",
            "Export and restore",
            ":material/download:",
            "export",
        ),
        PageSpec("data", "pages/progress/your_data.py", "Your data", ":material/folder:", "data"),
    ],
}

PAGES: dict[str, PageSpec] = {spec.key: spec for specs in SECTIONS.values() for spec in specs}


# -- cohort mode ------------------------------------------------------------------------
VISITOR: dict[str, list[PageSpec]] = {
    "Welcome": [
        PageSpec("sign_in", "pages/account/sign_in.py", "Sign in", ":material/login:", "", True),
        PageSpec("join", "pages/account/join.py", "Join the workshop", ":material/badge:", "join"),
        PageSpec(
            "recover",
            "pages/account/recover.py",
            "Forgot your password",
            ":material/key:",
            "recover",
        ),
    ],
}
NEW_CODE: dict[str, list[PageSpec]] = {
    "Welcome": [
        PageSpec(
            "recovery_code",
            "pages/account/recovery_code.py",
            "Your recovery code",
            ":material/key:",
            "",
            True,
        ),
    ],
}
PARTICIPANT_EXTRA: dict[str, list[PageSpec]] = {
    "Your account": [
        PageSpec("sharing", "pages/account/sharing.py", "Sharing", ":material/share:", "sharing"),
        PageSpec(
            "account", "pages/account/account.py", "Your account", ":material/person:", "account"
        ),
    ],
}
FACILITATOR: dict[str, list[PageSpec]] = {
    "Workshop": [
        PageSpec(
            "cohort", "pages/facilitator/overview.py", "Workshop", ":material/groups:", "", True
        ),
        PageSpec(
            "shared",
            "pages/facilitator/shared.py",
            "Shared with you",
            ":material/mark_email_read:",
            "shared",
        ),
        PageSpec(
            "prompts", "pages/facilitator/prompts.py", "Prompts", ":material/edit_note:", "prompts"
        ),
        PageSpec("people", "pages/facilitator/people.py", "People", ":material/badge:", "people"),
        PageSpec(
            "account", "pages/account/account.py", "Your account", ":material/person:", "account"
        ),
    ],
}
ROLES = ("personal", "visitor", "new_code", "participant", "facilitator")


def sections_for(role: str) -> dict[str, list[PageSpec]]:
    """The pages a person in ``role`` may open; nothing else exists for them."""
    if role == "personal":
        return SECTIONS
    if role == "participant":
        return {**SECTIONS, **PARTICIPANT_EXTRA}
    if role == "facilitator":
        return FACILITATOR
    if role == "new_code":
        return NEW_CODE
    return VISITOR  # anyone not signed in, and any role this code does not know


ALL_PAGES: dict[str, PageSpec] = {
    spec.key: spec
    for sections in (SECTIONS, VISITOR, NEW_CODE, PARTICIPANT_EXTRA, FACILITATOR)
    for specs in sections.values()
    for spec in specs
}
