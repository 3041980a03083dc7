"""Admin pages: rate cards and users. Only admins may use them."""
