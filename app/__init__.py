"""Co-production Planner: the Flask application factory lives here."""
