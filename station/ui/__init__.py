"""The operator's Textual UI (the only Textual importer): it renders state and forwards keys."""
