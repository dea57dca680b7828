"""Authentication and tenancy: agencies, users, team memberships, API tokens.

Owns password hashing, login bookkeeping and token issue/revocation. It does
not know about inventory or channels; other domains ask it who the current
principal is through `app.web.auth`.
"""
