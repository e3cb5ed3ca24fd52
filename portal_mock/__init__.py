"""The simulated Ministry portal and national records back end (FastAPI), per docs/portal-api.md."""
