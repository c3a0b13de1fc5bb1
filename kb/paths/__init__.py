"""Onboarding paths: their format and validation (loader). No Flask here."""
