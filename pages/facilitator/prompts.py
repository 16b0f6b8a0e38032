"""The workshop's prompts: the facilitator edits or replaces the content files."""

from __future__ import annotations

import streamlit as st

from workbook import config, content, ui
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.prompts
st.title(text.title)
st.write(text.intro)

names = list(content.FILES)
custom = set(host.customised())
name = st.selectbox(
    text.file_label,
    names,
    format_func=lambda n: f"{n}.toml" + (text.changed_mark if n in custom else ""),
)
text_now = host.prompt_text(name, config.content_dir())


def _use(raw: bytes) -> None:
    try:
        host.set_prompts(name, raw, config.content_dir())
    except content.ContentError as exc:
        st.session_state["_prompts.error"] = str(exc)
    else:
        st.session_state["_prompts.ok"] = text.in_use.format(file=f"{name}.toml")


def _from_editor() -> None:
    _use(st.session_state[f"_prompts.text.{name}"].encode("utf-8"))


def _reset() -> None:
    host.reset_prompts(name)
    st.session_state.pop(f"_prompts.text.{name}", None)
    st.session_state["_prompts.ok"] = text.reset_done.format(file=f"{name}.toml")


error = st.session_state.pop("_prompts.error", None)
ok = st.session_state.pop("_prompts.ok", None)
if error:
    st.error(text.refused.format(problem=error), icon=":material/info:")
if ok:
    st.success(ok, icon=":material/check_circle:")

st.text_area(f"{name}.toml", text_now, height=400, key=f"_prompts.text.{name}")
left, right = st.columns(2)
left.button(text.use_button, type="primary", on_click=_from_editor)
right.button(text.reset_button, on_click=_reset, disabled=name not in custom)

st.header(text.upload_title)
upload = st.file_uploader(
    text.upload_label.format(file=f"{name}.toml"), type=["toml"], key=f"_prompts.up.{name}"
)
if upload is not None and st.button(text.upload_button):
    _use(upload.getvalue())
    st.rerun()
st.download_button(
    text.download.format(file=f"{name}.toml"),
    text_now.encode("utf-8"),
    file_name=f"{name}.toml",
    mime="application/toml",
    on_click="ignore",
)
