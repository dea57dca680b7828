"""Foundations below the domains that services share: the errors they raise, tenant scoping and pagination."""
