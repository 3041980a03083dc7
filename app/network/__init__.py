"""The network register's pages: members, consent, meetings, import, matching on plans."""
