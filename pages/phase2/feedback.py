"""P2.2 Ask for feedback: when to send, a short email built from choices, and the answer."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from workbook import feedback, textsafe, timefmt, ui
from workbook.models import FeedbackRequest

text = ui.texts().phase2.feedback
wb = ui.store()
zone = ui.tz()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
if rejection is None:
    st.stop()
request = wb.one(FeedbackRequest, rejection_id=rejection.id) or FeedbackRequest()
today = timefmt.local_today(zone)
window = feedback.send_window(rejection, today, zone, text.window_days)

st.header("When to send")
words = {"before": text.before_window, "open": text.in_window, "after": text.after_window}
days = timefmt.describe_duration(timedelta(days=window.days_until_open))
st.progress(
    window.fraction,
    text=words[window.position].format(
        opens=timefmt.format_day(window.opens), closes=timefmt.format_day(window.closes), days=days
    ),
)

st.header("Your email")
k = f"fb.{rejection.id}"
ui.text_input(text.addressee_label, f"{k}.to", request.addressee)
thanks = [t.replace("{role}", rejection.role) for t in text.thanks]
if request.thanks and request.thanks not in thanks:
    thanks.append(request.thanks)  # a line saved earlier stays on offer
st.selectbox(
    text.thanks_label,
    thanks,
    key=ui.kept(f"{k}.thanks", request.thanks if request.thanks in thanks else thanks[0]),
)
asked = [q for q in request.questions if q in text.questions]
st.multiselect(
    text.questions_label, text.questions, key=ui.kept(f"{k}.questions", asked), max_selections=2
)
own = next((q for q in request.questions if q not in text.questions), "")
ui.text_input(text.own_question_label, f"{k}.own", own)
ui.text_input(text.sender_label, "fb.sender", wb.setting("sign_off_name", ""))
form = ui.Form(f"feedback_{rejection.id}")
form.error("questions")


def _questions() -> list[str]:
    # Read when needed: a Save click may arrive together with the last edit.
    return [*ui.value(f"{k}.questions", []), ui.value(f"{k}.own", "")]


email = feedback.draft_email(
    company=rejection.company,
    role=rejection.role,
    addressee=ui.value(f"{k}.to", ""),
    thanks=ui.value(f"{k}.thanks"),
    questions=_questions(),
    signature=f"{text.signature}\n{ui.value('fb.sender', '')}".strip(),
)
st.code(f"Subject: {email.subject}\n\n{email.body}", language=None, wrap_lines=True)
name = f"feedback-request-{feedback.file_slug(rejection.company)}"
left, right = st.columns(2)
left.download_button(
    "Download as email (.eml)",
    feedback.as_eml(email),
    f"{name}.eml",
    mime="message/rfc822",
    icon=":material/mail:",
)
right.download_button(
    "Download as text (.txt)",
    feedback.as_text(email),
    f"{name}.txt",
    mime="text/plain",
    icon=":material/description:",
)

st.header("Where it is now")
statuses = list(text.statuses)
st.radio(
    text.status_label,
    statuses,
    format_func=text.statuses.__getitem__,
    horizontal=True,
    key=ui.kept(f"{k}.status", request.status),
)
status = ui.value(f"{k}.status")
if status != "not_sent":
    ui.day_input(text.sent_on_label, f"{k}.sent_on", request.sent_on or today)
    form.error("sent_on")
if status == "answered":
    ui.day_input(text.answered_on_label, f"{k}.answered_on", request.answered_on or today)
    form.error("answered_on")
    ui.text_area(text.feedback_label, f"{k}.feedback", request.feedback, height=160)
    form.error("feedback")
    tag_options = list(dict.fromkeys([*text.tags, *request.tags]))
    st.multiselect(text.tags_label, tag_options, key=ui.kept(f"{k}.tags", request.tags))
    ui.text_input(text.own_tags_label, f"{k}.own_tags")
    form.error("tags")


def _save() -> None:
    wb.set_setting("sign_off_name", ui.value("fb.sender", ""))
    status = ui.value(f"{k}.status")
    answered = status == "answered"
    wb.put_one(
        FeedbackRequest,
        {"rejection_id": rejection.id},
        {
            "addressee": ui.value(f"{k}.to", ""),
            "thanks": ui.value(f"{k}.thanks", ""),
            "questions": _questions(),
            "status": status,
            "sent_on": ui.value(f"{k}.sent_on") if status != "not_sent" else None,
            "answered_on": ui.value(f"{k}.answered_on") if answered else None,
            "feedback": ui.value(f"{k}.feedback", request.feedback),
            "tags": [
                *ui.value(f"{k}.tags", request.tags),
                *textsafe.split_list(ui.value(f"{k}.own_tags", "")),
            ],
        },
    )


# After saving, every field is seeded again from what was stored.
fields = [
    "to",
    "thanks",
    "questions",
    "own",
    "status",
    "sent_on",
    "answered_on",
    "feedback",
    "tags",
    "own_tags",
]
form.button("Save", _save, clear=[f"{k}.{f}" for f in fields], done="Saved. Asking took courage.")
