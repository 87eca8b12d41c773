"""Widgets of the reflection app."""
