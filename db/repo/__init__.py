"""Queries, one module per aggregate. Every function is keyword-only and takes the acting user,
so a route cannot forget to scope a query to its caller."""
