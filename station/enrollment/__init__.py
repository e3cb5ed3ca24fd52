"""The enrollment core: plain-Python steps the UI drives (no Textual here)."""
