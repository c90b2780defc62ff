"""In-app notices, their mail and each member's preferences."""
