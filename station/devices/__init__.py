"""Device adapters and their status, behind small Protocols."""
