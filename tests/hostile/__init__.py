"""Hostile input shared by the tests: pathological strings and the strings a neutraliser must defuse."""
