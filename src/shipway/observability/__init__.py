"""Alarms on by default, one topic per environment, descriptions that say what to do first."""
