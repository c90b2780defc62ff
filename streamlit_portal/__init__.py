"""The Streamlit analytics portal. Nothing here yet: the portal issue builds it."""
