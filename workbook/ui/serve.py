"""Start the workbook server: Streamlit's own ``streamlit run app.py``, in this process.

    python -m workbook.ui.serve [streamlit options, e.g. --server.port 8600]

Why not plain ``streamlit run app.py``? It works, with one blemish: Streamlit decides once
per server, before any of our code runs, whether the app uses its legacy ``pages/``
folder mode, by looking for a folder called ``pages`` next to the script. Ours exists
(one subfolder per section), so the first visit after a server start is handled in
legacy mode until ``app.py`` calls ``st.navigation``. When that first visit is a deep link
(``/feelings``), the right page still renders through ``app.py``, but under a "Page not
found" notice. Rebound never uses legacy mode, so this launcher says so before the
server starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def streamlit_args(args: list[str]) -> list[str]:
    """The ``streamlit run`` command line for ``args`` (the options given to this launcher)."""
    from workbook import config

    if config.cohort_mode():
        # A hosted workshop never shows participants a traceback (it could quote their data).
        # And never reloads code under a running workshop: sessions would outlive the
        # modules they were made with.
        args = ["--client.showErrorDetails", "none", "--server.fileWatcherType", "none", *args]
    return ["run", str(APP), *args]


def main(argv: list[str] | None = None) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    # The same switch st.navigation flips on its first call (streamlit/commands/navigation.py).
    PagesManager.uses_pages_directory = False
    args = streamlit_args(sys.argv[1:] if argv is None else argv)
    # Streamlit reads .streamlit/config.toml (theme, privacy settings) from the working folder.
    os.chdir(APP.parent)
    cli.main(args, prog_name="streamlit")


if __name__ == "__main__":
    main()
