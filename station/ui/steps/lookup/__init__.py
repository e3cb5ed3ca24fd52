"""Step 1, Identity: ID number and date of birth, portal lookup, the person and the outcome."""
