"""The Face step: live preview, liveness challenges, and the 1:1 match against the reference."""
