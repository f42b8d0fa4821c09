"""Explorer pages (Streamlit scripts)."""
