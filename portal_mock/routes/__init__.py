"""The portal's HTTP endpoints, one module per resource."""
