"""Foundations below the domains: the errors services raise, tenancy scoping and pagination."""
