"""The station's side of the portal contract (docs/portal-api.md): client, signer, types."""
