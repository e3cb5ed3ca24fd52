"""Helpers shared by test folders: a real portal on loopback, request signing, known people."""
