"""The co-production network: members, consent, meetings, involvement (a domain package).

Below every blueprint: the register pages (app.network), the plan editor and the
portfolio all use it, and it imports none of them. Access needs and lived
experience are special category data, encrypted at field level (crypto.py).
"""
