"""The workshop's prompts: the facilitator edits or replaces the content files."""

from __future__ import annotations

import streamlit as st

from workbook import config, content
from workbook.ui import auth

host = auth.host()
st.title("Prompts for this workshop")
st.write(
    "Every prompt, list and explanation in the workbook comes from eight content files. "
    "Change one here and every participant sees the new text on their next click. A file "
    "is checked before it is used; one with a mistake is refused and nothing changes."
)

names = list(content.FILES)
custom = set(host.customised())
name = st.selectbox(
    "Content file",
    names,
    format_func=lambda n: f"{n}.toml" + (" (changed for this workshop)" if n in custom else ""),
)
text_now = host.prompt_text(name, config.content_dir())


def _use(raw: bytes) -> None:
    try:
        host.set_prompts(name, raw, config.content_dir())
    except content.ContentError as exc:
        st.session_state["_prompts.error"] = str(exc)
    else:
        st.session_state["_prompts.ok"] = f"{name}.toml is now in use for this workshop."


def _from_editor() -> None:
    _use(st.session_state[f"_prompts.text.{name}"].encode("utf-8"))


def _reset() -> None:
    host.reset_prompts(name)
    st.session_state.pop(f"_prompts.text.{name}", None)
    st.session_state["_prompts.ok"] = f"{name}.toml is back to Rebound's own text."


error = st.session_state.pop("_prompts.error", None)
ok = st.session_state.pop("_prompts.ok", None)
if error:
    st.error(f"Not used — the file has a problem: {error}", icon=":material/info:")
if ok:
    st.success(ok, icon=":material/check_circle:")

st.text_area(f"{name}.toml", text_now, height=400, key=f"_prompts.text.{name}")
left, right = st.columns(2)
left.button("Check and use this text", type="primary", on_click=_from_editor)
right.button("Go back to Rebound's own text", on_click=_reset, disabled=name not in custom)

st.header("Or upload a file")
upload = st.file_uploader(f"A replacement {name}.toml", type=["toml"], key=f"_prompts.up.{name}")
if upload is not None and st.button("Check and use the uploaded file"):
    _use(upload.getvalue())
    st.rerun()
st.download_button(
    f"Download {name}.toml as it is now",
    text_now.encode("utf-8"),
    file_name=f"{name}.toml",
    mime="application/toml",
    on_click="ignore",
)
