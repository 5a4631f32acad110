"""Residency verification, local initiatives, participatory budgets and their implementation."""
