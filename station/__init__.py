"""The enrollment station: the operator's Textual app, its plain-Python core and device adapters."""
