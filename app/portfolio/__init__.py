"""The portfolio: every bid of a team with its co-production figures, KPIs and charts."""
