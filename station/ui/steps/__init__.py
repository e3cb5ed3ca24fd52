"""One folder per enrollment step of the wizard."""
