"""P2.2 logic: when to ask for feedback, and the short email that asks.

The window is counted in whole days from the day of the "no" in the person's own time
zone (3 to 5 days after, by default). The email is built from the person's choices and
can be downloaded as a ``.eml`` file (opens in any mail program as a draft) or ``.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from email.message import EmailMessage
from email.policy import SMTP
from typing import Literal

from workbook.models import Rejection

Position = Literal["before", "open", "after"]


@dataclass(frozen=True)
class SendWindow:
    """The recommended days to send, and where ``today`` falls."""

    no_day: date
    opens: date
    closes: date
    today: date

    @property
    def position(self) -> Position:
        if self.today < self.opens:
            return "before"
        return "open" if self.today <= self.closes else "after"

    @property
    def days_until_open(self) -> int:
        return max((self.opens - self.today).days, 0)

    @property
    def fraction(self) -> float:
        """Today's place from the "no" (0) to the end of the window (1), for a progress bar."""
        span = (self.closes - self.no_day).days or 1
        return min(max((self.today - self.no_day).days / span, 0.0), 1.0)


def send_window(
    rejection: Rejection, today: date, tz: tzinfo, days: tuple[int, int] = (3, 5)
) -> SendWindow:
    no_day = rejection.rejected_at.astimezone(tz).date()
    return SendWindow(
        no_day=no_day,
        opens=no_day + timedelta(days=days[0]),
        closes=no_day + timedelta(days=days[1]),
        today=today,
    )


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def draft_email(
    *,
    company: str,
    role: str,
    addressee: str,
    thanks: str,
    questions: list[str],
    signature: str,
) -> Email:
    """A short, polite request for feedback. Empty parts are simply left out."""
    greeting = f"Hello {addressee.strip()}," if addressee.strip() else "Hello,"
    asks = [q.strip() for q in questions if q.strip()]
    lines = [greeting, ""]
    if thanks.strip():
        lines += [thanks.strip().replace("{role}", role).replace("{company}", company), ""]
    if len(asks) == 1:
        lines += ["If you have a moment, I would value one piece of feedback:", "", asks[0], ""]
    elif asks:
        lines += ["If you have a moment, I would value your view on two questions:", ""]
        lines += [f"{n}. {q}" for n, q in enumerate(asks, start=1)] + [""]
    lines += [
        "Any answer, however short, would help me improve. I would be glad to stay in touch.",
        "",
        signature.strip(),
    ]
    # A header is one line: any line break stored in the role becomes a space.
    subject = " ".join(f"Feedback on my application for {role}".split())
    return Email(subject=subject, body="\n".join(lines))


def as_eml(email: Email, to: str = "") -> bytes:
    """The email as an RFC 5322 message that mail programs open as a draft."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = email.subject
    if to:
        message["To"] = to
    message["X-Unsent"] = "1"  # open as a draft to send, not as a received message
    message.set_content(email.body)
    return bytes(message)


def file_slug(name: str) -> str:
    """A safe, readable piece of a file name: "Société Lumière" -> "societe-lumiere"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:40].rstrip("-") or "company"


def as_text(email: Email) -> bytes:
    return f"Subject: {email.subject}\n\n{email.body}\n".encode()
