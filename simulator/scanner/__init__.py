"""A simulated fingerprint scanner behind a local HTTP device service (MOSIP SBI style)."""
