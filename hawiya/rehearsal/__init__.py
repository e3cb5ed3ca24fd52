"""`hawiya rehearse`: the real booth (portal, pcscd, card, scanner, camera, customer display,
the enrollment core with the real adapters) walks simulated citizens through enrollment."""
