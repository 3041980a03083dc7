"""The plan-version domain, below every blueprint that shows or changes a version.

- ``statuses``: the statuses, their labels, which are editable and which locked.
- ``transitions``: the status machine, keeping ``bid.status`` in step.
- ``counted``: which version counts for the portfolio, and its markers.
- ``engine``: the bridge to app.costing (the plan document, the default card, costing).
- ``store``: reading versions and saving a plan as the bid's draft version.
- ``documents``: a version's plan PDF and budget files.

``statuses`` imports neither Flask nor the database, so reports and
charts may use it; this file imports nothing, so importing one module stays cheap.
"""
