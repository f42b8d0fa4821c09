"""The Streamlit explorer: ``main.py`` is the entry point, ``pages/`` one script per page, ``views/``
the pure-Python helpers the pages draw with (testable without Streamlit)."""
