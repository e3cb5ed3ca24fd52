"""Screens outside the enrollment wizard: sign-in and home."""
